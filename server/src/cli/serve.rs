//! `resetflow serve`: the recovery server.

use std::sync::Arc;

use resetflow_server::challenge::LibraryCaptcha;
use resetflow_server::config::ServeConfig;
use resetflow_server::serve;
use tracing_subscriber::EnvFilter;

use super::CliError;

/// Runs the server until SIGINT or SIGTERM.
pub fn run(config: ServeConfig) -> Result<(), CliError> {
    // Structured logs on standard error: `key=value` fields, or one JSON
    // object per line with RESETFLOW_LOG_FORMAT=json; RESETFLOW_LOG filters.
    let filter = EnvFilter::try_from_env("RESETFLOW_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = if std::env::var("RESETFLOW_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::io("serve.runtime", "cannot start the async runtime", e))?;
    runtime
        .block_on(serve::run(config, Arc::new(LibraryCaptcha::default())))
        .map_err(|e| {
            let usage = matches!(
                e.code,
                "serve.dev_not_loopback"
                    | "serve.prefix"
                    | "serve.secret"
                    | "serve.region"
                    | "serve.no_delivery"
                    | "serve.smtp"
                    | "serve.sms_webhook"
                    | "serve.trusted_proxy"
            );
            if usage {
                CliError::usage(e.code, e.message)
            } else {
                CliError::failure(e.code, e.message)
            }
        })
}
