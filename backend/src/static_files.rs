//! The PWA's files from `frontend/dist`, as a phone on a weak signal should get them: the
//! brotli or gzip copy the build wrote (`FILE.br`, `FILE.gz`), chosen by `Accept-Encoding`, and
//! content-hashed files (`boot.<16 hex>.js`) cached for a year, while the pages, the manifests and
//! `sw.js` are revalidated on every use (`no-cache`, with ETags). Any other page path gets the
//! app's page, so client routes work on reload.

use crate::error::ApiError;
use actix_files::NamedFile;
use actix_web::{
    HttpRequest, HttpResponse,
    http::{
        Method,
        header::{self, ContentEncoding, HeaderValue},
    },
    web,
};
use std::path::{Path, PathBuf};

/// For a file whose name is its content: it can never change, so it need never be asked again.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Pages, manifests and `sw.js` keep their names across builds: ask every time (cheap with ETags).
const REVALIDATE: &str = "no-cache";
/// The length of the hash `scripts/pack-dist` puts in a file's name.
const HASH_LEN: usize = 16;

pub fn configure(cfg: &mut web::ServiceConfig, dir: &Path) {
    if dir.join("index.html").is_file() {
        let dir = web::Data::new(Dist(dir.to_owned()));
        cfg.app_data(dir).default_service(web::to(serve));
    } else {
        tracing::warn!(dir = %dir.display(), "no PWA build found; run scripts/build-frontend");
        cfg.default_service(web::to(|| async {
            HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, REVALIDATE))
                .body(
                    "<!doctype html><html lang=\"en\"><title>Soundings</title><h1>Soundings</h1>\
                 <p>The server is running, but the app has not been built. \
                 Run <code>scripts/build-frontend</code>.</p></html>",
                )
        }));
    }
}

/// Where the built PWA is.
struct Dist(PathBuf);

async fn serve(req: HttpRequest, dist: web::Data<Dist>) -> Result<HttpResponse, ApiError> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return Ok(HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "GET, HEAD"))
            .finish());
    }
    let Some(path) = file_for(&dist.0, req.path()) else {
        return Err(ApiError::NotFound("no such file"));
    };
    send(&req, &path)
}

/// The file a path names, the page for a client route, or `None` for a missing file.
fn file_for(dir: &Path, path: &str) -> Option<PathBuf> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    // Only plain names: no `..`, no hidden files, no encoded characters, no empty segments
    // except a trailing slash.
    let (last, parents) = segments.split_last()?;
    let plain = |s: &&str| !s.is_empty() && !s.starts_with('.') && !s.contains(['%', '\\', '\0']);
    if !parents.iter().all(plain) || !(last.is_empty() || plain(last)) {
        return None;
    }
    let file = parents
        .iter()
        .chain([last])
        .fold(dir.to_owned(), |p, s| p.join(s));
    if file.is_file() {
        return Some(file);
    }
    if file.join("index.html").is_file() {
        return Some(file.join("index.html"));
    }
    // A missing file (it has an extension) is a 404, not the page: a script that is not there
    // must not arrive as HTML.
    if last.contains('.') {
        return None;
    }
    // The staff app is a second page with its own client routes under /staff.
    let staff = dir.join("staff").join("index.html");
    if (path == "/staff" || path.starts_with("/staff/")) && staff.is_file() {
        return Some(staff);
    }
    Some(dir.join("index.html"))
}

/// Sends `path`, or its brotli or gzip copy if the client takes it, with its caching rules.
fn send(req: &HttpRequest, path: &Path) -> Result<HttpResponse, ApiError> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    let accepted = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let variants = [
        ("br", ContentEncoding::Brotli),
        ("gz", ContentEncoding::Gzip),
    ]
    .map(|(suffix, encoding)| (sibling(path, suffix), encoding));
    let compressible = variants.iter().any(|(p, _)| p.is_file());
    let chosen = variants
        .into_iter()
        .find(|(p, encoding)| accepts(accepted, encoding.as_str()) && p.is_file());
    let file = match &chosen {
        Some((variant, encoding)) => NamedFile::open(variant)
            .map(|f| f.set_content_encoding(*encoding))
            .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?,
        None => NamedFile::open(path).map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?,
    };
    let mut res = file
        .set_content_type(actix_files::file_extension_to_mime(extension))
        .disable_content_disposition()
        .use_etag(true)
        .use_last_modified(true)
        .into_response(req);
    let headers = res.headers_mut();
    let cache = if is_hashed(name) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if compressible {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    Ok(res)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether an `Accept-Encoding` value takes `coding` (by name or `*`, with a q above zero).
fn accepts(header: &str, coding: &str) -> bool {
    let mut wildcard = false;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        if name.eq_ignore_ascii_case(coding) {
            return !refused;
        }
        if name == "*" {
            wildcard = !refused;
        }
    }
    wildcard
}

/// `name.<16 lowercase hex>.ext`, as `scripts/pack-dist` names what it hashes.
fn is_hashed(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let (Some(_ext), Some(hash), Some(_stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    hash.len() == HASH_LEN
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::{accepts, is_hashed};

    #[test]
    fn an_encoding_is_taken_by_name_or_wildcard_unless_refused() {
        assert!(accepts("br, gzip", "br"));
        assert!(accepts("gzip, deflate, br, zstd", "gzip"));
        assert!(accepts("BR;q=0.5", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(!accepts("br; q=0.0", "br"));
        assert!(accepts("*", "br"));
        assert!(!accepts("*, br;q=0", "br"));
        assert!(!accepts("", "gzip"));
    }

    #[test]
    fn only_names_with_a_sixteen_hex_digit_hash_are_hashed() {
        assert!(is_hashed("boot.0123456789abcdef.js"));
        assert!(is_hashed("soundings_frontend_bg.0123456789abcdef.wasm"));
        assert!(!is_hashed("boot.js"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("boot.0123456789ABCDEF.js"));
        assert!(!is_hashed("0123456789abcdef.js"));
        assert!(!is_hashed("boot.0123456789abcde.js"));
    }
}
