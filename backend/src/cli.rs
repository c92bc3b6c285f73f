//! The `soundings` command line: serve, migrate, seed the demo, and administer without SQL.

use crate::{auth, config::Config, db, demo, repo, services::transfer, startup::Application};
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use domain::{Email, Name, Password, Role};
use std::io::BufRead;
use uuid::Uuid;

#[derive(Debug, Parser)]
#[command(
    name = "soundings",
    version,
    about = "Satisfaction and wellbeing evidence for Supported Employment services"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations, then serve the API and the PWA.
    Serve,
    /// Apply migrations and exit.
    Migrate,
    /// Seed the demo organisation (only into a database with no organisations yet).
    Demo,
    /// Import the audit spreadsheet (episodes, then responses) into an organisation.
    /// All rows of a file or none: refused rows are listed and nothing is written.
    Import {
        /// Email of the admin the imported records are recorded as made by.
        #[arg(long = "as")]
        as_admin: String,
        #[arg(long)]
        episodes: Option<std::path::PathBuf>,
        #[arg(long)]
        responses: Option<std::path::PathBuf>,
    },
    /// Export an organisation's episodes and responses as CSV files.
    Export {
        #[arg(long)]
        org: Uuid,
        #[arg(long)]
        episodes: Option<std::path::PathBuf>,
        #[arg(long)]
        responses: Option<std::path::PathBuf>,
        /// Fill in the episodes file's equality columns (special category data: keep the
        /// file as safe as the database).
        #[arg(long)]
        equality: bool,
    },
    /// Erase the personal data of everyone past their organisation's retention period, now.
    /// (`serve` also does this every six hours.)
    Retention,
    /// Manage organisations and staff accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an organisation and print its id.
    CreateOrg {
        #[arg(long)]
        name: String,
    },
    /// Create a staff account. The password is read from SOUNDINGS_PASSWORD or standard input.
    CreateStaff {
        #[arg(long)]
        org: Uuid,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = ["admin", "manager", "specialist"])]
        role: String,
    },
    /// Set a new password (read from SOUNDINGS_PASSWORD or standard input) and end the
    /// account's sessions.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve => serve(cli.config).await?,
        Command::Retention => {
            let conn = db::connect(cli.config.database_url.expose()).await?;
            db::migrate(&conn).await?;
            let erased = crate::services::privacy::run_retention(&conn, chrono::Utc::now())
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.body().message))?;
            println!("{} participants past retention erased", erased.len());
        }
        Command::Migrate => {
            let conn = db::connect(cli.config.database_url.expose()).await?;
            db::migrate(&conn).await?;
            println!("migrations applied");
        }
        Command::Demo => {
            let conn = db::connect(cli.config.database_url.expose()).await?;
            db::migrate(&conn).await?;
            match demo::seed(&conn).await? {
                true => println!("demo organisation seeded; logins are in the README"),
                false => println!("the database already has organisations; demo not seeded"),
            }
        }
        Command::Import {
            as_admin,
            episodes,
            responses,
        } => import(&cli.config, &as_admin, episodes, responses).await?,
        Command::Export {
            org,
            episodes,
            responses,
            equality,
        } => {
            let conn = db::connect(cli.config.database_url.expose()).await?;
            db::migrate(&conn).await?;
            if let Some(path) = episodes {
                let what = transfer::EpisodeExport { equality };
                std::fs::write(&path, transfer::export_episodes(&conn, org, what).await?)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            if let Some(path) = responses {
                std::fs::write(&path, transfer::export_responses(&conn, org).await?)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        Command::Admin(cmd) => {
            let conn = db::connect(cli.config.database_url.expose()).await?;
            db::migrate(&conn).await?;
            admin(&conn, cmd).await?;
        }
    }
    Ok(())
}

/// Serves the API and the PWA, with this copy's email worker and a retention run every 6 h.
async fn serve(config: Config) -> anyhow::Result<()> {
    let app = Application::build(config.clone()).await?;
    // Sends queued email; each server copy runs one, and the queue's leases keep them
    // from sending an email twice.
    tokio::spawn(app.mailer().run(uuid::Uuid::new_v4().simple().to_string()));
    let conn = db::connect(config.database_url.expose()).await?;
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(6 * 3600));
        loop {
            every.tick().await;
            match crate::services::privacy::run_retention(&conn, chrono::Utc::now()).await {
                Ok(erased) if !erased.is_empty() => {
                    tracing::info!(erased = erased.len(), "retention: personal data erased")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "retention run failed"),
            }
        }
    });
    app.run().await?;
    Ok(())
}

/// `soundings import`: the CSV files as the named admin, each all rows or none.
async fn import(
    config: &Config,
    as_admin: &str,
    episodes: Option<std::path::PathBuf>,
    responses: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let conn = db::connect(config.database_url.expose()).await?;
    db::migrate(&conn).await?;
    let email = Email::parse(as_admin).context("--as")?;
    let admin = repo::staff::find_by_email(&conn, email.as_str())
        .await?
        .filter(|s| s.role == Role::Admin.as_str() && s.active)
        .context("--as must be an active admin's email")?;
    for (what, path) in [("episodes", episodes), ("responses", responses)] {
        let Some(path) = path else { continue };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let result = match what {
            "episodes" => {
                transfer::import_episodes(&conn, admin.organisation_id, admin.id, &text).await
            }
            _ => transfer::import_responses(&conn, admin.organisation_id, admin.id, &text).await,
        };
        match result {
            Ok(r) => println!(
                "{what}: {} imported, {} already there",
                r.imported, r.unchanged
            ),
            Err(e) => {
                let body = e.body();
                eprintln!("{what}: {}", body.message);
                for row in body.rows.unwrap_or_default() {
                    eprintln!("  row {}: {}: {}", row.row, row.field, row.message);
                }
                bail!("{what} not imported");
            }
        }
    }
    Ok(())
}

async fn admin(conn: &sea_orm::DatabaseConnection, cmd: AdminCommand) -> anyhow::Result<()> {
    match cmd {
        AdminCommand::CreateOrg { name } => {
            let name = Name::parse(&name).context("--name")?;
            let org = repo::orgs::create(conn, name.as_str()).await?;
            println!("{}", org.id);
        }
        AdminCommand::CreateStaff {
            org,
            name,
            email,
            role,
        } => {
            if repo::orgs::get(conn, org).await?.is_none() {
                bail!("no organisation with id {org}");
            }
            let name = Name::parse(&name).context("--name")?;
            let email = Email::parse(&email).context("--email")?;
            let role = Role::parse(&role).context("--role")?;
            let password = read_password()?;
            let staff = repo::staff::create(
                conn,
                repo::staff::NewStaff {
                    organisation_id: org,
                    team_id: None,
                    name: name.as_str(),
                    email: email.as_str(),
                    role,
                    password_hash: auth::hash_password(password.expose().to_owned()).await?,
                },
            )
            .await
            .context("creating the staff account (is the email already used?)")?;
            println!("{}", staff.id);
        }
        AdminCommand::ResetPassword { email } => {
            let email = Email::parse(&email).context("--email")?;
            let staff = repo::staff::find_by_email(conn, email.as_str())
                .await?
                .context("no staff account with that email")?;
            let password = read_password()?;
            let hash = auth::hash_password(password.expose().to_owned()).await?;
            let id = staff.id;
            repo::staff::update(
                conn,
                staff,
                repo::staff::StaffChanges {
                    password_hash: Some(hash),
                    ..Default::default()
                },
            )
            .await?;
            repo::tokens::revoke_all_for_staff(conn, id).await?;
            println!("password changed; existing sessions ended");
        }
    }
    Ok(())
}

/// Passwords never come from arguments, which show up in `ps` and shell history.
fn read_password() -> anyhow::Result<Password> {
    let raw = match std::env::var("SOUNDINGS_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!(
                "password (one line, at least {} characters):",
                Password::MIN_CHARS
            );
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    Password::parse(&raw).context("password")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<crate::config::ProxyNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn the_setting_is_a_comma_separated_list_and_empty_by_default() {
        use clap::Parser;
        let cli = Cli::try_parse_from(["soundings", "serve"]).unwrap();
        assert!(cli.config.trusted_proxies.0.is_empty());
        let cli = Cli::try_parse_from([
            "soundings",
            "--trusted-proxies",
            "10.0.0.0/8, ::1,192.0.2.7,",
            "serve",
        ])
        .unwrap();
        assert_eq!(
            cli.config.trusted_proxies,
            crate::config::TrustedProxies(nets(&["10.0.0.0/8", "::1", "192.0.2.7"]))
        );
        let cli = Cli::try_parse_from(["soundings", "--trusted-proxies", "", "serve"]).unwrap();
        assert!(cli.config.trusted_proxies.0.is_empty());
        assert!(Cli::try_parse_from(["soundings", "--trusted-proxies", "proxy", "serve"]).is_err());
    }
}
