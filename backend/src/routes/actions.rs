//! "You said, we did" (managers write and publish actions) and the wellbeing prompts that send
//! staff to talk a decline through in person.

use crate::{
    Result,
    auth::{ManagerUser, StaffUser},
    json::ApiJson,
    services::feedback,
    state::AppState,
};
use actix_web::{HttpResponse, get, patch, post, web};
use domain::{
    ErrorBody,
    feedback::{Action, NewAction, PublishOutcome, UpdateAction, WellbeingPrompt},
};
use uuid::Uuid;

#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    request_body = NewAction,
    responses(
        (status = 201, description = "The action, as a draft", body = Action),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
    )
)]
#[post("/actions")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_action(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    body: ApiJson<NewAction>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let action = feedback::create_action(&state, &user, body).await?;
    Ok(HttpResponse::Created().json(action))
}

#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    responses((status = 200, description = "Every action of the organisation, drafts too, newest first", body = Vec<Action>), (status = 403, body = ErrorBody))
)]
#[get("/actions")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_actions(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
) -> Result<web::Json<Vec<Action>>> {
    Ok(web::Json(feedback::list_actions(&state, &user).await?))
}

#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Action), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/actions/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_action(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Action>> {
    Ok(web::Json(feedback::get_action(&state, &user, *id).await?))
}

#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = UpdateAction,
    responses((status = 200, body = Action), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[patch("/actions/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn update_action(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateAction>,
) -> Result<web::Json<Action>> {
    let body = body.into_inner()?;
    Ok(web::Json(
        feedback::update_action(&state, &user, *id, body).await?,
    ))
}

#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "Published (again: nothing changes), with the results digests queued", body = PublishOutcome),
        (status = 400, description = "No Easy Read version yet (`field`: easy_read)", body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
#[post("/actions/{id}/publish")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn publish_action(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<PublishOutcome>> {
    let (action, emails_queued) = feedback::publish_action(&state, &user, *id).await?;
    Ok(web::Json(PublishOutcome {
        action,
        emails_queued,
    }))
}

#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    responses((status = 200, description = "Wellbeing declines of the past year still to talk through: a specialist's own caseload, a manager's organisation", body = Vec<WellbeingPrompt>))
)]
#[get("/prompts")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_prompts(
    state: web::Data<AppState>,
    user: StaffUser,
) -> Result<web::Json<Vec<WellbeingPrompt>>> {
    Ok(web::Json(feedback::prompts(&state, &user).await?))
}

#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The prompt's id (the end form's response id)")),
    responses((status = 204, description = "Marked as talked through"), (status = 404, body = ErrorBody))
)]
#[post("/prompts/{id}/done")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn prompt_done(
    state: web::Data<AppState>,
    user: StaffUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    feedback::prompt_done(&state, &user, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
