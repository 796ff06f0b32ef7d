//! [`SharedState`] in Redis, for several nodes behind one address.
//!
//! Each operation is one Lua script, which Redis runs atomically: no other
//! command from any node runs between its reads and writes.
//!
//! - A hit is `INCR` on `<prefix><key>:<window>:<window start>`, given an
//!   expiry at its first count (`EXPIRE` when `TTL` says it has none).
//! - A claim is `SET <prefix><key> <until> EX <ttl>` unless the key holds an
//!   `<until>` later than the caller's `now`. This is `SET … NX EX` with the
//!   end decided by the server's clock rather than Redis's, so a claim ends
//!   when the server's own rules say it does (the flow's cooldown and the
//!   token's expiry are read on the same clock), and tests may move time.
//!
//! Every key gets an expiry of its window or claim plus
//! [`CLOCK_SKEW_SECS`]; nothing is kept without one. Scripts are sent by
//! SHA (`EVALSHA`) and loaded on first use.
//!
//! The connection is a [`ConnectionManager`]: one multiplexed connection,
//! re-established in the background when it breaks. A command that cannot
//! be answered within [`RedisShared::RESPONSE_TIMEOUT`] fails with
//! [`SharedError`].

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::Script;
use resetflow::Timestamp;

use super::{window, Claim, Hit, Key, SharedError, SharedState, CLOCK_SKEW_SECS};

const HIT: &str = r"
local n = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return n
";

const CLAIM: &str = r"
local held = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[1])
if held then
  local ends = tonumber(held)
  if ends and ends > now then
    return ends - now
  end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 0
";

/// Counters and claims in Redis, shared by every node that connects to the
/// same server with the same prefix.
#[derive(Clone)]
pub struct RedisShared {
    conn: ConnectionManager,
    addr: String,
    prefix: String,
    hit: Script,
    claim: Script,
}

impl RedisShared {
    /// The prefix of every key: `resetflow:`.
    pub const DEFAULT_PREFIX: &'static str = "resetflow:";
    /// How long a connection attempt may take.
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
    /// How long one command may take before the request fails closed.
    pub const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);

    /// Connects to the Redis at `url` (`redis://[:PASSWORD@]HOST:PORT[/DB]`,
    /// `rediss://` for TLS when the crate is built with it) and checks it
    /// answers `PING`.
    ///
    /// # Errors
    ///
    /// [`SharedError`] for a URL that does not parse or a server that does
    /// not answer; the message names the host and port, never the password.
    pub async fn connect(url: &str) -> Result<RedisShared, SharedError> {
        let client = redis::Client::open(url)
            .map_err(|e| SharedError::new(format!("redis: not a usable Redis URL: {e}")))?;
        let addr = client.get_connection_info().addr.to_string();
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(RedisShared::CONNECT_TIMEOUT)
            .set_response_timeout(RedisShared::RESPONSE_TIMEOUT)
            .set_number_of_retries(2)
            .set_max_delay(500);
        let conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|e| SharedError::new(format!("redis {addr}: {e}")))?;
        let shared = RedisShared {
            conn,
            addr,
            prefix: RedisShared::DEFAULT_PREFIX.to_owned(),
            hit: Script::new(HIT),
            claim: Script::new(CLAIM),
        };
        let pong: String = redis::cmd("PING")
            .query_async(&mut shared.conn.clone())
            .await
            .map_err(|e| shared.fail(&e))?;
        if pong != "PONG" {
            return Err(SharedError::new(format!(
                "redis {}: PING answered {pong:?}",
                shared.addr
            )));
        }
        Ok(shared)
    }

    /// This state with every key under `prefix` instead (e.g. one per
    /// deployment sharing a Redis, or per test).
    pub fn with_prefix(mut self, prefix: &str) -> RedisShared {
        prefix.clone_into(&mut self.prefix);
        self
    }

    /// The prefix of every key.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// `host:port` of the server (no password).
    pub fn addr(&self) -> &str {
        &self.addr
    }

    fn fail(&self, e: &redis::RedisError) -> SharedError {
        SharedError::new(format!("redis {}: {e}", self.addr))
    }
}

impl fmt::Debug for RedisShared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisShared")
            .field("addr", &self.addr)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl SharedState for RedisShared {
    async fn hit(&self, key: &Key, window_secs: u64, now: Timestamp) -> Result<Hit, SharedError> {
        let (window, start, left) = window(window_secs, now);
        let name = format!("{}{}:{window}:{start}", self.prefix, key.as_str());
        let count: i64 = self
            .hit
            .key(name)
            .arg(left + CLOCK_SKEW_SECS)
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(|e| self.fail(&e))?;
        Ok(Hit {
            count: u32::try_from(count.max(0)).unwrap_or(u32::MAX),
            retry_after: left,
        })
    }

    async fn claim(&self, key: &Key, ttl_secs: u64, now: Timestamp) -> Result<Claim, SharedError> {
        let ttl = ttl_secs.max(1);
        let now = now.as_unix_secs();
        let name = format!("{}{}", self.prefix, key.as_str());
        let held: i64 = self
            .claim
            .key(name)
            .arg(now)
            .arg(now + ttl)
            .arg(ttl + CLOCK_SKEW_SECS)
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(|e| self.fail(&e))?;
        Ok(match u64::try_from(held) {
            Ok(0) => Claim::Won,
            Ok(left) => Claim::Held { retry_after: left },
            Err(_) => {
                return Err(SharedError::new(format!(
                    "redis {}: a claim answered {held}",
                    self.addr
                )))
            }
        })
    }

    fn spans_nodes(&self) -> bool {
        true
    }
}
