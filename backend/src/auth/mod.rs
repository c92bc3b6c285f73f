//! Staff authentication: Argon2 passwords, short-lived signed access tokens, rotating refresh
//! tokens, and the typed identities (`StaffUser`, ...) that `crate::extract` makes from a request.

mod identity;
mod jwt;
mod password;

pub use identity::{
    AdminUser, CommissionerUser, InvitationHolder, ManagerUser, ReportReader, SignedIn, StaffUser,
};
pub use jwt::{AccessClaims, JwtKeys, PARTICIPANT, ParticipantClaims, STAFF_ACCESS};
pub use password::{LoginTurns, NoLoginTurn, hash_password, verify_password};

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh random token (256 bits), URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// HMAC-SHA256 of `message` under `key`, URL-safe base64.
pub fn hmac_token(key: &[u8], message: &str) -> String {
    use hmac::{Mac, SimpleHmac};
    match SimpleHmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message.as_bytes());
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        }
        // HMAC takes keys of any length; this arm cannot be reached.
        Err(_) => String::new(),
    }
}

/// A key for one purpose derived from the server secret, so one leaked derived key does not
/// forge tokens of another kind.
pub fn derive_key(secret: &[u8], purpose: &str) -> Vec<u8> {
    hmac_token(secret, purpose).into_bytes()
}

/// Tokens are stored only as their SHA-256, so a copy of the database holds no live token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
