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
