//! Access tokens: HS256 JWTs that live minutes. The algorithm is pinned, so `alg: none` and
//! algorithm-swapping tokens fail validation.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The staff member's id.
    pub sub: Uuid,
    pub org: Uuid,
    /// The login it belongs to (its refresh-token family): when that login ends (logout, a
    /// reused refresh token, a password reset, a deactivation), so does this token.
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
    /// Always "staff_access": a token minted for another purpose cannot pass as this one.
    pub typ: String,
}

pub const STAFF_ACCESS: &str = "staff_access";
pub const PARTICIPANT: &str = "participant";

/// A participant's answering session for one invitation: no password, no account, and it
/// opens nothing but that invitation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParticipantClaims {
    /// The invitation id.
    pub sub: Uuid,
    pub org: Uuid,
    /// One per device that opened the invitation: one answer per session.
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub typ: String,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(<redacted>)")
    }
}

impl JwtKeys {
    pub fn from_secret(secret: &[u8]) -> Self {
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    pub fn sign<C: Serialize>(&self, claims: &C) -> anyhow::Result<String> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|e| anyhow::anyhow!("signing a token: {e}"))
    }

    pub(crate) fn decode<C: serde::de::DeserializeOwned>(&self, token: &str) -> Option<C> {
        let mut v = Validation::new(Algorithm::HS256);
        v.leeway = 5;
        v.set_required_spec_claims(&["exp", "sub", "iat"]);
        jsonwebtoken::decode::<C>(token, &self.decoding, &v)
            .ok()
            .map(|d| d.claims)
    }

    /// Verifies signature, algorithm, expiry (no leeway beyond a few seconds) and purpose.
    pub fn verify(&self, token: &str) -> Option<AccessClaims> {
        self.decode::<AccessClaims>(token)
            .filter(|c| c.typ == STAFF_ACCESS)
    }

    pub fn verify_participant(&self, token: &str) -> Option<ParticipantClaims> {
        self.decode::<ParticipantClaims>(token)
            .filter(|c| c.typ == PARTICIPANT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn claims(exp_offset: i64) -> AccessClaims {
        let now = chrono::Utc::now().timestamp();
        AccessClaims {
            sub: Uuid::new_v4(),
            org: Uuid::new_v4(),
            sid: Uuid::new_v4(),
            iat: now,
            exp: now + exp_offset,
            typ: STAFF_ACCESS.into(),
        }
    }

    #[test]
    fn a_signed_token_verifies_with_its_key_only() {
        let keys = JwtKeys::from_secret(b"0123456789abcdef0123456789abcdef");
        let other = JwtKeys::from_secret(b"another-key-another-key-another!!");
        let t = keys.sign(&claims(60)).unwrap();
        assert!(keys.verify(&t).is_some());
        assert!(other.verify(&t).is_none());
    }

    #[test]
    fn expired_and_unsigned_tokens_are_refused() {
        let keys = JwtKeys::from_secret(b"0123456789abcdef0123456789abcdef");
        assert!(keys.verify(&keys.sign(&claims(-60)).unwrap()).is_none());
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = b64.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = b64.encode(serde_json::to_vec(&claims(600)).unwrap());
        assert!(keys.verify(&format!("{header}.{body}.")).is_none());
    }
}
