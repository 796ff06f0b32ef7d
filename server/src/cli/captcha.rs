//! `resetflow captcha`: labelled samples for OCR audits and contact sheets.
//!
//! Writes `DIR/<answer>_<n>.png` with `n` counting from 0. With `--seed`
//! the run is reproducible: sample `n` is rendered from the seed `S + n`, so
//! the same seed gives byte-identical files (and sample `n` of a run does
//! not depend on `--count`). Without it every sample comes from OS
//! randomness.

use std::fs;
use std::path::PathBuf;

use resetflow::captcha::{self, Config, Difficulty};

use super::CliError;

/// Most samples one run may write.
const MAX_COUNT: u32 = 100_000;

/// Arguments of `resetflow captcha`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of captchas to write (1 to 100000).
    #[arg(long)]
    count: u32,
    /// Seed for reproducible samples; OS randomness when absent.
    #[arg(long)]
    seed: Option<u64>,
    /// Digits per captcha (4 to 8).
    #[arg(long, default_value_t = 6)]
    length: usize,
    /// Pixel-density scale (1 to 3).
    #[arg(long, default_value_t = 1)]
    scale: u32,
    /// Difficulty: easy, normal or hard.
    #[arg(long, default_value = "normal")]
    difficulty: String,
    /// Output directory (created if missing).
    #[arg(long, default_value = ".")]
    out: PathBuf,
}

pub fn run(args: Args) -> Result<(), CliError> {
    if args.count == 0 || args.count > MAX_COUNT {
        return Err(CliError::usage(
            "captcha.count",
            format!("--count must be 1 to {MAX_COUNT}, got {}", args.count),
        ));
    }
    let usage = |e: captcha::ConfigError| CliError::usage(e.code(), e.to_string());
    let difficulty = Difficulty::parse(&args.difficulty).map_err(usage)?;
    let config = Config::builder()
        .length(args.length)
        .scale(args.scale)
        .difficulty(difficulty)
        .build()
        .map_err(usage)?;
    fs::create_dir_all(&args.out).map_err(|e| {
        CliError::io(
            "captcha.out",
            format_args!("cannot create {}", args.out.display()),
            e,
        )
    })?;
    for n in 0..args.count {
        let c = match args.seed {
            Some(seed) => captcha::generate_seeded(&config, seed.wrapping_add(u64::from(n))),
            None => captcha::generate_random(&config),
        };
        let path = args.out.join(format!("{}_{n}.png", c.answer()));
        fs::write(&path, c.png()).map_err(|e| {
            CliError::io(
                "captcha.out",
                format_args!("cannot write {}", path.display()),
                e,
            )
        })?;
    }
    Ok(())
}
