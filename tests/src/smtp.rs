//! A real SMTP server on loopback for the mail tests: `mailin`'s protocol engine (the one inside
//! `mailin-embedded`) over plain TCP, one thread per connection. It keeps every message it
//! accepts, and can be told to hold its reply to DATA (so a test can kill a sender mid-send) or
//! to stop listening (so a test can see the sender's retries).

use mailin::{Action, Handler, Response, SessionBuilder, response};
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::{
    Arc, Mutex,
    atomic::{AtomicBool, Ordering},
};
use std::time::Duration;

use crate::wait;

/// The longest a held reply to DATA waits for the test to release it: a test holds it only
/// while it kills a sender, so this only stops a broken test leaving the thread behind.
const HOLD_AT_MOST: Duration = Duration::from_secs(60);

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent after DATA: headers, blank line, body.
    pub data: String,
}

impl Received {
    /// A header's value (first occurrence, unfolded), by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with(' ') || line.starts_with('\t') {
                    v.push(' ');
                    v.push_str(line.trim());
                    continue;
                }
                break;
            }
            if let Some((n, v)) = line.split_once(':')
                && n.eq_ignore_ascii_case(name)
            {
                value = Some(v.trim().to_owned());
            }
        }
        value
    }

    pub fn message_id(&self) -> String {
        self.header("Message-ID").unwrap_or_default()
    }

    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    /// The whole message with quoted-printable soft breaks and `=3D` undone, so links can be
    /// found whatever transfer encoding a part used (base64 parts are decoded too).
    pub fn decoded(&self) -> String {
        use base64::Engine;
        let mut out = self.data.replace("=\r\n", "").replace("=3D", "=");
        for part in self
            .data
            .split("Content-Transfer-Encoding: base64\r\n")
            .skip(1)
        {
            let body = part.split("\r\n\r\n").nth(1).unwrap_or("");
            let b64: String = body
                .split("\r\n--")
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(b64) {
                out.push('\n');
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
        out
    }

    /// The token after `marker` (`#t=`, `#r=`, `#u=`) in the first link that has one.
    pub fn token_after(&self, marker: &str) -> Option<String> {
        let text = self.decoded();
        let start = text.find(marker)? + marker.len();
        Some(
            text[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == '.')
                .collect(),
        )
    }
}

#[derive(Clone)]
struct Sink {
    messages: Arc<Mutex<Vec<Received>>>,
    hold: Arc<AtomicBool>,
    current: Option<(String, Vec<String>, Vec<u8>)>,
}

impl Handler for Sink {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some((from.to_owned(), to.to_vec(), Vec::new()));
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some((_, _, data)) = self.current.as_mut() {
            data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some((from, to, data)) = self.current.take() {
            self.messages.lock().unwrap().push(Received {
                from,
                to,
                data: String::from_utf8_lossy(&data).into_owned(),
            });
        }
        // Held: the message is here, but the sender has not heard so (a crash now means it
        // must send again) until the test releases it.
        wait::until_blocking("the test to release the held reply", HOLD_AT_MOST, || {
            !self.hold.load(Ordering::SeqCst)
        });
        response::OK
    }
}

pub struct SmtpServer {
    pub port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
    hold: Arc<AtomicBool>,
    stopped: Arc<AtomicBool>,
}

impl SmtpServer {
    /// Listens on a free loopback port.
    pub fn start() -> SmtpServer {
        Self::start_on(0)
    }

    /// Listens on `port` (0 for any free one).
    pub fn start_on(port: u16) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("binding the SMTP server");
        let port = listener.local_addr().unwrap().port();
        let server = SmtpServer {
            port,
            messages: Arc::default(),
            hold: Arc::default(),
            stopped: Arc::default(),
        };
        let sink = Sink {
            messages: server.messages.clone(),
            hold: server.hold.clone(),
            current: None,
        };
        let stopped = server.stopped.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = conn else { continue };
                let sink = sink.clone();
                std::thread::spawn(move || {
                    let _ = converse(stream, sink);
                });
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.messages.lock().unwrap().clone()
    }

    /// Holds (true) or releases (false) the reply to every DATA from now on.
    pub fn hold_replies(&self, hold: bool) {
        self.hold.store(hold, Ordering::SeqCst);
    }

    /// Stops accepting connections; the port is closed once this returns.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        // Wait for the listener to go: a refused connection shows it has.
        wait::until_blocking(
            "the SMTP server's port to close",
            Duration::from_secs(10),
            || TcpStream::connect(("127.0.0.1", self.port)).is_err(),
        );
    }

    /// Waits until at least `n` messages have arrived, and returns every one received.
    pub async fn wait_for_messages(&self, n: usize, deadline: Duration) -> Vec<Received> {
        wait::until(
            &format!("{n} email(s) at the SMTP server"),
            deadline,
            || async {
                let got = self.received();
                (got.len() >= n).then_some(got)
            },
        )
        .await
    }
}

fn converse(stream: TcpStream, sink: Sink) -> std::io::Result<()> {
    let remote: IpAddr = stream.peer_addr()?.ip();
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut session = SessionBuilder::new("sink.test").build(remote, sink);
    session.greeting().write_to(&mut writer)?;
    writer.flush()?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let res = session.process(&line);
        match res.action {
            Action::Reply => {
                res.write_to(&mut writer)?;
                writer.flush()?;
            }
            Action::Close => {
                res.write_to(&mut writer)?;
                writer.flush()?;
                return Ok(());
            }
            Action::UpgradeTls => return Ok(()),
            Action::NoReply => {}
        }
    }
}
