//! Stopping without a failed request: after SIGTERM, a request a client
//! sends right away on a connection the server already accepted (a fresh
//! one, or a keep-alive one that served a request before) is answered, with
//! `Connection: close`, instead of the connection being closed under it.
//! This is what `cargo fastapp dev`'s hand-over and a load balancer's last
//! requests to a stopping replica rely on. A connection that never finished
//! its first request's head does not hold the stop.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use support::{Server, TestDb};

/// Sends `GET path` on `stream` and reads one response: (head, body).
fn get(stream: &mut TcpStream, path: &str) -> std::io::Result<(String, String)> {
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n")?;
    response(stream)
}

/// Reads one response from `stream`: (head, body).
fn response(stream: &mut TcpStream) -> std::io::Result<(String, String)> {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("closed after {} bytes of the response head", raw.len()),
            ));
        }
        raw.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&raw).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap());
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body)?;
    Ok((head, String::from_utf8_lossy(&body).into_owned()))
}

fn connect(addr: &str) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream
}

#[test]
fn requests_sent_right_after_sigterm_on_open_connections_are_answered() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), std::path::Path::new(&db.url));
    let addr = server.base.trim_start_matches("http://").to_string();

    // A keep-alive connection that has served a request, and a fresh one
    // (accepted: the server answers a request on a third before going on).
    let mut used = connect(&addr);
    let (head, _) = get(&mut used, "/blog/posts").unwrap();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(!head.contains("connection: close"), "{head}");
    let mut fresh = connect(&addr);
    let mut third = connect(&addr);
    get(&mut third, "/blog/posts").unwrap();
    drop(third);
    // And one that never finishes its request's head (a slowloris).
    let mut slow = connect(&addr);
    write!(slow, "GET /blog/posts HTTP/1.1\r\nHost: localhost\r\n").unwrap();

    let sigterm = Instant::now();
    std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    // The server has stopped accepting once a new connection is refused.
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(&addr).is_ok() {
        assert!(
            Instant::now() < deadline,
            "the server stopped accepting after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(5));
    }

    for (which, stream) in [("keep-alive", &mut used), ("fresh", &mut fresh)] {
        let (head, body) = get(stream, "/blog/posts").unwrap_or_else(|err| {
            panic!("the {which} connection's request after SIGTERM was answered: {err}")
        });
        assert!(head.starts_with("http/1.1 200"), "{which}: {head}{body}");
        assert!(
            head.contains("connection: close"),
            "{which}: told to reconnect: {head}"
        );
        // Then the server closes it (EOF), rather than leaving it open.
        let mut rest = Vec::new();
        stream.read_to_end(&mut rest).unwrap();
        assert!(rest.is_empty(), "{which}: nothing after the response");
    }

    let mut server = server;
    let status = server.exit_within(
        Duration::from_secs(20),
        "the server exited after its connections closed",
    );
    assert!(status.success(), "{status}");
    // The slowloris did not hold the stop until shutdown_timeout (30 s):
    // it is closed unanswered.
    let took = sigterm.elapsed();
    assert!(
        took < Duration::from_secs(15),
        "stopped in {took:?} with a slowloris open"
    );
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    assert!(rest.is_empty(), "the slowloris got no answer");
}

/// Reads until the server closes `stream`; how long that took, or `None`
/// if it was still open after `limit`.
fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => Some(started.elapsed()),
        Err(err)
            if matches!(
                err.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            None
        }
        Err(_) => Some(started.elapsed()), // reset: closed as well
    }
}

/// A server with `HEADER_TIMEOUT=2` on a fresh SQLite database, and its
/// address. Bound in this order, the server is dropped (stopped) before
/// its directory and database.
fn with_header_timeout_2s() -> (TestDb, tempfile::TempDir, Server, String) {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        dir.path(),
        std::path::Path::new(&db.url),
        &[("HEADER_TIMEOUT", "2")],
    );
    let addr = server.base.trim_start_matches("http://").to_string();
    (db, dir, server, addr)
}

#[test]
fn request_heads_that_never_finish_are_closed_at_header_timeout_and_idle_keep_alive_is_not() {
    let (_db, _dir, _server, addr) = with_header_timeout_2s();

    // A keep-alive connection that served a request, then idles.
    let mut idle = connect(&addr);
    let (head, _) = get(&mut idle, "/blog/posts").unwrap();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let opened = Instant::now();
    // Slowlorises: silent after the accept; a head begun and never
    // finished; a head trickling a byte a second; and, after a whole
    // request, the next head begun and left.
    let mut silent = connect(&addr);
    let mut begun = connect(&addr);
    begun
        .write_all(b"GET /blog/posts HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    let mut after_one = connect(&addr);
    get(&mut after_one, "/blog/posts").unwrap();
    after_one.write_all(b"GET /blog/posts HTTP/1.1\r\n").unwrap();
    let trickle_addr = addr.clone();
    let trickle = std::thread::spawn(move || {
        let mut stream = connect(&trickle_addr);
        let started = Instant::now();
        for byte in b"GET /blog/posts HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter() {
            if stream.write_all(&[*byte]).is_err() {
                return Some(started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        None
    });

    for (which, stream) in [
        ("silent", &mut silent),
        ("begun", &mut begun),
        ("after one request", &mut after_one),
    ] {
        let took = closed_within(stream, Duration::from_secs(20));
        assert!(took.is_some(), "the {which} connection is closed");
    }
    let all = opened.elapsed();
    assert!(
        all >= Duration::from_millis(1900),
        "not before header_timeout: {all:?}"
    );
    // One window of header_timeout, checked at its end; generous for a
    // loaded machine, far below "never".
    assert!(
        all < Duration::from_secs(15),
        "closed at header_timeout (2 s): {all:?}"
    );
    assert!(
        trickle.join().unwrap().is_some(),
        "a byte a second does not keep a head alive"
    );

    // The idle keep-alive connection, silent all along, still serves.
    let (head, _) = get(&mut idle, "/blog/posts").expect("an idle keep-alive connection stays open");
    assert!(head.starts_with("http/1.1 200"), "{head}");
}

#[test]
fn a_head_begun_on_an_idle_keep_alive_connection_has_the_whole_header_timeout() {
    let (_db, _dir, _server, addr) = with_header_timeout_2s();
    let mut stream = connect(&addr);
    let accepted = Instant::now();
    let (head, _) = get(&mut stream, "/blog/posts").unwrap();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    // The server looks at a connection every header_timeout from its
    // accept: at about 2 s, 4 s, 6 s. This head begins 0.3 s before the
    // look at 4 s, after the connection idled a whole window, and is
    // finished 0.3 s after it: 0.6 s of the 2 s it may take.
    let until = |at: Duration| std::thread::sleep((accepted + at).saturating_duration_since(Instant::now()));
    until(Duration::from_millis(3700));
    stream.write_all(b"GET /blog/posts HTTP/1.1\r\n").unwrap();
    until(Duration::from_millis(4300));
    let answered = stream
        .write_all(b"Host: localhost\r\n\r\n")
        .and_then(|()| response(&mut stream));
    let (head, _) = answered.expect("a head that took 0.6 s of header_timeout (2 s) is answered");
    assert!(head.starts_with("http/1.1 200"), "{head}");
}
