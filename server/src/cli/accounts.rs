//! `resetflow accounts add|list`: the account directory of the reference server.

use std::io::{self, BufRead};

use resetflow::identifier::{self, Identifier};
use resetflow::password::Policy;
use resetflow::Timestamp;
use resetflow_server::service;
use resetflow_server::store::{Account, StoreError};
use serde_json::json;

use super::db::{self, DbArgs};
use super::CliError;

/// Arguments of `resetflow accounts`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Add an account. The password is read from standard input (one line)
    /// with --password-stdin; otherwise a random one is printed once.
    Add {
        #[command(flatten)]
        db: DbArgs,
        /// The numeric account ID (6 to 12 digits).
        #[arg(long)]
        id: String,
        /// E-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Phone number in international form (+...).
        #[arg(long)]
        phone: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print every account as one JSON object per line.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Runs `resetflow accounts`.
pub fn run(args: Args) -> Result<(), CliError> {
    let rt = db::runtime()?;
    match args.command {
        Command::Add {
            db,
            id,
            email,
            phone,
            password_stdin,
        } => rt.block_on(add(db, id, email, phone, password_stdin)),
        Command::List { db } => rt.block_on(list(db)),
    }
}

fn parse_as(input: &str, want: identifier::Kind, flag: &'static str) -> Result<String, CliError> {
    match Identifier::parse(input, &Default::default()) {
        Ok(id) if id.kind() == want => Ok(id.as_str().to_owned()),
        Ok(id) => Err(CliError::usage(
            "accounts.invalid",
            format!("{flag} {input:?} is {}, not {}", id.kind(), want),
        )),
        Err(e) => Err(CliError::usage(e.code(), format!("{flag} {input:?}: {e}"))),
    }
}

async fn add(
    db: DbArgs,
    id: String,
    email: Option<String>,
    phone: Option<String>,
    password_stdin: bool,
) -> Result<(), CliError> {
    let id = parse_as(&id, identifier::Kind::AccountId, "--id")?;
    let email = email
        .map(|e| parse_as(&e, identifier::Kind::Email, "--email"))
        .transpose()?;
    let phone = phone
        .map(|p| parse_as(&p, identifier::Kind::Phone, "--phone"))
        .transpose()?;
    if email.is_none() && phone.is_none() {
        return Err(CliError::usage(
            "accounts.no_contact",
            "an account needs --email or --phone: recovery sends codes there",
        ));
    }
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::io("accounts.stdin", "cannot read the password", e))?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (service::random_id(), true)
    };
    let mut identifiers: Vec<&str> = vec![&id];
    identifiers.extend(email.as_deref());
    identifiers.extend(phone.as_deref());
    let checked = Policy::default()
        .check(&password, &password, &identifiers)
        .map_err(|e| CliError::usage(e.code(), e.message(resetflow::Locale::En)))?;
    let store = db::store(&db).await?;
    let hash = service::hash_password(checked.into_string(), service::HashCost::default())
        .await
        .map_err(|e| CliError::failure("accounts.hash", format!("{e:?}")))?;
    let account = Account {
        id: id.clone(),
        email,
        phone,
        password_hash: hash,
    };
    match store.create_account(&account, Timestamp::now()).await {
        Ok(()) => {}
        Err(StoreError::Duplicate(what)) => {
            return Err(CliError::usage(
                "accounts.duplicate",
                format!("the {what} is already taken"),
            ))
        }
        Err(e) => return Err(CliError::failure("accounts.store", e.to_string())),
    }
    let mut out = json!({"id": account.id, "email": account.email, "phone": account.phone});
    if generated {
        // Printed once, on purpose: the operator hands it to the user.
        out["password"] = json!(password);
    }
    println!("{out}");
    Ok(())
}

async fn list(db: DbArgs) -> Result<(), CliError> {
    let store = db::store(&db).await?;
    let accounts = store
        .list_accounts()
        .await
        .map_err(|e| CliError::failure("accounts.store", e.to_string()))?;
    for a in accounts {
        println!(
            "{}",
            json!({"id": a.id, "email": a.email, "phone": a.phone})
        );
    }
    Ok(())
}
