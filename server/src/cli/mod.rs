//! Command-line interface: one module per subcommand.

use std::fmt;

use clap::{Parser, Subcommand};

mod accounts;
mod captcha;
mod db;
mod reviews;
mod serve;
mod validate;

/// resetflow: account recovery done right.
#[derive(Debug, Parser)]
#[command(name = "resetflow", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the recovery server.
    Serve(Box<resetflow_server::config::ServeConfig>),
    /// Write labelled captcha samples `<answer>_<n>.png` (for OCR audits).
    Captcha(captcha::Args),
    /// Parse identifiers and print one JSON object per input.
    Validate(validate::Args),
    /// Add or list accounts of the server's database.
    Accounts(accounts::Args),
    /// List, approve or deny manual reviews.
    Reviews(reviews::Args),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Serve(config) => serve::run(*config),
        Command::Captcha(args) => captcha::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Accounts(args) => accounts::run(args),
        Command::Reviews(args) => reviews::run(args),
    }
}

/// A command-line failure: a stable code, a message, and an exit status.
#[derive(Debug)]
pub struct CliError {
    code: &'static str,
    message: String,
    status: u8,
}

impl CliError {
    /// A failure caused by the arguments given (exit status 2).
    pub fn usage(code: &'static str, message: impl Into<String>) -> CliError {
        CliError {
            code,
            message: message.into(),
            status: 2,
        }
    }

    /// A failure of the environment, such as an unwritable directory (exit status 1).
    pub fn io(code: &'static str, context: impl fmt::Display, err: std::io::Error) -> CliError {
        CliError {
            code,
            message: format!("{context}: {err}"),
            status: 1,
        }
    }

    /// A failure while running (storage, network), exit status 1.
    pub fn failure(code: &'static str, message: impl Into<String>) -> CliError {
        CliError {
            code,
            message: message.into(),
            status: 1,
        }
    }

    /// The stable error code, such as `captcha.length`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The process exit status for this failure.
    pub fn exit_status(&self) -> u8 {
        self.status
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
