//! Assembles the application: database, keys, routes, middleware, and the bound listener.
//! `Application::build` binds first, so a caller asking for port 0 learns the real port.

use crate::{
    config::Config,
    db, deadline, in_flight, routes,
    services::mail::{self, Mailer},
    state::AppState,
    static_files,
};
use actix_web::{App, HttpServer, dev::Server, middleware, web};
use anyhow::Context;
use sea_orm::DatabaseConnection;
use std::{net::TcpListener, time::Duration};
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;

pub struct Application {
    port: u16,
    server: Server,
    mailer: Mailer,
}

impl Application {
    /// Connects, migrates, loads keys and binds the listener; the server runs on `run`.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        config.mail.check()?;
        let db = db::connect_waiting(
            config.database_url.expose(),
            Duration::from_millis(config.db_wait_ms),
        )
        .await?;
        db::migrate(&db).await?;
        Self::build_with_db(config, db).await
    }

    pub async fn build_with_db(config: Config, db: DatabaseConnection) -> anyhow::Result<Self> {
        config.mail.check()?;
        let state = AppState::new(config, db).await?;
        let mailer = Mailer::new(
            state.db.clone(),
            &state.config.mail,
            mail::Links::of(&state),
        )?;
        let listener = TcpListener::bind(state.config.bind)
            .with_context(|| format!("binding {}", state.config.bind))?;
        let port = listener
            .local_addr()
            .context("reading the bound address")?
            .port();
        let state = web::Data::new(state);
        let openapi = routes::openapi_json_text();
        let body_timeout = Duration::from_secs(state.config.body_timeout_seconds);
        // One count for the whole server, not one per worker.
        let in_flight = in_flight::InFlight::new(state.config.max_requests_per_address);
        let server = HttpServer::new(move || {
            App::new()
                .service(routes::openapi_json(openapi.clone()))
                .into_utoipa_app()
                .configure(routes::configure)
                .into_app()
                .app_data(state.clone())
                .configure(routes::extractor_configs)
                .configure(|cfg| static_files::configure(cfg, &state.config.static_dir))
                .wrap(routes::json_errors())
                .wrap(middleware::from_fn(routes::no_store_for_api))
                .wrap(middleware::from_fn(move |req, next| {
                    deadline::body_deadline(body_timeout, req, next)
                }))
                .wrap(middleware::from_fn({
                    let in_flight = in_flight.clone();
                    move |req, next| in_flight::cap_per_address(in_flight.clone(), req, next)
                }))
                .wrap(routes::security_headers())
                .wrap(middleware::Compress::default())
                .wrap(TracingLogger::<crate::telemetry::PrivateRootSpan>::new())
        })
        // The request line and headers must arrive within 5 s, and a closing client gets 5 s.
        .client_request_timeout(Duration::from_secs(5))
        .client_disconnect_timeout(Duration::from_secs(5))
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
    pub fn mailer(&self) -> Mailer {
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
