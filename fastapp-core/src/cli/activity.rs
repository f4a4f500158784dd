//! What each connection has done lately: its requests in flight, their
//! starts and ends, the bytes read and written (an atomic add each; no
//! clock is read). The header deadline and the stop's idle grace read it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

/// One connection's counts; see the module's documentation.
pub(super) struct Activity {
    in_flight: AtomicUsize,
    /// Requests started plus requests ended: a request has reached the app
    /// (its head was read whole) when it is not 0.
    events: AtomicUsize,
    /// The server is stopping: responses say `Connection: close`.
    closing: AtomicBool,
    read: AtomicUsize,
    written: AtomicUsize,
    /// `read` when a request last started or ended: more since means the
    /// next request's head is on its way.
    read_at_event: AtomicUsize,
}

impl Activity {
    /// A new connection's; `closing` when the server is already stopping.
    pub(super) fn new(closing: bool) -> Arc<Activity> {
        Arc::new(Activity {
            in_flight: AtomicUsize::new(0),
            events: AtomicUsize::new(0),
            closing: AtomicBool::new(closing),
            read: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
            read_at_event: AtomicUsize::new(0),
        })
    }

    /// A request reached the app.
    pub(super) fn started(&self) {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        self.event();
    }

    /// A request was answered, or dropped.
    pub(super) fn ended(&self) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.event();
    }

    fn event(&self) {
        self.events.fetch_add(1, Ordering::Relaxed);
        self.read_at_event
            .store(self.read.load(Ordering::Relaxed), Ordering::Relaxed);
    }

    pub(super) fn in_flight(&self) -> bool {
        self.in_flight.load(Ordering::Relaxed) > 0
    }

    /// Whether a request ever reached the app.
    pub(super) fn seen(&self) -> bool {
        self.events.load(Ordering::Relaxed) > 0
    }

    /// From now on, responses say `Connection: close`.
    pub(super) fn close(&self) {
        self.closing.store(true, Ordering::Relaxed);
    }

    pub(super) fn closing(&self) -> bool {
        self.closing.load(Ordering::Relaxed)
    }

    /// `n` bytes were read from the socket.
    pub(super) fn read(&self, n: usize) {
        self.read.fetch_add(n, Ordering::Relaxed);
    }

    /// `polled`, a write to the socket, counted.
    pub(super) fn wrote(&self, polled: Poll<std::io::Result<usize>>) -> Poll<std::io::Result<usize>> {
        if let Poll::Ready(Ok(n)) = polled {
            self.written(n);
        }
        polled
    }

    pub(super) fn written(&self, n: usize) {
        self.written.fetch_add(n, Ordering::Relaxed);
    }

    /// Resolves once a whole `grace` has passed with no request in flight
    /// and none starting or ending.
    pub(super) async fn idle_for(&self, grace: Duration) {
        loop {
            let before = self.events.load(Ordering::Relaxed);
            tokio::time::sleep(grace).await;
            if !self.in_flight() && self.events.load(Ordering::Relaxed) == before {
                return;
            }
        }
    }

    /// Resolves when a request head has taken longer than `limit`: a whole
    /// `limit` passed with no request in flight, none starting or ending,
    /// nothing written (a response body still streaming), while the
    /// connection had no request yet or had part of its next one. A byte
    /// now and then does not keep a head alive; an idle keep-alive
    /// connection is left alone. A head begun after the connection idled
    /// is closed between `limit` and twice `limit` after it began, never
    /// before: one `tokio` timer per connection, not one per request.
    pub(super) async fn head_overdue(&self, limit: Duration) {
        loop {
            let before = self.seen_now();
            tokio::time::sleep(limit).await;
            if self.seen_now().head_overdue_since(&before) {
                return;
            }
        }
    }

    fn seen_now(&self) -> Seen {
        Seen {
            in_flight: self.in_flight.load(Ordering::Relaxed),
            events: self.events.load(Ordering::Relaxed),
            read: self.read.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
            read_at_event: self.read_at_event.load(Ordering::Relaxed),
        }
    }
}

/// An [`Activity`]'s counts at one moment.
struct Seen {
    in_flight: usize,
    events: usize,
    read: usize,
    written: usize,
    read_at_event: usize,
}

impl Seen {
    /// A request head is being read: no request yet, or bytes read since
    /// the last request started or ended.
    fn head_pending(&self) -> bool {
        self.events == 0 || self.read > self.read_at_event
    }

    /// Whether a request head was pending all the way from `before` to now
    /// with nothing else happening on the connection.
    fn head_overdue_since(&self, before: &Seen) -> bool {
        let quiet = self.in_flight == 0 && self.events == before.events && self.written == before.written;
        quiet && before.head_pending() && self.head_pending()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_never_finished_is_overdue_after_one_quiet_window() {
        let activity = Activity::new(false);
        let accepted = activity.seen_now();
        activity.read(10); // a head begun, never finished
        assert!(activity.seen_now().head_overdue_since(&accepted));
        let silent = Activity::new(false);
        assert!(silent.seen_now().head_overdue_since(&silent.seen_now()));
    }

    #[test]
    fn a_request_in_flight_an_answer_or_a_body_streaming_keeps_it() {
        let activity = Activity::new(false);
        activity.read(40);
        let before = activity.seen_now();
        activity.started();
        assert!(!activity.seen_now().head_overdue_since(&before), "in flight");
        activity.ended();
        assert!(!activity.seen_now().head_overdue_since(&before), "answered");
        activity.read(3); // the next head begun
        let before = activity.seen_now();
        activity.written(7); // the last body still going out
        assert!(!activity.seen_now().head_overdue_since(&before));
    }

    #[test]
    fn idle_keep_alive_is_left_alone_and_a_head_begun_late_in_a_window_gets_another() {
        let activity = Activity::new(false);
        activity.read(40);
        activity.started();
        activity.written(100);
        activity.ended();
        let idle = activity.seen_now();
        assert!(!activity.seen_now().head_overdue_since(&idle), "idle");
        activity.read(5); // the next head begins just before the window ends
        let begun = activity.seen_now();
        assert!(!begun.head_overdue_since(&idle), "not a whole window yet");
        assert!(activity.seen_now().head_overdue_since(&begun), "one window later");
        activity.read(1); // a byte now and then does not keep it alive
        assert!(activity.seen_now().head_overdue_since(&begun));
    }
}
