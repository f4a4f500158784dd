//! Every write a command will make, decided and checked before the first
//! one: a command that fails on bad input has changed nothing.

use std::path::{Path, PathBuf};

use fastapp_config::Finding;

use crate::Result;

/// Files to create (which must not exist) and files to replace (which must).
#[derive(Debug, Default)]
pub struct Plan {
    creates: Vec<(PathBuf, String)>,
    replaces: Vec<(PathBuf, String)>,
}

impl Plan {
    /// Creates `path` with `text`.
    pub fn create(&mut self, path: PathBuf, text: String) {
        self.creates.push((path, text));
    }

    /// Replaces the existing file `path` with `text`.
    pub fn replace(&mut self, path: PathBuf, text: String) {
        self.replaces.push((path, text));
    }

    /// Checks that no file to create exists, then writes everything: new
    /// files first (their directories created as needed), then the edits of
    /// existing files, so that an interrupted run leaves the project's own
    /// files as they were more often than not.
    pub fn apply(self) -> Result<Vec<PathBuf>> {
        if let Some((path, _)) = self.creates.iter().find(|(path, _)| path.exists()) {
            return Err(exists(path));
        }
        let mut written = Vec::new();
        for (path, text) in self.creates.iter().chain(&self.replaces) {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|err| crate::io_error("create", dir, err))?;
            }
            std::fs::write(path, text).map_err(|err| crate::io_error("write", path, err))?;
            written.push(path.clone());
        }
        Ok(written)
    }
}

/// `scaffold.E063`: something to create exists already.
pub fn exists(path: &Path) -> Finding {
    Finding::new(
        "scaffold.E063",
        format!("{} exists already", path.display()),
        "choose another name, or remove or rename what is there",
    )
    .location(path.display().to_string())
}
