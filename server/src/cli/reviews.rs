//! `resetflow reviews list|approve|deny`: the operator's side of manual review.

use resetflow_server::service;
use resetflow_server::store::ReviewStatus;

use super::db::{self, DbArgs};
use super::CliError;

/// Arguments of `resetflow reviews`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Print reviews as one JSON object per line, oldest first.
    List {
        #[command(flatten)]
        db: DbArgs,
        /// Only reviews in this state: pending, approved or denied.
        #[arg(long)]
        status: Option<String>,
    },
    /// Approve a review: the contact becomes the flow's channel and gets a
    /// code (delivered by the running server).
    Approve {
        #[command(flatten)]
        db: DbArgs,
        /// The review id.
        id: i64,
    },
    /// Deny a review: the flow is locked.
    Deny {
        #[command(flatten)]
        db: DbArgs,
        /// The review id.
        id: i64,
    },
}

/// Runs `resetflow reviews`.
pub fn run(args: Args) -> Result<(), CliError> {
    let rt = db::runtime()?;
    rt.block_on(async {
        match args.command {
            Command::List { db, status } => {
                let status = status
                    .map(|s| {
                        ReviewStatus::from_name(&s).ok_or_else(|| {
                            CliError::usage(
                                "reviews.status",
                                format!("--status {s:?}: expected pending, approved or denied"),
                            )
                        })
                    })
                    .transpose()?;
                let store = db::store(&db).await?;
                let reviews = store
                    .reviews(status)
                    .await
                    .map_err(|e| CliError::failure("reviews.store", e.to_string()))?;
                for r in reviews {
                    println!("{}", serde_json::to_string(&r).unwrap_or_default());
                }
                Ok(())
            }
            Command::Approve { db, id } => decide(db, id, true).await,
            Command::Deny { db, id } => decide(db, id, false).await,
        }
    })
}

async fn decide(db: DbArgs, id: i64, approve: bool) -> Result<(), CliError> {
    let ctx = db::context(&db).await?;
    let review = service::decide_review(&ctx, id, approve)
        .await
        .map_err(|e| CliError::failure(e.code(), format!("review {id}: {}", e.code())))?;
    println!("{}", serde_json::to_string(&review).unwrap_or_default());
    Ok(())
}
