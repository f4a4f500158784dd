//! What the README says of the libpq fastapp links: built from source and
//! linked statically (`pq-sys`'s `bundled`), TLS through the system's
//! OpenSSL, so a binary loads no libpq and none of the Kerberos, LDAP and
//! GnuTLS libraries Debian's libpq pulls in; and, with no host in the URL,
//! it looks for the server's socket in `/tmp`, where `?host=` points it
//! elsewhere.
#![cfg(target_os = "linux")]

mod support;

use std::process::Command;

#[test]
fn the_binary_loads_no_libpq_nor_what_a_system_libpq_pulls_in() {
    let out = Command::new("ldd")
        .arg(support::example_binary())
        .output()
        .expect("ldd (glibc's, on every Linux this is built on)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = String::from_utf8(out.stdout).unwrap();
    for library in ["libpq.so", "libgssapi", "libkrb5", "libldap", "libgnutls"] {
        assert!(
            !listed.contains(library),
            "the example binary loads {library}: libpq is meant to be linked statically\n{listed}"
        );
    }
    // TLS through the system's OpenSSL, as the README says.
    assert!(listed.contains("libssl.so"), "{listed}");
}

/// The local server FASTAPP_TEST_POSTGRES names, and its port; `None` when
/// there is none on this machine (a remote server has no local socket).
fn local_server_port() -> Option<u16> {
    let db = support::TestDb::postgres()?;
    // postgres://user:password@host:port/database
    let authority = db.url.split('@').nth(1)?.split('/').next()?;
    let (host, port) = authority.split_once(':').unwrap_or((authority, "5432"));
    if !matches!(host, "127.0.0.1" | "localhost") {
        eprintln!("note: FASTAPP_TEST_POSTGRES is not on this machine; socket case skipped");
        return None;
    }
    Some(port.parse().unwrap())
}

#[test]
fn without_a_host_the_url_reaches_for_a_socket_in_tmp_and_host_moves_it() {
    let Some(port) = local_server_port() else { return };
    let dir = tempfile::tempdir().unwrap();
    let run = |url: &str| {
        let out = support::example_command(dir.path(), std::path::Path::new(url), &["migrate", "status"])
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };

    // A socket directory the server does not use: /tmp is where the
    // bundled libpq looks (Debian's server listens in /var/run/postgresql).
    let (code, stderr) = run(&format!("postgres://fastapp:fastapp@:{port}/postgres"));
    if std::path::Path::new(&format!("/tmp/.s.PGSQL.{port}")).exists() {
        eprintln!("note: a server listens in /tmp on this machine; only the message is checked");
    } else {
        assert_ne!(code, Some(0), "{stderr}");
    }
    assert!(stderr.contains(&format!("/tmp/.s.PGSQL.{port}")), "{stderr}");

    // `?host=` names the socket directory: libpq goes there instead.
    let socket_dir = "/var/run/postgresql";
    if std::path::Path::new(&format!("{socket_dir}/.s.PGSQL.{port}")).exists() {
        // Connected, or refused by the server there (Debian's `peer`
        // authentication for local sockets): either way, not /tmp.
        let (code, stderr) = run(&format!(
            "postgres://fastapp:fastapp@:{port}/postgres?host={socket_dir}"
        ));
        assert!(
            code == Some(0) || stderr.contains(&format!("{socket_dir}/.s.PGSQL.{port}")),
            "{stderr}"
        );
        assert!(!stderr.contains("/tmp/.s.PGSQL"), "{stderr}");
    }
}
