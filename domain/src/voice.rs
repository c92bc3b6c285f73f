//! Voice comments (DESIGN.md §5): audio a participant records in the browser instead of, or as
//! well as, typing a comment. The server stores it as sent; these are the rules on what it takes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ParseError;

/// Largest recording accepted: a few minutes of speech at MediaRecorder's usual bit rates.
pub const MAX_VOICE_BYTES: usize = 3 * 1024 * 1024;

/// The audio types browsers record (MediaRecorder gives webm or ogg on Chromium and Firefox,
/// mp4 on Safari) and two common upload formats.
pub const AUDIO_TYPES: [&str; 5] = [
    "audio/webm",
    "audio/ogg",
    "audio/mp4",
    "audio/mpeg",
    "audio/wav",
];

/// A Content-Type naming one of [`AUDIO_TYPES`], kept as sent (with parameters such as
/// `;codecs=opus`, which players need), lower-cased and without spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioType(String);

impl AudioType {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let value: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let essence = value.split(';').next().unwrap_or("");
        if !AUDIO_TYPES.contains(&essence) {
            return Err(ParseError(format!(
                "a voice comment is one of {}",
                AUDIO_TYPES.join(", ")
            )));
        }
        if value.len() > 100 || !value.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ParseError(
                "the content type's parameters are not valid".into(),
            ));
        }
        Ok(AudioType(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the server holds about a stored voice comment (the audio itself is fetched apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoiceComment {
    pub response_id: Uuid,
    /// As sent, e.g. `audio/webm;codecs=opus`.
    pub content_type: String,
    pub byte_len: u64,
    /// SHA-256 of the audio, hex: sending the same recording again is recognised by it.
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorder_types_are_taken_with_their_parameters() {
        assert_eq!(
            AudioType::parse("audio/webm; codecs=opus").map(|t| t.0),
            Ok("audio/webm;codecs=opus".to_owned())
        );
        assert_eq!(
            AudioType::parse("Audio/MP4").map(|t| t.0),
            Ok("audio/mp4".to_owned())
        );
    }

    #[test]
    fn other_types_are_refused() {
        for t in [
            "",
            "audio/",
            "audio/flac",
            "video/webm",
            "application/json",
            "audio/webmx",
        ] {
            assert!(AudioType::parse(t).is_err(), "{t}");
        }
    }
}
