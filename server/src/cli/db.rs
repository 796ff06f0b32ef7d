//! What the database subcommands share: the store, the keys, a runtime.

use std::sync::Arc;

use resetflow_server::challenge::{CaptchaSource, Rendered};
use resetflow_server::serve;
use resetflow_server::service::{self, Ctx, HashCost, RateLimits};
use resetflow_server::store::Store;

use super::CliError;

/// The database and key options of `accounts` and `reviews`.
#[derive(Debug, clap::Args)]
pub struct DbArgs {
    /// Database URL, as for `resetflow serve`.
    #[arg(
        long,
        env = "RESETFLOW_DATABASE",
        default_value = "sqlite://resetflow.db"
    )]
    pub database: String,
    /// Master secret, as for `resetflow serve` (must be the server's).
    #[arg(long, env = "RESETFLOW_SECRET", hide_env_values = true)]
    pub secret: Option<String>,
}

/// A current-thread runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::io("cli.runtime", "cannot start the async runtime", e))
}

fn serve_error(e: serve::ServeError) -> CliError {
    CliError::failure(e.code, e.message)
}

/// Opens the store named by `args`.
pub async fn store(args: &DbArgs) -> Result<Arc<dyn Store>, CliError> {
    serve::open_store(&args.database).await.map_err(serve_error)
}

/// The CLI renders no images: its operations (review decisions) never
/// issue a captcha.
struct NoImages;

impl CaptchaSource for NoImages {
    fn render(&self) -> Result<Rendered, String> {
        Err("the command line renders no captcha images".to_owned())
    }
}

/// The operations' context for the CLI: the server's keys, no dev outbox
/// (the running server's worker delivers what is queued here).
pub async fn context(args: &DbArgs) -> Result<Ctx, CliError> {
    let store = store(args).await?;
    let keys = serve::keys(store.as_ref(), args.secret.as_deref(), None)
        .await
        .map_err(serve_error)?;
    serve::context(
        store,
        keys,
        Arc::new(NoImages),
        None,
        None,
        HashCost::default(),
        RateLimits::default(),
        service::system_clock(),
    )
    .await
    .map_err(serve_error)
}
