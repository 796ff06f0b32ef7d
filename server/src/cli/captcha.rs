//! `resetflow captcha` (placeholder until the library part lands).

use super::CliError;

/// Arguments of `resetflow captcha`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<(), CliError> {
    Err(CliError::usage("cli.unavailable", "not built yet"))
}
