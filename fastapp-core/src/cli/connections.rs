//! How `serve` accepts and serves connections, and how it stops without a
//! client seeing a failed request.
//!
//! hyper's graceful shutdown closes at once every connection it finds idle:
//! one accepted a moment before whose request it has not read yet, and a
//! keep-alive connection whose next request is on its way. Both clients see
//! an empty reply or a reset. It happens at every hand-over of
//! `cargo fastapp dev`, where the old and the new server accept on one
//! socket, and behind a load balancer that still sends to a stopping
//! replica. So, once told to stop:
//!
//! - every response says `Connection: close` (the client opens its next
//!   connection elsewhere: the new server, another replica), and hyper
//!   closes the connection after writing it;
//! - a connection is closed only once it has had no request in flight for
//!   [`IDLE_GRACE`], counted from the stop at the earliest: a request sent
//!   right after the stop (or a connection's first) is still answered;
//! - the accept loop ends; what is left of each connection finishes, but a
//!   connection whose first request's head never arrived whole (a slowloris)
//!   is dropped one more grace later instead of holding the stop until
//!   `shutdown_timeout`.

use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Version};
use axum::response::Response;
use axum::routing::future::RouteFuture;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::activity::Activity;
use crate::http::{Guard, Guarded};

/// How long a connection may stay without a request in flight, once the
/// server stops, before it is closed (its client had time to send what it
/// was sending).
pub(crate) const IDLE_GRACE: Duration = Duration::from_millis(500);

/// The connections being served, and the switch that starts their close.
pub(crate) struct Connections {
    tasks: JoinSet<()>,
    stopping: watch::Sender<bool>,
    /// How long a request head may take (`header_timeout`; `None`: forever).
    header_timeout: Option<Duration>,
}

impl Connections {
    /// Connections whose request heads must arrive within `header_timeout`
    /// (from the accept, or from when the head's first bytes came after
    /// the previous request); `None`: no limit.
    pub(crate) fn new(header_timeout: Option<Duration>) -> Connections {
        Connections {
            tasks: JoinSet::new(),
            stopping: watch::channel(false).0,
            header_timeout,
        }
    }

    /// Accepts connections on `listener` and serves `service` on each,
    /// until `stop` resolves; then the connections are told to close
    /// (responses say `Connection: close`, idle ones close after
    /// [`IDLE_GRACE`]) and accepting ends. `serve` resolves `stop` after
    /// its drain delay, so a load balancer that has not yet seen the server
    /// go is still answered.
    pub(crate) async fn serve(
        &mut self,
        listener: &TcpListener,
        service: Guard<axum::Router>,
        stop: impl Future<Output = ()>,
    ) {
        let mut stop = pin!(stop);
        loop {
            tokio::select! {
                () = &mut stop => break,
                // Finished connections are reaped as they end: a long-running
                // server's set holds only the open ones.
                Some(_) = self.tasks.join_next(), if !self.tasks.is_empty() => {}
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => self.spawn(stream, service.clone()),
                    Err(err) => accept_failed(err).await,
                },
            }
        }
        self.stopping.send_replace(true);
    }

    /// Waits for every connection to finish (each closes once idle for
    /// [`IDLE_GRACE`]); `false` if `deadline` came first.
    pub(crate) async fn finish(&mut self, deadline: impl Future<Output = ()>) -> bool {
        let mut deadline = pin!(deadline);
        loop {
            tokio::select! {
                next = self.tasks.join_next() => if next.is_none() {
                    return true;
                },
                () = &mut deadline => return false,
            }
        }
    }

    fn spawn(&mut self, stream: tokio::net::TcpStream, service: Guard<axum::Router>) {
        let activity = Activity::new(*self.stopping.borrow());
        let header_timeout = self.header_timeout;
        let tracked = Tracked {
            inner: service,
            activity: activity.clone(),
        };
        let mut stopping = self.stopping.subscribe();
        self.tasks.spawn(async move {
            // No hyper timer: its header-read deadline would arm one per
            // request head (measured: 1.29 × plain axum's CPU per request on
            // the JSON route); `header_timeout` is kept below, per connection.
            let mut builder = hyper::server::conn::http1::Builder::new();
            // Each response goes out in one plain write, its head and body
            // copied into one buffer, not a `writev` of both: for the small
            // JSON bodies an API answers, 1.5 to 4 % more requests per
            // second on the JSON route (both servers on one core, at the
            // same time, in either order).
            builder.writev(false);
            let stream = Counted {
                stream,
                activity: activity.clone(),
                rewritten: None,
            };
            let mut conn = pin!(builder
                .serve_connection(TokioIo::new(stream), tracked)
                .with_upgrades());
            // The header deadline and the stop are watched beside the
            // connection, polled only when one of them woke the task: a
            // `select!` would poll both at every wake-up of every request.
            let watched = async {
                tokio::select! {
                    () = async {
                        match header_timeout {
                            Some(limit) => activity.head_overdue(limit).await,
                            None => std::future::pending().await,
                        }
                    } => Watched::HeadOverdue,
                    () = async {
                        let _ = stopping.wait_for(|stop| *stop).await;
                        activity.close();
                        // The grace counts from the stop: a request sent right
                        // after it is answered, however long the connection idled.
                        activity.idle_for(IDLE_GRACE).await;
                    } => Watched::Stopped,
                }
            };
            match Beside::new(conn.as_mut(), pin!(watched)).await {
                Either::Main(served) => {
                    if let Err(err) = served {
                        tracing::trace!(%err, "connection ended with an error");
                    }
                    return;
                }
                Either::Side(Watched::HeadOverdue) => {
                    tracing::debug!(
                        "closing a connection whose request head did not arrive within header_timeout"
                    );
                    return;
                }
                Either::Side(Watched::Stopped) => {}
            }
            conn.as_mut().graceful_shutdown();
            if activity.seen() {
                let _ = conn.await;
            } else {
                // No request of it ever reached the app: a client that has
                // not finished its first request's headers (a slowloris) is
                // not waited for past one more grace.
                let _ = tokio::time::timeout(IDLE_GRACE, conn).await;
            }
        });
    }
}

/// What ended the watch beside a connection.
enum Watched {
    /// A request head took longer than `header_timeout`.
    HeadOverdue,
    /// The server stops, and the connection has been idle for [`IDLE_GRACE`].
    Stopped,
}

/// Which of [`Beside`]'s two futures finished first.
enum Either<A, B> {
    Main(A),
    Side(B),
}

pin_project_lite::pin_project! {
    /// `main` and `side` raced, with `side` polled only after its own
    /// waker fired (and at the first poll), never because `main` was woken.
    struct Beside<M, S> {
        #[pin]
        main: M,
        #[pin]
        side: S,
        wake: Arc<SideWake>,
    }
}

impl<M, S> Beside<M, S> {
    fn new(main: M, side: S) -> Beside<M, S> {
        let wake = Arc::new(SideWake {
            woken: AtomicBool::new(true),
            task: futures_util::task::AtomicWaker::new(),
        });
        Beside { main, side, wake }
    }
}

/// The waker [`Beside`] gives its side future: it notes the wake-up, then
/// wakes the task.
struct SideWake {
    woken: AtomicBool,
    task: futures_util::task::AtomicWaker,
}

impl std::task::Wake for SideWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.task.wake();
    }
}

impl<M: Future, S: Future> Future for Beside<M, S> {
    type Output = Either<M::Output, S::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(out) = this.main.poll(cx) {
            return Poll::Ready(Either::Main(out));
        }
        if this.wake.woken.swap(false, Ordering::AcqRel) {
            this.wake.task.register(cx.waker());
            let waker = std::task::Waker::from(this.wake.clone());
            if let Poll::Ready(out) = this.side.poll(&mut Context::from_waker(&waker)) {
                return Poll::Ready(Either::Side(out));
            }
        }
        Poll::Pending
    }
}

/// The service of one connection, counting its requests in flight and
/// closing the connection after each response once the server stops. It is
/// hyper's own kind of service (called through `&self`): no clone of it and
/// no readiness check per request, as a tower service behind hyper-util's
/// adapter would have.
struct Tracked {
    inner: Guard<axum::Router>,
    activity: Arc<Activity>,
}

impl hyper::service::Service<Request<Incoming>> for Tracked {
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = Answer<Guarded<RouteFuture<std::convert::Infallible>>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        self.activity.started();
        let http1 = request.version() <= Version::HTTP_11;
        Answer {
            answer: self.inner.answer(request.map(Body::new)),
            activity: self.activity.clone(),
            http1,
        }
    }
}

pin_project_lite::pin_project! {
    /// [`Tracked`]'s answer: the inner future, unboxed, counted out of
    /// flight however it ends (answered or dropped).
    struct Answer<F> {
        #[pin]
        answer: F,
        activity: Arc<Activity>,
        http1: bool,
    }

    impl<F> PinnedDrop for Answer<F> {
        fn drop(this: Pin<&mut Self>) {
            this.project().activity.ended();
        }
    }
}

impl<F: Future<Output = Result<Response, std::convert::Infallible>>> Future for Answer<F> {
    type Output = Result<Response, std::convert::Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let Ok(mut response) = std::task::ready!(this.answer.poll(cx));
        if *this.http1 && this.activity.closing() {
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        Poll::Ready(Ok(response))
    }
}

pin_project_lite::pin_project! {
    /// The socket, counting the bytes read and written (for
    /// [`Activity::head_overdue`]), and giving the error responses hyper
    /// writes itself (a malformed request head: 400, 414, 431) the JSON body
    /// every other error has.
    struct Counted {
        #[pin]
        stream: tokio::net::TcpStream,
        activity: Arc<Activity>,
        // A rewritten error response still being written, how much of it
        // is written, and the length of hyper's that it stands for.
        rewritten: Option<(Vec<u8>, usize, usize)>,
    }
}

impl tokio::io::AsyncRead for Counted {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.project();
        let before = buf.filled().len();
        let polled = this.stream.poll_read(cx, buf);
        let read = buf.filled().len() - before;
        if read > 0 {
            this.activity.read(read);
        }
        polled
    }
}

impl Counted {
    /// Writes what is left of a rewritten response; `Ready(Ok(n))` with the
    /// length of hyper's response once all of it is written.
    fn poll_rewritten(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<usize>> {
        let mut this = self.project();
        let Some((bytes, written, stands_for)) = this.rewritten.as_mut() else {
            return Poll::Ready(Ok(0));
        };
        while *written < bytes.len() {
            let n = std::task::ready!(tokio::io::AsyncWrite::poll_write(
                this.stream.as_mut(),
                cx,
                &bytes[*written..]
            ))?;
            if n == 0 {
                return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into()));
            }
            *written += n;
            this.activity.written(n);
        }
        let stands_for = *stands_for;
        *this.rewritten = None;
        Poll::Ready(Ok(stands_for))
    }
}

/// hyper's own error response, as JSON: a 4xx head with no body and no
/// content type (fastapp's error responses always have both, see
/// [`crate::http`]), rewritten with `{"error": "<reason>"}`.
fn json_for_hypers_own(head: &[u8]) -> Option<Vec<u8>> {
    if !head.starts_with(b"HTTP/1.1 4") || !head.ends_with(b"\r\n\r\n") {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?.to_ascii_lowercase();
    if text.contains("\r\ncontent-type:") || !text.contains("\r\ncontent-length: 0\r\n") {
        return None;
    }
    let code: u16 = text.get(9..12)?.parse().ok()?;
    let reason = axum::http::StatusCode::from_u16(code)
        .ok()?
        .canonical_reason()
        .unwrap_or("error")
        .to_lowercase();
    let body = serde_json::json!({ "error": reason }).to_string();
    let original = std::str::from_utf8(head).ok()?;
    let mut lines: Vec<&str> = original
        .trim_end_matches("\r\n")
        .split("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with("content-length:"))
        .collect();
    let length = format!("content-length: {}", body.len());
    lines.push("content-type: application/json");
    lines.push(&length);
    Some(format!("{}\r\n\r\n{body}", lines.join("\r\n")).into_bytes())
}

impl tokio::io::AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        if self.rewritten.is_none() && !self.activity.in_flight() {
            if let Some(json) = json_for_hypers_own(buf) {
                self.rewritten = Some((json, 0, buf.len()));
            }
        }
        if self.rewritten.is_some() {
            return self.poll_rewritten(cx);
        }
        let this = self.project();
        this.activity.wrote(this.stream.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        // hyper's own error response is a head alone, in one slice.
        if let [only] = bufs {
            return self.poll_write(cx, only);
        }
        if self.rewritten.is_some() {
            return self.poll_rewritten(cx);
        }
        let this = self.project();
        this.activity.wrote(this.stream.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        std::task::ready!(self.as_mut().poll_rewritten(cx))?;
        self.project().stream.poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        std::task::ready!(self.as_mut().poll_rewritten(cx))?;
        self.project().stream.poll_shutdown(cx)
    }
}

/// An accept error: a connection reset before it was accepted is skipped;
/// anything else (out of file descriptors, say) is logged and the loop
/// pauses a moment rather than spin.
async fn accept_failed(err: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(%err, "cannot accept a connection");
    tokio::time::sleep(Duration::from_millis(100)).await;
}
