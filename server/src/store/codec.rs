//! How stored values map to the store's types, the same for every SQL
//! backend: times as `i64` Unix seconds, the flow and its targets as JSON,
//! names of channel kinds, review states and message purposes. A value that
//! does not read back is [`StoreError::Corrupt`].

use resetflow::flow::{ChannelKind, Flow};
use resetflow::Timestamp;

use super::{Purpose, ReviewStatus, StoreError, StoreResult, Target};

/// The columns a [`super::FlowRecord`] is read from.
pub(super) const FLOW_COLUMNS: &str = "id, account_id, identifier_key, locale, state, targets";

/// A time as stored (SQL integers are signed).
pub(super) fn secs(t: Timestamp) -> i64 {
    i64::try_from(t.as_unix_secs()).unwrap_or(i64::MAX)
}

/// `v` as JSON text, for the `state` and `targets` columns.
pub(super) fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The flow and its targets from their JSON columns.
pub(super) fn flow_parts(state: &str, targets: &str) -> StoreResult<(Flow, Vec<Target>)> {
    let flow =
        serde_json::from_str(state).map_err(|e| StoreError::Corrupt(format!("flow: {e}")))?;
    let targets =
        serde_json::from_str(targets).map_err(|e| StoreError::Corrupt(format!("targets: {e}")))?;
    Ok((flow, targets))
}

/// The channel kind stored as `name`.
pub(super) fn kind_from(name: &str) -> StoreResult<ChannelKind> {
    match name {
        "sms" => Ok(ChannelKind::Sms),
        "email" => Ok(ChannelKind::Email),
        other => Err(StoreError::Corrupt(format!("channel kind {other:?}"))),
    }
}

/// The review state stored as `name`.
pub(super) fn review_status(name: &str) -> StoreResult<ReviewStatus> {
    ReviewStatus::from_name(name)
        .ok_or_else(|| StoreError::Corrupt(format!("review status {name:?}")))
}

/// The message purpose stored as `name`.
pub(super) fn purpose(name: &str) -> StoreResult<Purpose> {
    Purpose::from_name(name)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown message purpose {name:?}")))
}
