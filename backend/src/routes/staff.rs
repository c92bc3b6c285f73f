//! Staff accounts: managers can see who works here; only admins add, change or deactivate.

use crate::services::audit;
use crate::{
    ApiError, Result,
    auth::{self, AdminUser, ManagerUser},
    entities::staff as entity,
    json::ApiJson,
    repo::{self, staff::StaffChanges},
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use domain::{
    Email, ErrorBody, Role,
    org::{NewStaff, Staff, UpdateStaff},
};
use uuid::Uuid;

impl TryFrom<entity::Model> for Staff {
    type Error = ApiError;
    fn try_from(s: entity::Model) -> Result<Self> {
        Ok(Staff {
            id: s.id,
            name: s.name,
            email: Email::parse(&s.email).map_err(|e| anyhow::anyhow!("stored email: {e}"))?,
            role: Role::parse(&s.role).map_err(|e| anyhow::anyhow!("stored role: {e}"))?,
            team_id: s.team_id,
            active: s.active,
        })
    }
}

/// A new account's address clashing with another's: one email, one login (staff or
/// commissioner).
pub(super) fn email_taken(e: sea_orm::DbErr) -> ApiError {
    if repo::is_unique_violation(&e) {
        ApiError::conflict("email", "this email already has a Soundings account")
    } else {
        e.into()
    }
}

/// Staff roles are admin, manager and specialist; a commissioner is someone outside the
/// service, shared with through `POST /api/commissioners`, never made from a staff account.
fn refuse_commissioner(role: Role) -> Result<()> {
    if role.is_staff() {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "role",
            "a staff role is admin, manager or specialist; share reports with a commissioner through /api/commissioners",
        ))
    }
}

#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<Staff>), (status = 403, body = ErrorBody))
)]
#[get("/staff")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_staff(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
) -> Result<web::Json<Vec<Staff>>> {
    let staff = repo::staff::list(&state.db, user.organisation_id).await?;
    Ok(web::Json(
        staff
            .into_iter()
            .map(Staff::try_from)
            .collect::<Result<_>>()?,
    ))
}

#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    request_body = NewStaff,
    responses(
        (status = 201, body = Staff),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "The email already has an account", body = ErrorBody),
    )
)]
#[post("/staff")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_staff(
    state: web::Data<AppState>,
    req: HttpRequest,
    AdminUser(admin): AdminUser,
    body: ApiJson<NewStaff>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let new = body;
    refuse_commissioner(new.role)?;
    ensure_team_in_org(&state, admin.organisation_id, new.team_id).await?;
    let password_hash = auth::hash_password(new.password.expose().to_owned()).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let staff = repo::staff::create(
        &txn,
        repo::staff::NewStaff {
            organisation_id: admin.organisation_id,
            team_id: new.team_id,
            name: new.name.as_str(),
            email: new.email.as_str(),
            role: new.role,
            password_hash,
        },
    )
    .await
    .map_err(email_taken)?;
    audit::log_change(
        &txn,
        &audit::staff_actor(&admin, &req),
        "create",
        "staff",
        staff.id,
        format!("role={}", new.role),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(staff_id = %staff.id, role = %new.role, "staff account created");
    Ok(HttpResponse::Created().json(Staff::try_from(staff)?))
}

#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Staff id")),
    responses((status = 200, body = Staff), (status = 404, body = ErrorBody))
)]
#[get("/staff/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_staff(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Staff>> {
    let staff = repo::staff::get(&state.db, user.organisation_id, *id)
        .await?
        .ok_or(ApiError::NotFound("no such staff member"))?;
    Ok(web::Json(staff.try_into()?))
}

#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Staff id")),
    request_body = UpdateStaff,
    responses(
        (status = 200, body = Staff),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
#[patch("/staff/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn update_staff(
    state: web::Data<AppState>,
    req: HttpRequest,
    AdminUser(admin): AdminUser,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateStaff>,
) -> Result<web::Json<Staff>> {
    let body = body.into_inner()?;
    let change = body;
    let staff = repo::staff::get(&state.db, admin.organisation_id, *id)
        .await?
        .ok_or(ApiError::NotFound("no such staff member"))?;
    if staff.id == admin.id {
        // An admin who demotes or deactivates themselves may leave nobody able to undo it.
        if change.role.is_some_and(|r| r != Role::Admin) {
            return Err(ApiError::invalid("role", "you cannot change your own role"));
        }
        if change.active == Some(false) {
            return Err(ApiError::invalid(
                "active",
                "you cannot deactivate yourself",
            ));
        }
    }
    if let Some(role) = change.role {
        refuse_commissioner(role)?;
    }
    if let Some(team) = change.team_id {
        ensure_team_in_org(&state, admin.organisation_id, team).await?;
    }
    let password_hash = match &change.password {
        Some(p) => Some(auth::hash_password(p.expose().to_owned()).await?),
        None => None,
    };
    let ends_sessions = password_hash.is_some() || change.active == Some(false);
    let detail = change_detail(&change);
    let new_team = change.team_id.filter(|t| *t != staff.team_id);
    let txn = crate::db::begin_write(&state.db).await?;
    let staff = repo::staff::update(
        &txn,
        staff,
        StaffChanges {
            name: change.name.map(String::from),
            role: change.role,
            team_id: change.team_id,
            active: change.active,
            password_hash,
        },
    )
    .await?;
    if ends_sessions {
        repo::tokens::revoke_all_for_staff(&txn, staff.id).await?;
    }
    if let Some(team) = new_team {
        // Their caseload moves with them from now on; earlier figures keep the old team.
        let moved = repo::holders::follow_team(
            &txn,
            staff.organisation_id,
            staff.id,
            team,
            chrono::Utc::now(),
        )
        .await?;
        tracing::info!(staff_id = %staff.id, moved, "caseload moved to the new team");
    }
    audit::log_change(
        &txn,
        &audit::staff_actor(&admin, &req),
        "update",
        "staff",
        staff.id,
        detail,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(staff_id = %staff.id, ends_sessions, "staff account updated");
    Ok(web::Json(staff.try_into()?))
}

/// What a change did, for the audit trail: the new role, team id and state, and whether the
/// name or password changed (never the name or password itself).
fn change_detail(change: &UpdateStaff) -> String {
    let mut parts = Vec::new();
    if change.name.is_some() {
        parts.push("name changed".to_owned());
    }
    if let Some(role) = change.role {
        parts.push(format!("role={role}"));
    }
    if let Some(team) = change.team_id {
        parts.push(team.map_or_else(|| "team=none".to_owned(), |t| format!("team={t}")));
    }
    if let Some(active) = change.active {
        parts.push(format!("active={active}"));
    }
    if change.password.is_some() {
        parts.push("password reset".to_owned());
    }
    parts.join("; ")
}

async fn ensure_team_in_org(state: &AppState, org: Uuid, team: Option<Uuid>) -> Result<()> {
    if let Some(team) = team
        && repo::teams::get(&state.db, org, team).await?.is_none()
    {
        return Err(ApiError::invalid(
            "team_id",
            "no such team in your organisation",
        ));
    }
    Ok(())
}
