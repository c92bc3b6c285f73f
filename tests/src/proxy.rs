//! A TCP proxy between the browser and the server that a test can cut and restore: the real
//! way to take a phone's signal away. Network emulation in Chromium does not stop a service
//! worker's own fetches (TOOLCHAIN.md §4), and stopping the server would lose its state.
//!
//! While cut, new connections are accepted and closed at once (the browser sees a network
//! error, as on a dead signal) and open connections are dropped.
//!
//! It can also lose one answer: the request reaches the server whole, and the connection is
//! dropped as the server's answer starts back (a signal lost at the worst moment), so a test
//! can show that the retry stores nothing twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::AbortHandle;

/// Which request's answer to lose next (one-shot), and how many were lost.
#[derive(Default)]
struct Dropping {
    request: std::sync::Mutex<Option<Vec<u8>>>,
    dropped: AtomicUsize,
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

    /// How many answers were lost so far.
    pub fn dropped_answers(&self) -> usize {
        self.dropping.dropped.load(Ordering::SeqCst)
    }
}

/// Copies both ways; drops the connection instead of the answer to a request marked for it.
async fn forward(client: TcpStream, server: TcpStream, dropping: Arc<Dropping>) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let doomed = Arc::new(AtomicBool::new(false));
    let marked = doomed.clone();
    let upward = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match client_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if let Ok(mut request) = dropping.request.lock()
                && request
                    .as_ref()
                    .is_some_and(|start| buf[..n].starts_with(start))
            {
                *request = None;
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
        }
    };
    // Either direction ending ends the connection, as a dropped signal does.
    tokio::select! {
        _ = upward => {},
        _ = downward => {},
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}
