//! `resetflow validate`: parse identifiers and print one JSON object per input.
//!
//! Each input gives exactly one line on standard output, in input order:
//!
//! ```text
//! {"input":"Jane@München.de","ok":true,"kind":"email","normalized":"Jane@xn--mnchen-3ya.de"}
//! {"input":"jane@","ok":false,"error":{"code":"email.missing_domain","message":"..."}}
//! ```
//!
//! An invalid input is a result, not a failure: the exit status is 0 whenever
//! the arguments are usable, and non-zero only for bad arguments (status 2,
//! such as `region.unknown`) or failed I/O (status 1).

use std::io::{self, BufRead, Write};

use resetflow::identifier::{Identifier, ParseOptions, Region};
use resetflow::Locale;
use serde::Serialize;

use super::CliError;

/// Arguments of `resetflow validate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no INPUT, inputs are read from standard input, one per line \
    (a trailing CR is dropped; an empty line is reported as identifier.empty)."
)]
pub struct Args {
    /// Region for national phone numbers (ISO 3166-1 alpha-2, such as DE).
    /// Bare digits that form a valid number of it are phone numbers, not
    /// account IDs. Without it, phone numbers need a leading +.
    #[arg(long, value_name = "CC")]
    region: Option<String>,
    /// Language of the error messages: en, de, es, id or zh.
    #[arg(long, value_name = "LANG", default_value = "en")]
    locale: String,
    /// Identifiers to check: e-mail addresses, phone numbers, account IDs.
    /// With none, read from standard input, one per line.
    #[arg(value_name = "INPUT")]
    inputs: Vec<String>,
}

/// One output line for a valid input; fields in the documented order.
#[derive(Serialize)]
struct Valid<'a> {
    input: &'a str,
    ok: bool,
    kind: &'static str,
    normalized: &'a str,
}

/// One output line for an invalid input.
#[derive(Serialize)]
struct Invalid<'a> {
    input: &'a str,
    ok: bool,
    error: ErrorBody,
}

#[derive(Serialize)]
struct ErrorBody {
    code: &'static str,
    message: &'static str,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let default_region = match &args.region {
        None => None,
        Some(code) => Some(code.parse::<Region>().map_err(|_| {
            CliError::usage(
                "region.unknown",
                format!("unknown region {code:?} (expected an ISO 3166-1 alpha-2 code such as DE)"),
            )
        })?),
    };
    let locale: Locale = args.locale.parse().map_err(|err| {
        CliError::usage("locale.unknown", format!("{err}; got {:?}", args.locale))
    })?;
    let options = ParseOptions {
        default_region,
        ..ParseOptions::default()
    };

    // Stdout is line-buffered, so each result appears as soon as its input
    // line has been read: the command can sit behind an interactive pipe.
    let mut out = io::stdout().lock();
    if !args.inputs.is_empty() {
        for input in &args.inputs {
            if let Err(err) = write_line(&mut out, input, &options, locale) {
                return write_failure(err);
            }
        }
        return Ok(());
    }
    validate_lines(io::stdin().lock(), &options, locale, &mut out)
}

/// A failed write ends the run; a reader that went away (`... | head`) is
/// not an error, since nobody is left to read the rest.
fn write_failure(err: io::Error) -> Result<(), CliError> {
    if err.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(CliError::io("io.write", "writing standard output", err))
    }
}

/// Validates each line of `input`, lossily decoding bytes that are not UTF-8
/// (they then fail as unrecognised instead of stopping the whole run).
fn validate_lines(
    input: impl BufRead,
    options: &ParseOptions,
    locale: Locale,
    out: &mut impl Write,
) -> Result<(), CliError> {
    for line in input.split(b'\n') {
        let mut line =
            line.map_err(|err| CliError::io("io.read", "reading standard input", err))?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let line = String::from_utf8_lossy(&line);
        if let Err(err) = write_line(out, &line, options, locale) {
            return write_failure(err);
        }
    }
    Ok(())
}

fn write_line(
    out: &mut impl Write,
    input: &str,
    options: &ParseOptions,
    locale: Locale,
) -> io::Result<()> {
    match Identifier::parse(input, options) {
        Ok(id) => serde_json::to_writer(
            &mut *out,
            &Valid {
                input,
                ok: true,
                kind: id.kind().as_str(),
                normalized: id.as_str(),
            },
        ),
        Err(err) => serde_json::to_writer(
            &mut *out,
            &Invalid {
                input,
                ok: false,
                error: ErrorBody {
                    code: err.code(),
                    message: err.message(locale),
                },
            },
        ),
    }
    .map_err(io::Error::from)?;
    out.write_all(b"\n")
}
