//! Voice comments (DESIGN.md §5): reading the recording from a request and storing it once per
//! response. Like every record made on a device, the same recording sent again is stored once
//! and answered the same; another recording for the same response is a 409.

use crate::{
    ApiError, Result,
    entities::{response, voice_comment},
    repo,
};
use actix_web::{HttpRequest, http::header, web};
use chrono::Utc;
use domain::voice::{AudioType, MAX_VOICE_BYTES, VoiceComment};
use futures_util::StreamExt;
use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};

const AUDIO_TYPES: &str = "audio/webm, audio/ogg, audio/mp4, audio/mpeg or audio/wav";

/// A recording as it arrived: its type and its bytes (1 byte to 3 MiB).
pub struct Recording {
    pub content_type: AudioType,
    pub bytes: web::Bytes,
}

/// Reads the request body as a recording. Called by handlers after the caller and the response
/// have been checked, so nobody learns anything from a refused body they were not allowed to send.
pub async fn read(req: &HttpRequest, mut payload: web::Payload) -> Result<Recording> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| AudioType::parse(v).ok())
        .ok_or(ApiError::UnsupportedMediaType {
            expected: AUDIO_TYPES,
        })?;
    let too_large = ApiError::PayloadTooLarge {
        limit: MAX_VOICE_BYTES,
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_VOICE_BYTES) {
        return Err(too_large);
    }
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::MalformedBody(e.to_string()))?;
        if body.len() + chunk.len() > MAX_VOICE_BYTES {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    if body.is_empty() {
        return Err(ApiError::invalid("body", "the recording is empty"));
    }
    Ok(Recording {
        content_type,
        bytes: body.freeze(),
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl From<repo::voice::Summary> for VoiceComment {
    fn from(v: repo::voice::Summary) -> Self {
        VoiceComment {
            response_id: v.response_id,
            content_type: v.content_type,
            byte_len: u64::try_from(v.byte_len).unwrap_or_default(),
            sha256: v.sha256,
            created_at: v.created_at,
        }
    }
}

/// The same recording again: the stored one; anything else: a conflict on the response id.
fn same_recording(
    existing: repo::voice::Summary,
    content_type: &AudioType,
    sha256: &str,
) -> Result<VoiceComment> {
    if existing.sha256 == sha256 && existing.content_type == content_type.as_str() {
        Ok(existing.into())
    } else {
        Err(ApiError::conflict(
            "id",
            "this response already has a different voice comment",
        ))
    }
}

/// Refuses a first recording for a response that cannot have one.
async fn may_take_recording(db: &impl ConnectionTrait, r: &response::Model) -> Result<()> {
    // Erasure keeps an anonymous answer but not what was said: a phone resending the
    // recording afterwards must not bring it back.
    if r.body_hash == crate::services::privacy::ERASED {
        return Err(ApiError::conflict(
            "id",
            "this response's personal data has been erased",
        ));
    }
    let def = repo::instruments::version(db, &r.instrument_key, r.instrument_version)
        .await?
        .ok_or_else(|| anyhow::anyhow!("response names a missing instrument"))?;
    if def.comment_prompt.is_none() {
        return Err(ApiError::invalid("id", "this survey takes no comment"));
    }
    Ok(())
}

/// Stores `rec` as the voice comment of `r`, a response the caller may add to.
#[tracing::instrument(skip_all, fields(response_id = %r.id), err(level = "debug"))]
pub async fn store(
    db: &impl ConnectionTrait,
    r: &response::Model,
    rec: Recording,
) -> Result<VoiceComment> {
    let sha256 = sha256_hex(&rec.bytes);
    if let Some(existing) = repo::voice::summary(db, r.id).await? {
        return same_recording(existing, &rec.content_type, &sha256);
    }
    may_take_recording(db, r).await?;
    let byte_len = i64::try_from(rec.bytes.len()).map_err(anyhow::Error::from)?;
    let row = voice_comment::Model {
        response_id: r.id,
        organisation_id: r.organisation_id,
        content_type: rec.content_type.as_str().to_owned(),
        bytes: rec.bytes.to_vec(),
        sha256: sha256.clone(),
        byte_len,
        created_at: Utc::now(),
    };
    match repo::voice::insert(db, row).await {
        Ok(m) => {
            tracing::info!(response_id = %m.response_id, byte_len, "voice comment stored");
            Ok(VoiceComment {
                response_id: m.response_id,
                content_type: m.content_type,
                byte_len: u64::try_from(m.byte_len).unwrap_or_default(),
                sha256: m.sha256,
                created_at: m.created_at,
            })
        }
        // A resend racing this one.
        Err(e) if repo::is_unique_violation(&e) => match repo::voice::summary(db, r.id).await? {
            Some(existing) => same_recording(existing, &rec.content_type, &sha256),
            None => Err(e.into()),
        },
        Err(e) => Err(e.into()),
    }
}
