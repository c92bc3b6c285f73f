//! A TCP proxy between the browser and the server that a test can cut and restore: the real
//! way to take a phone's signal away. Network emulation in Chromium does not stop a service
//! worker's own fetches (TOOLCHAIN.md §4), and stopping the server would lose its state.
//!
//! While cut, new connections are accepted and closed at once (the browser sees a network
//! error, as on a dead signal) and open connections are dropped.
//!
//! It also keeps the first line of every request it passed on and the bytes the server sent back
//! to it, headers included, so a test can see what a page load cost on the wire. (A browser
//! sends one request at a time on a connection and reads the answer before the next, so the
//! bytes that come back after a request belong to it.)
//!
//! It can also lose one answer: the request reaches the server whole, and the connection is
//! dropped as the server's answer starts back (a signal lost at the worst moment), so a test
//! can show that the retry stores nothing twice; or lose every answer to one kind of request
//! for a while (a file the phone cannot fetch).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::AbortHandle;

/// Which request's answer to lose next (one-shot), and how many were lost; and what went by.
#[derive(Default)]
struct Dropping {
    request: std::sync::Mutex<Option<Vec<u8>>>,
    /// Requests whose answers are all lost until [`Proxy::answer_all`] (not one-shot).
    refused: std::sync::Mutex<Vec<Vec<u8>>>,
    dropped: AtomicUsize,
    /// The first line of each request (`GET /app.css HTTP/1.1`) and the bytes of its answer.
    seen: std::sync::Mutex<Vec<(String, usize)>>,
    /// Bytes from the server to the browser, headers included.
    down: AtomicUsize,
}

pub struct Proxy {
    pub port: u16,
    open: Arc<AtomicBool>,
    dropping: Arc<Dropping>,
    connections: Arc<Mutex<Vec<AbortHandle>>>,
    accept: AbortHandle,
}

impl Proxy {
    /// Starts a proxy on a free loopback port that forwards to `upstream` (`host:port`).
    pub async fn start(upstream: &str) -> anyhow::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let open = Arc::new(AtomicBool::new(true));
        let connections = Arc::new(Mutex::new(Vec::<AbortHandle>::new()));
        let upstream = upstream.to_owned();
        let dropping = Arc::new(Dropping::default());
        let (o, c, d) = (open.clone(), connections.clone(), dropping.clone());
        let accept = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if !o.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let upstream = upstream.clone();
                let d = d.clone();
                let task = tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(&upstream).await {
                        forward(client, server, d).await;
                    }
                });
                let mut list = c.lock().await;
                list.retain(|h| !h.is_finished());
                list.push(task.abort_handle());
            }
        })
        .abort_handle();
        Ok(Proxy {
            port,
            open,
            dropping,
            connections,
            accept,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// No signal: refuse new connections and drop the open ones.
    pub async fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        for handle in self.connections.lock().await.drain(..) {
            handle.abort();
        }
    }

    /// Signal back.
    pub fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }

    /// The next request whose first line starts with `start` (e.g. `POST /api/sync`) reaches
    /// the server, but its answer never reaches the browser: the connection drops.
    pub fn drop_next_answer_to(&self, start: &str) {
        if let Ok(mut request) = self.dropping.request.lock() {
            *request = Some(start.as_bytes().to_vec());
        }
    }

    /// Every request whose first line starts with `start` (one more kind at each call) reaches
    /// the server, and its answer never reaches the browser, until [`Proxy::answer_all`]: a file
    /// the phone cannot fetch.
    pub fn refuse_answers_to(&self, start: &str) {
        if let Ok(mut refused) = self.dropping.refused.lock() {
            refused.push(start.as_bytes().to_vec());
        }
    }

    /// Ends [`Proxy::refuse_answers_to`].
    pub fn answer_all(&self) {
        if let Ok(mut refused) = self.dropping.refused.lock() {
            refused.clear();
        }
    }

    /// How many answers were lost so far.
    pub fn dropped_answers(&self) -> usize {
        self.dropping.dropped.load(Ordering::SeqCst)
    }

    /// The requests passed on so far, in order: each one's first line (`GET /app.css HTTP/1.1`)
    /// and the bytes of its answer so far. Read from the start of each read, as the browser
    /// writes a request's head in one go.
    pub fn requests(&self) -> Vec<(String, usize)> {
        self.dropping
            .seen
            .lock()
            .map(|seen| seen.clone())
            .unwrap_or_default()
    }

    /// Bytes the server has sent to the browser so far, headers included.
    pub fn bytes_down(&self) -> usize {
        self.dropping.down.load(Ordering::SeqCst)
    }
}

/// Copies both ways; drops the connection instead of the answer to a request marked for it.
async fn forward(client: TcpStream, server: TcpStream, dropping: Arc<Dropping>) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let doomed = Arc::new(AtomicBool::new(false));
    let marked = doomed.clone();
    let counted = dropping.clone();
    // Which request of `seen` the bytes coming back now answer.
    let answering = Arc::new(AtomicUsize::new(usize::MAX));
    let answered = answering.clone();
    let upward = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match client_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if let Some(line) = request_line(&buf[..n])
                && let Ok(mut seen) = dropping.seen.lock()
            {
                seen.push((line, 0));
                answering.store(seen.len() - 1, Ordering::SeqCst);
            }
            if let Ok(mut request) = dropping.request.lock()
                && request
                    .as_ref()
                    .is_some_and(|start| buf[..n].starts_with(start))
            {
                *request = None;
                marked.store(true, Ordering::SeqCst);
                dropping.dropped.fetch_add(1, Ordering::SeqCst);
            }
            if let Ok(refused) = dropping.refused.lock()
                && refused.iter().any(|start| buf[..n].starts_with(start))
            {
                marked.store(true, Ordering::SeqCst);
                dropping.dropped.fetch_add(1, Ordering::SeqCst);
            }
            if server_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
    };
    let downward = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match server_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if doomed.load(Ordering::SeqCst) {
                // The server has answered, so it has stored the batch; the browser never hears.
                break;
            }
            if client_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
            counted.down.fetch_add(n, Ordering::SeqCst);
            if let Ok(mut seen) = counted.seen.lock()
                && let Some((_, bytes)) = seen.get_mut(answered.load(Ordering::SeqCst))
            {
                *bytes += n;
            }
        }
    };
    // Either direction ending ends the connection, as a dropped signal does.
    tokio::select! {
        _ = upward => {},
        _ = downward => {},
    }
}

/// `GET /x HTTP/1.1` when `bytes` start a request.
fn request_line(bytes: &[u8]) -> Option<String> {
    let end = bytes.windows(2).position(|w| w == b"\r\n")?;
    let line = std::str::from_utf8(&bytes[..end]).ok()?;
    let method = line.split(' ').next()?;
    (method.len() >= 3
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && line.ends_with("HTTP/1.1"))
    .then(|| line.to_owned())
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}
