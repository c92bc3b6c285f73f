//! Waiting for a condition, never for a length of time: a test says what it is waiting for,
//! the condition is looked at again and again until it holds, and a deadline only stops a
//! broken test from hanging (nothing here asserts how fast anything is). A fixed sleep either
//! wastes time or, on a slow or busy machine, is too short and fails now and then.
//!
//! This module holds the only sleeps in the tests crate (`scripts/check-layout` keeps it
//! so): the pause between two looks at a condition, and [`Ticker`], which paces load in the
//! bench's threads.
//!
//! A condition is a closure that looks once and answers `bool`, `Option<T>` (`Some` when it
//! holds) or `Result<T, E>` (`Err` says what it saw instead, which a timeout then reports).

use std::fmt::Debug;
use std::future::Future;
use std::time::{Duration, Instant};

/// The first pause between two looks; it doubles up to [`MAX_INTERVAL`], so a condition that
/// holds quickly is seen quickly, and a slow one is not asked about hundreds of times a second.
pub const FIRST_INTERVAL: Duration = Duration::from_millis(10);
/// The longest pause between two looks.
pub const MAX_INTERVAL: Duration = Duration::from_millis(100);

/// What one look at a condition found: the value waited for, or what was seen instead.
pub trait Look {
    type Output;
    type Seen: Debug;
    fn into_result(self) -> Result<Self::Output, Self::Seen>;
}

/// What a look that answered `false` or `None` saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotYet;

impl Look for bool {
    type Output = ();
    type Seen = NotYet;
    fn into_result(self) -> Result<(), NotYet> {
        if self { Ok(()) } else { Err(NotYet) }
    }
}

impl<T> Look for Option<T> {
    type Output = T;
    type Seen = NotYet;
    fn into_result(self) -> Result<T, NotYet> {
        self.ok_or(NotYet)
    }
}

impl<T, E: Debug> Look for Result<T, E> {
    type Output = T;
    type Seen = E;
    fn into_result(self) -> Result<T, E> {
        self
    }
}

/// The pauses between looks: short at first, then longer.
struct Intervals(Duration);

impl Intervals {
    fn new() -> Self {
        Intervals(FIRST_INTERVAL)
    }

    fn next(&mut self) -> Duration {
        let now = self.0;
        self.0 = (self.0 * 2).min(MAX_INTERVAL);
        now
    }
}

/// Looks at `check` until it holds and returns its value; panics (failing the test) naming
/// `what` and what the last look saw once `deadline` has passed.
pub async fn until<L, F, Fut>(what: &str, deadline: Duration, check: F) -> L::Output
where
    L: Look,
    F: FnMut() -> Fut,
    Fut: Future<Output = L>,
{
    match within(deadline, check).await {
        Ok(value) => value,
        Err(seen) => panic!("gave up after {deadline:?} waiting for {what}; last saw {seen:?}"),
    }
}

/// Until a server started at `base` (a separate process) answers `GET /health/ready`.
pub async fn until_ready(http: &reqwest::Client, base: &str, deadline: Duration) {
    until("the server to answer ready", deadline, || async {
        http.get(format!("{base}/health/ready"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
    })
    .await;
}

/// Like [`until`], but hands back what the last look saw when `deadline` passes, for a caller
/// that reports the timeout itself (as an error with more context) instead of panicking.
pub async fn within<L, F, Fut>(deadline: Duration, mut check: F) -> Result<L::Output, L::Seen>
where
    L: Look,
    F: FnMut() -> Fut,
    Fut: Future<Output = L>,
{
    let end = Instant::now() + deadline;
    let mut intervals = Intervals::new();
    loop {
        let seen = match check().await.into_result() {
            Ok(value) => return Ok(value),
            Err(seen) => seen,
        };
        if Instant::now() >= end {
            return Err(seen);
        }
        tokio::time::sleep(intervals.next()).await;
    }
}

/// [`until`] for code on a plain thread (the test SMTP server's).
pub fn until_blocking<L, F>(what: &str, deadline: Duration, check: F) -> L::Output
where
    L: Look,
    F: FnMut() -> L,
{
    match within_blocking(deadline, check) {
        Ok(value) => value,
        Err(seen) => panic!("gave up after {deadline:?} waiting for {what}; last saw {seen:?}"),
    }
}

/// [`within`] for code on a plain thread.
pub fn within_blocking<L, F>(deadline: Duration, mut check: F) -> Result<L::Output, L::Seen>
where
    L: Look,
    F: FnMut() -> L,
{
    let end = Instant::now() + deadline;
    let mut intervals = Intervals::new();
    loop {
        let seen = match check().into_result() {
            Ok(value) => return Ok(value),
            Err(seen) => seen,
        };
        if Instant::now() >= end {
            return Err(seen);
        }
        std::thread::sleep(intervals.next());
    }
}

/// Paces work on a plain thread at a fixed rate (the bench's probes), as
/// `tokio::time::interval` does for tasks: this is pacing load, not waiting for anything.
pub struct Ticker {
    next: Instant,
    period: Duration,
}

impl Ticker {
    /// The first tick is at once.
    pub fn new(period: Duration) -> Ticker {
        Ticker {
            next: Instant::now(),
            period,
        }
    }

    /// Blocks until the next tick. A late tick is not made up for: the one after is a whole
    /// period later.
    pub fn tick(&mut self) {
        let now = Instant::now();
        if let Some(left) = self.next.checked_duration_since(now) {
            std::thread::sleep(left);
            self.next += self.period;
        } else {
            self.next = now + self.period;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn until_returns_the_value_once_the_condition_holds() {
        let looks = AtomicU32::new(0);
        let value = until("the third look", Duration::from_secs(5), || async {
            let n = looks.fetch_add(1, Ordering::SeqCst) + 1;
            (n >= 3).then_some(n)
        })
        .await;
        assert_eq!(value, 3);
    }

    #[tokio::test]
    async fn within_reports_what_the_last_look_saw() {
        let looks = AtomicU32::new(0);
        let last = within(Duration::from_millis(50), || async {
            Err::<(), u32>(looks.fetch_add(1, Ordering::SeqCst))
        })
        .await
        .unwrap_err();
        assert!(last >= 1, "looked more than once: {last}");
        assert_eq!(last + 1, looks.load(Ordering::SeqCst));
    }

    #[tokio::test]
    #[should_panic(expected = "waiting for something that never happens")]
    async fn until_panics_naming_the_condition() {
        until(
            "something that never happens",
            Duration::from_millis(30),
            || async { false },
        )
        .await;
    }

    #[test]
    fn until_blocking_returns_once_the_condition_holds() {
        let mut n = 0;
        until_blocking("the third look", Duration::from_secs(5), || {
            n += 1;
            n >= 3
        });
        assert_eq!(n, 3);
    }

    #[test]
    fn a_ticker_keeps_its_rate() {
        let start = Instant::now();
        let mut ticker = Ticker::new(Duration::from_millis(20));
        for _ in 0..4 {
            ticker.tick();
        }
        // Ticks at 0, 20, 40 and 60 ms.
        assert!(start.elapsed() >= Duration::from_millis(60));
    }
}
