//! `resetflow`: the recovery server and its command-line tools.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error[{}]: {}", err.code(), err);
            ExitCode::from(err.exit_status())
        }
    }
}
