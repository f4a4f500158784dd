//! Panics, answered: a handler that panics gets a JSON 500 like every other
//! error (not a dropped connection), and `serve` logs one line naming the
//! app, the route and the panic message (not the standard hook's text and
//! backtrace). Panics in `register` and in hooks become findings; both
//! paths read the message here.
//!
//! The request guard ([`crate::http`]) calls and polls the router through
//! [`guarded`], and names the app and the route that answered from the
//! route table; [`install_hook`] (called by `serve`) keeps the standard hook
//! quiet for panics [`guarded`] catches, and only for those.
//! A panic in database work (`state.db(…)`, on a blocking thread) is
//! [`carried`] back to the route and answered the same way.

use std::cell::{Cell, RefCell};
use std::panic::AssertUnwindSafe;
use std::sync::Once;

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};

thread_local! {
    /// Set while [`guarded`] work runs: a panic now is answered.
    static ANSWERING: Cell<bool> = const { Cell::new(false) };
    /// Where the last answered panic happened (`file:line`), from the hook.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The text of a panic's payload (`panic!("…")` gives a `&str` or a `String`).
pub(crate) fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic".into())
}

/// `catch_unwind` without the standard hook's "thread panicked" text on
/// stderr: the caller reports the panic itself (as a finding, also under
/// `check --json`).
pub(crate) fn quietly<R>(work: impl FnOnce() -> R) -> std::thread::Result<R> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(AssertUnwindSafe(work));
    std::panic::set_hook(previous);
    result
}

/// Makes the process's panic hook quiet for panics that [`guarded`] catches
/// (it only notes where they happened, for the log line); every other panic
/// goes to the hook that was there before. Once per process.
pub(crate) fn install_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if ANSWERING.get() {
                let at = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
                LOCATION.set(at);
            } else {
                previous(info);
            }
        }));
    });
}

/// Whether this thread is polling a route whose panics are answered (so
/// work it hands to another thread should carry a panic back: [`carried`]).
pub(crate) fn answering() -> bool {
    ANSWERING.get()
}

/// A panic caught on another thread (a `spawn_blocking` of the database
/// work), with where it happened.
pub(crate) struct Carried {
    payload: Box<dyn std::any::Any + Send>,
    location: Option<String>,
}

impl Carried {
    /// Panics again on this thread, where [`guarded`] catches it (and
    /// without the hook: `resume_unwind` does not call it).
    pub(crate) fn resume(self) -> ! {
        LOCATION.set(self.location);
        std::panic::resume_unwind(self.payload)
    }
}

/// `work` (on a blocking thread), with a panic in it caught and carried
/// back when the route that handed it over is `answering`; otherwise as
/// plain as calling it.
pub(crate) fn carried<R>(answering: bool, work: impl FnOnce() -> R) -> Result<R, Carried> {
    if !answering {
        return Ok(work());
    }
    guarded(work).map_err(|payload| Carried {
        payload,
        location: LOCATION.take(),
    })
}

/// `work`, with a panic in it caught and marked as answered (for the
/// hook): the request guard ([`crate::http`]) calls and polls the router
/// through this.
pub(crate) fn guarded<R>(work: impl FnOnce() -> R) -> std::thread::Result<R> {
    let before = ANSWERING.replace(true);
    let result = std::panic::catch_unwind(AssertUnwindSafe(work));
    ANSWERING.set(before);
    result
}

/// Logs a panic caught while `app`'s `route` answered a `method` request,
/// as one line, and makes its 500.
pub(crate) fn answered(
    app: &str,
    method: &Method,
    route: &str,
    payload: &(dyn std::any::Any + Send),
) -> Response {
    let location = LOCATION.take().unwrap_or_else(|| "unknown".into());
    tracing::error!(
        app,
        %method,
        route,
        at = %location,
        "a handler panicked: {}",
        message(payload)
    );
    crate::api_error::ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal server error")
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_reads_as_its_message() {
        let text = std::panic::catch_unwind(|| panic!("no {}", "cache")).unwrap_err();
        assert_eq!(message(&*text), "no cache");
        let literal = std::panic::catch_unwind(|| panic!("plain")).unwrap_err();
        assert_eq!(message(&*literal), "plain");
        let other = std::panic::catch_unwind(|| std::panic::panic_any(7)).unwrap_err();
        assert_eq!(message(&*other), "a panic");
    }
}
