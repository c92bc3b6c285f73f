//! Teams: every staff member can list them (dashboards filter by team); admins manage them.

use crate::services::audit;
use crate::{
    ApiError, Result,
    auth::{AdminUser, StaffUser},
    entities::team,
    json::ApiJson,
    repo,
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use domain::{
    ErrorBody,
    org::{NewTeam, Team, UpdateTeam},
};
use uuid::Uuid;

impl From<team::Model> for Team {
    fn from(t: team::Model) -> Self {
        Team {
            id: t.id,
            name: t.name,
        }
    }
}

#[utoipa::path(
    tag = "teams",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<Team>), (status = 401, body = ErrorBody))
)]
#[get("/teams")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_teams(
    state: web::Data<AppState>,
    user: StaffUser,
) -> Result<web::Json<Vec<Team>>> {
    let teams = repo::teams::list(&state.db, user.organisation_id).await?;
    Ok(web::Json(teams.into_iter().map(Team::from).collect()))
}

#[utoipa::path(
    tag = "teams",
    security(("bearer" = [])),
    request_body = NewTeam,
    responses(
        (status = 201, body = Team),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "A team of that name exists", body = ErrorBody),
    )
)]
#[post("/teams")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_team(
    state: web::Data<AppState>,
    req: HttpRequest,
    AdminUser(admin): AdminUser,
    body: ApiJson<NewTeam>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let team = repo::teams::create(&txn, admin.organisation_id, body.name.as_str())
        .await
        .map_err(duplicate_name)?;
    let actor = audit::staff_actor(&admin, &req);
    audit::log_change(&txn, &actor, "create", "team", team.id, String::new()).await?;
    txn.commit().await?;
    tracing::info!(team_id = %team.id, "team created");
    Ok(HttpResponse::Created().json(Team::from(team)))
}

#[utoipa::path(
    tag = "teams",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Team id")),
    responses((status = 200, body = Team), (status = 404, body = ErrorBody))
)]
#[get("/teams/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_team(
    state: web::Data<AppState>,
    user: StaffUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Team>> {
    let team = repo::teams::get(&state.db, user.organisation_id, *id)
        .await?
        .ok_or(ApiError::NotFound("no such team"))?;
    Ok(web::Json(team.into()))
}

#[utoipa::path(
    tag = "teams",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Team id")),
    request_body = UpdateTeam,
    responses(
        (status = 200, body = Team),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
    )
)]
#[patch("/teams/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn update_team(
    state: web::Data<AppState>,
    req: HttpRequest,
    AdminUser(admin): AdminUser,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateTeam>,
) -> Result<web::Json<Team>> {
    let body = body.into_inner()?;
    let team = repo::teams::get(&state.db, admin.organisation_id, *id)
        .await?
        .ok_or(ApiError::NotFound("no such team"))?;
    let txn = crate::db::begin_write(&state.db).await?;
    let team = repo::teams::rename(&txn, team, body.name.as_str())
        .await
        .map_err(duplicate_name)?;
    let actor = audit::staff_actor(&admin, &req);
    audit::log_change(
        &txn,
        &actor,
        "update",
        "team",
        team.id,
        "renamed".to_owned(),
    )
    .await?;
    txn.commit().await?;
    Ok(web::Json(team.into()))
}

fn duplicate_name(e: sea_orm::DbErr) -> ApiError {
    if repo::is_unique_violation(&e) {
        ApiError::conflict("name", "a team with this name already exists")
    } else {
        e.into()
    }
}
