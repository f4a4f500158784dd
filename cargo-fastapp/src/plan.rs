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
    removes: Vec<PathBuf>,
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

    /// Removes the existing file `path` (and its directory, once empty),
    /// after every other write succeeded.
    pub fn remove(&mut self, path: PathBuf) {
        self.removes.push(path);
    }

    /// Checks that no file to create exists and every file to replace or
    /// remove does, then writes everything: new files first (their
    /// directories created as needed), then each edited file through a
    /// temporary file renamed over it, then the removals. If a write fails,
    /// what was created is removed again and what was replaced or removed is
    /// put back, so a failed command leaves the tree as it found it.
    pub fn apply(self) -> Result<Vec<PathBuf>> {
        if let Some((path, _)) = self.creates.iter().find(|(path, _)| path.exists()) {
            return Err(exists(path));
        }
        let mut targets: Vec<&PathBuf> = self.creates.iter().map(|(path, _)| path).collect();
        targets.sort();
        if let Some(twice) = targets.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(exists(twice[0]));
        }
        if let Some(path) = self
            .replaces
            .iter()
            .map(|(path, _)| path)
            .chain(&self.removes)
            .find(|path| !path.is_file())
        {
            return Err(crate::io_error("edit", path, std::io::ErrorKind::NotFound.into()));
        }
        let mut undo = Undo::default();
        match self.write(&mut undo) {
            Ok(written) => {
                for path in &written {
                    crate::say::detail!("  wrote {}", path.display());
                }
                Ok(written)
            }
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
            let before = std::fs::read(path).map_err(|err| crate::io_error("read", path, err))?;
            let temp = path.with_extension("cargo-fastapp.tmp");
            std::fs::write(&temp, text).map_err(|err| crate::io_error("write", &temp, err))?;
            undo.files.push(temp.clone());
            std::fs::rename(&temp, path).map_err(|err| crate::io_error("replace", path, err))?;
            undo.files.pop();
            undo.restores.push((path.clone(), before));
            written.push(path.clone());
        }
        for path in &self.removes {
            let before = std::fs::read(path).map_err(|err| crate::io_error("read", path, err))?;
            std::fs::remove_file(path).map_err(|err| crate::io_error("remove", path, err))?;
            undo.restores.push((path.clone(), before));
            written.push(path.clone());
        }
        // Directories the removals emptied go too (the deepest first).
        let mut dirs: Vec<&Path> = self.removes.iter().filter_map(|p| p.parent()).collect();
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        dirs.dedup();
        for dir in dirs {
            for dir in dir.ancestors() {
                if std::fs::remove_dir(dir).is_err() {
                    break;
                }
            }
        }
        Ok(written)
    }
}

/// What a failed [`Plan::apply`] removes: the files and directories it created.
#[derive(Default)]
struct Undo {
    files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
    /// Files replaced or removed, with what they held.
    restores: Vec<(PathBuf, Vec<u8>)>,
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
        for (path, before) in self.restores.iter().rev() {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = std::fs::write(path, before);
        }
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

    #[test]
    fn a_removed_file_goes_with_its_emptied_directories() {
        let root = tempfile::tempdir().unwrap();
        let app = root.path().join("src/apps/shop");
        std::fs::create_dir_all(&app).unwrap();
        std::fs::write(app.join("mod.rs"), "x").unwrap();
        std::fs::write(root.path().join("src/apps/mod.rs"), "pub mod shop;").unwrap();
        let mut plan = Plan::default();
        plan.create(root.path().join("shop/src/lib.rs"), "x".into());
        plan.replace(root.path().join("src/apps/mod.rs"), String::new());
        plan.remove(app.join("mod.rs"));
        plan.apply().unwrap();
        assert!(!app.exists(), "the emptied directory is gone");
        assert!(
            root.path().join("src/apps/mod.rs").is_file(),
            "a directory that is not empty stays"
        );
        assert!(root.path().join("shop/src/lib.rs").is_file());

        let mut plan = Plan::default();
        plan.remove(app.join("mod.rs"));
        assert_eq!(
            plan.apply().unwrap_err().id,
            "io.E090",
            "a file to remove must exist"
        );
    }
}
