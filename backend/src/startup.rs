//! Assembles the application: database, keys, routes, middleware, and the bound listener.
//! `Application::build` binds first, so a caller asking for port 0 learns the real port.

use crate::{
    auth::{self, JwtKeys},
    config::Config,
    db, repo, routes,
};
use actix_web::{App, HttpServer, dev::Server, middleware, web};
use anyhow::Context;
use sea_orm::{DatabaseConnection, DbBackend};
use std::{net::TcpListener, sync::Arc, time::Duration};
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;

/// What every request handler can reach. Nothing here is state of this process alone:
/// the key comes from the config or the database, so several copies behave as one.
pub struct AppState {
    pub db: DatabaseConnection,
    pub keys: JwtKeys,
    /// Derives invitation link tokens (HMAC of the invitation id), so a resent invitation
    /// gets the same link back without the token being stored.
    pub token_secret: Vec<u8>,
    pub config: Arc<Config>,
    /// A real Argon2 hash of a random password: unknown users are verified against it so
    /// that a wrong email costs the same time as a wrong password.
    pub dummy_hash: String,
    /// Turns for inserting device records (SQLite's one writer at a time; see `db::WriteTurns`).
    pub turns: db::WriteTurns,
}

pub struct Application {
    port: u16,
    server: Server,
    mailer: crate::mail::Mailer,
}

impl Application {
    /// Connects, migrates, loads keys and binds the listener; the server runs on `run`.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = db::connect_waiting(
            config.database_url.expose(),
            Duration::from_millis(config.db_wait_ms),
        )
        .await?;
        db::migrate(&db).await?;
        Self::build_with_db(config, db).await
    }

    pub async fn build_with_db(config: Config, db: DatabaseConnection) -> anyhow::Result<Self> {
        let secret = load_secret(&db, &config).await?;
        let keys = JwtKeys::from_secret(secret.as_bytes());
        let token_secret = auth::derive_key(secret.as_bytes(), "invitation-token");
        let dummy_hash = auth::hash_password(auth::random_token()).await?;
        let mailer = crate::mail::Mailer::new(
            db.clone(),
            &config.mail,
            crate::mail::Links::new(&config.mail.public_url, &token_secret),
        )?;
        let listener =
            TcpListener::bind(config.bind).with_context(|| format!("binding {}", config.bind))?;
        let port = listener
            .local_addr()
            .context("reading the bound address")?
            .port();
        let turns = db::WriteTurns::new(
            config.sqlite_write_turns && db.get_database_backend() == DbBackend::Sqlite,
            Duration::from_millis(config.db_wait_ms),
        );
        let state = web::Data::new(AppState {
            db,
            turns,
            keys,
            token_secret,
            config: Arc::new(config),
            dummy_hash,
        });
        let openapi = routes::openapi_json_text();
        let server = HttpServer::new(move || {
            App::new()
                .service(routes::openapi_json(openapi.clone()))
                .into_utoipa_app()
                .configure(routes::configure)
                .into_app()
                .app_data(state.clone())
                .configure(routes::extractor_configs)
                .configure(|cfg| routes::static_files(cfg, &state.config.static_dir))
                .wrap(routes::json_errors())
                .wrap(middleware::from_fn(routes::no_store_for_api))
                .wrap(routes::security_headers())
                .wrap(middleware::Compress::default())
                .wrap(TracingLogger::<crate::telemetry::PrivateRootSpan>::new())
        })
        .listen(listener)
        .context("starting the HTTP server")?
        .run();
        tracing::info!(port, "soundings is listening");
        Ok(Application {
            port,
            server,
            mailer,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The email worker for this server's database; `serve` runs one (see `Mailer::run`).
    pub fn mailer(&self) -> crate::mail::Mailer {
        self.mailer.clone()
    }

    pub async fn run(self) -> std::io::Result<()> {
        self.server.await
    }

    /// A handle that can stop the server (tests stop it to simulate losing the network).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}

/// The server secret: from the config when given, else the one stored in the database
/// (made on the first start of the first copy).
async fn load_secret(db: &DatabaseConnection, config: &Config) -> anyhow::Result<String> {
    let secret = match &config.jwt_secret {
        Some(s) => {
            anyhow::ensure!(
                s.expose().len() >= 32,
                "SOUNDINGS_JWT_SECRET must be at least 32 bytes"
            );
            s.expose().to_owned()
        }
        None => repo::settings::get_or_insert(db, "jwt_signing_key", auth::random_token())
            .await
            .context("loading the token signing key")?,
    };
    Ok(secret)
}
