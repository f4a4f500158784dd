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

    /// Checks that no file to create exists and every file to replace
    /// does, then writes everything: new files first (their directories
    /// created as needed), then each edited file through a temporary file
    /// renamed over it. If a write fails, what was created is removed again,
    /// so a failed command leaves the tree as it found it.
    pub fn apply(self) -> Result<Vec<PathBuf>> {
        if let Some((path, _)) = self.creates.iter().find(|(path, _)| path.exists()) {
            return Err(exists(path));
        }
        if let Some((path, _)) = self.replaces.iter().find(|(path, _)| !path.is_file()) {
            return Err(crate::io_error("edit", path, std::io::ErrorKind::NotFound.into()));
        }
        let mut undo = Undo::default();
        match self.write(&mut undo) {
            Ok(written) => Ok(written),
            Err(err) => {
                undo.run();
                Err(err)
            }
        }
    }

    fn write(&self, undo: &mut Undo) -> Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        for (path, text) in &self.creates {
            if let Some(dir) = path.parent() {
                undo.create_dirs(dir)?;
            }
            std::fs::write(path, text).map_err(|err| crate::io_error("write", path, err))?;
            undo.files.push(path.clone());
            written.push(path.clone());
        }
        for (path, text) in &self.replaces {
            let temp = path.with_extension("cargo-fastapp.tmp");
            std::fs::write(&temp, text).map_err(|err| crate::io_error("write", &temp, err))?;
            undo.files.push(temp.clone());
            std::fs::rename(&temp, path).map_err(|err| crate::io_error("replace", path, err))?;
            undo.files.pop();
            written.push(path.clone());
        }
        Ok(written)
    }
}

/// What a failed [`Plan::apply`] removes: the files and directories it created.
#[derive(Default)]
struct Undo {
    files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
}

impl Undo {
    /// `create_dir_all`, remembering each directory it made.
    fn create_dirs(&mut self, dir: &Path) -> Result<()> {
        let missing: Vec<&Path> = dir
            .ancestors()
            .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
            .collect();
        std::fs::create_dir_all(dir).map_err(|err| crate::io_error("create", dir, err))?;
        self.dirs.extend(missing.into_iter().rev().map(Path::to_path_buf));
        Ok(())
    }

    fn run(self) {
        for file in self.files.iter().rev() {
            let _ = std::fs::remove_file(file);
        }
        for dir in self.dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_removes_what_was_created() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("file"), "x").unwrap();
        let mut plan = Plan::default();
        plan.create(root.path().join("a/b/one.txt"), "1".into());
        // Under a file, where no directory can be made: the second write fails.
        plan.create(root.path().join("file/two.txt"), "2".into());
        let err = plan.apply().unwrap_err();
        assert_eq!(err.id, "io.E090");
        assert!(
            !root.path().join("a").exists(),
            "created files and directories are removed"
        );
        assert_eq!(std::fs::read_to_string(root.path().join("file")).unwrap(), "x");

        let mut plan = Plan::default();
        plan.replace(root.path().join("missing.toml"), "x".into());
        assert_eq!(plan.apply().unwrap_err().id, "io.E090");
    }
}
