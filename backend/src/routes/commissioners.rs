//! Commissioners (issue 18): an admin shares the organisation's published reports with a
//! commissioner; a commissioner reads the reports of every organisation sharing with them.

use crate::services::{audit, oversight};
use crate::{
    ApiError, Result,
    auth::{self, AdminUser, CommissionerUser},
    entities::{commissioner_share, staff as entity},
    json::ApiJson,
    repo,
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use domain::{
    Email, ErrorBody, Role,
    commissioning::{Commissioner, InviteCommissioner, SharedReport},
};
use uuid::Uuid;

fn commissioner(person: entity::Model, share: &commissioner_share::Model) -> Result<Commissioner> {
    Ok(Commissioner {
        id: person.id,
        name: person.name,
        email: Email::parse(&person.email).map_err(|e| anyhow::anyhow!("stored email: {e}"))?,
        shared_at: share.shared_at,
    })
}

#[utoipa::path(
    tag = "commissioners",
    security(("bearer" = [])),
    responses((status = 200, description = "The commissioners this organisation shares its published reports with, by name", body = Vec<Commissioner>), (status = 403, body = ErrorBody))
)]
#[get("/commissioners")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_commissioners(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
) -> Result<web::Json<Vec<Commissioner>>> {
    let shared = repo::commissioners::of_organisation(&state.db, admin.organisation_id).await?;
    Ok(web::Json(
        shared
            .into_iter()
            .map(|(person, share)| commissioner(person, &share))
            .collect::<Result<_>>()?,
    ))
}

#[utoipa::path(
    tag = "commissioners",
    security(("bearer" = [])),
    request_body = InviteCommissioner,
    responses(
        (status = 201, description = "A new commissioner's account, with this organisation's reports shared", body = Commissioner),
        (status = 200, description = "The address already had a commissioner's account: this organisation's reports are shared with it (its name and password are unchanged); also when it already was", body = Commissioner),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "The address belongs to a staff account", body = ErrorBody),
    )
)]
#[post("/commissioners")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn invite_commissioner(
    state: web::Data<AppState>,
    req: HttpRequest,
    AdminUser(admin): AdminUser,
    body: ApiJson<InviteCommissioner>,
) -> Result<HttpResponse> {
    let InviteCommissioner {
        email,
        name,
        password,
    } = body.into_inner()?;
    let actor = audit::staff_actor(&admin, &req);
    let org = admin.organisation_id;
    let existing = repo::staff::find_by_email(&state.db, email.as_str()).await?;
    if let Some(person) = existing {
        if person.role != Role::Commissioner.as_str() {
            return Err(ApiError::conflict(
                "email",
                "this email belongs to a staff account; a commissioner needs an address of their own",
            ));
        }
        let txn = crate::db::begin_write(&state.db).await?;
        let share = match repo::commissioners::share(&txn, person.id, org, admin.id).await? {
            Some(new) => {
                audit::log_change(
                    &txn,
                    &actor,
                    "share",
                    "commissioner",
                    person.id,
                    String::new(),
                )
                .await?;
                new
            }
            None => repo::commissioners::find_share(&txn, person.id, org)
                .await?
                .ok_or_else(|| anyhow::anyhow!("a share that exists is found"))?,
        };
        txn.commit().await?;
        tracing::info!(commissioner_id = %person.id, "reports shared with a commissioner");
        return Ok(HttpResponse::Ok().json(commissioner(person, &share)?));
    }
    let name =
        name.ok_or_else(|| ApiError::invalid("name", "required: the name of a new commissioner"))?;
    let password = password.ok_or_else(|| {
        ApiError::invalid(
            "password",
            "required: a first password for a new commissioner",
        )
    })?;
    let password_hash = auth::hash_password(password.expose().to_owned()).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let person = repo::staff::create(
        &txn,
        repo::staff::NewStaff {
            organisation_id: org,
            team_id: None,
            name: name.as_str(),
            email: email.as_str(),
            role: Role::Commissioner,
            password_hash,
        },
    )
    .await
    .map_err(super::staff::email_taken)?;
    let share = repo::commissioners::share(&txn, person.id, org, admin.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a new account has no share yet"))?;
    audit::log_change(
        &txn,
        &actor,
        "create",
        "commissioner",
        person.id,
        String::new(),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(commissioner_id = %person.id, "commissioner account created");
    Ok(HttpResponse::Created().json(commissioner(person, &share)?))
}

#[utoipa::path(
    tag = "commissioners",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The commissioner's id")),
    responses((status = 204, description = "This organisation's reports are no longer shared with them (their account stays, with any other organisation's)"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/commissioners/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn stop_sharing(
    state: web::Data<AppState>,
    req: HttpRequest,
    AdminUser(admin): AdminUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let txn = crate::db::begin_write(&state.db).await?;
    if !repo::commissioners::unshare(&txn, *id, admin.organisation_id).await? {
        return Err(ApiError::NotFound("no such commissioner"));
    }
    audit::log_change(
        &txn,
        &audit::staff_actor(&admin, &req),
        "unshare",
        "commissioner",
        *id,
        String::new(),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(commissioner_id = %id, "reports no longer shared with a commissioner");
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    tag = "commissioners",
    security(("bearer" = [])),
    responses((status = 200, description = "The published reports of every organisation sharing with the commissioner, newest first, with their grade, key messages and headline figures (each opens whole at GET /api/reports/{id}, without anything about one person)", body = Vec<SharedReport>), (status = 403, body = ErrorBody))
)]
#[get("/commissioner/reports")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn shared_reports(
    state: web::Data<AppState>,
    CommissionerUser(user): CommissionerUser,
) -> Result<web::Json<Vec<SharedReport>>> {
    Ok(web::Json(
        oversight::shared_reports(&state.db, &user).await?,
    ))
}
