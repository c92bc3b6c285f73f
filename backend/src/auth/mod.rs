//! Staff authentication: Argon2 passwords, short-lived signed access tokens, rotating refresh
//! tokens, and the extractors that turn a request into a typed identity.

mod extract;
mod jwt;
mod password;

pub use extract::{AdminUser, ManagerUser, StaffUser};
pub use jwt::{AccessClaims, JwtKeys, STAFF_ACCESS};
pub use password::{hash_password, verify_password};

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh random token (256 bits), URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are stored only as their SHA-256, so a copy of the database holds no live token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
