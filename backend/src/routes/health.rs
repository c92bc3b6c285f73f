//! Liveness (the process answers) and readiness (the database answers) for load balancers.

use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `live`, `ready` or `unavailable`.
    status: &'static str,
}

#[utoipa::path(tag = "health", responses((status = 200, body = Health)))]
#[get("/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "live" })
}

#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    )
)]
#[get("/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    if crate::db::ping(&state.db).await {
        HttpResponse::Ok().json(Health { status: "ready" })
    } else {
        tracing::warn!("readiness check: database unavailable");
        HttpResponse::ServiceUnavailable().json(Health {
            status: "unavailable",
        })
    }
}
