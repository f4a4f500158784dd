//! The README's "Start a project" block, run line by line as a newcomer
//! would: install `cargo fastapp`, make a project beside the checkout, add
//! an internal and an external app, run the project's tests, start `dev`.
//! (Sandboxed: `../mysite` becomes a temporary directory, the install goes
//! to a temporary root, builds share the workspace's target directory, and
//! `dev` gets `--port 0`.)
// Signals (`kill -INT/-TERM`) and descriptor passing are Unix-only.
#![cfg(unix)]

mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The commands of the first `sh` block under `## Start a project`.
fn start_a_project_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(support::workspace().join("README.md")).unwrap();
    let section = &readme[readme
        .find("## Start a project")
        .expect("the README has the section")..];
    let block = &section[section.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```").unwrap()];
    block
        .lines()
        .map(|line| line.split("  #").next().unwrap().trim().to_string())
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn the_readme_start_a_project_commands_work_as_written() {
    let workspace = support::workspace();
    let sandbox = tempfile::tempdir().unwrap();
    let site = sandbox.path().join("mysite");
    let install_root = sandbox.path().join("cargo-home");
    let path = std::env::join_paths(
        std::iter::once(install_root.join("bin"))
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let commands = start_a_project_commands();
    assert_eq!(commands.len(), 7, "{commands:?}");

    let mut cwd: PathBuf = workspace.clone();
    for line in &commands {
        let line = line.replace("../mysite", site.to_str().unwrap());
        let words: Vec<&str> = line.split_whitespace().collect();
        if let ["cd", dir] = words.as_slice() {
            cwd = cwd.join(dir);
            continue;
        }
        assert_eq!(words[0], "cargo", "{line}");
        let mut command = Command::new("cargo");
        command
            .current_dir(&cwd)
            .args(&words[1..])
            .env("PATH", &path)
            .env("CARGO_INSTALL_ROOT", &install_root)
            .env("CARGO_TARGET_DIR", support::target_dir())
            .env_remove("CARGO")
            .env("RUST_LOG", "warn");
        if words[1..] == ["fastapp", "dev"] {
            dev(command);
            continue;
        }
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "`{line}` failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if words[1] == "test" {
            // The project's own (its boot test and the posts app's two) and
            // the external mailer crate's, a workspace member.
            let said = String::from_utf8_lossy(&out.stdout);
            assert!(said.contains("test result: ok. 3 passed"), "{said}");
            assert!(said.contains("test result: ok. 1 passed"), "{said}");
        }
    }
    assert!(site.join("src/apps/posts/mod.rs").is_file());
    assert!(site.join("mailer/src/lib.rs").is_file());
}

/// `cargo fastapp dev` (on a free port): serves both apps' routes, and
/// stops on Ctrl-C.
fn dev(mut command: Command) {
    let mut child = command
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut base = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("cargo fastapp dev: listening on ") {
            base = rest.split_whitespace().next().map(str::to_string);
        }
        if line.contains("serving the new build") {
            break;
        }
        assert!(!line.contains("build failed"), "{line}");
    }
    let base = base.expect("dev says where it listens");
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(30)).build();
    for path in ["/posts/items", "/mailer/items"] {
        let response = agent.get(&format!("{base}{path}")).call().unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(child.wait().unwrap().success());
    assert!(rest.iter().any(|l| l == "cargo fastapp dev: stopped"), "{rest:?}");
}
