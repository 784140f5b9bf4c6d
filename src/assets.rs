//! The templates and fonts. They are built into the binary (see build.rs),
//! so a copied or installed `tuiguan` works from any folder; an office can
//! override any template file by putting its own under
//! `<data>/templates/` at the same path (`typst/info-card.typ`,
//! `html/register.css`), as mdBook's themes do. Fonts are always the
//! built-in ones: no system font is ever used.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::manifest::Digest;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

/// The folder inside the data folder whose files override the built-in ones.
pub const OVERRIDES: &str = "templates";

/// The built-in file at `path` ("typst/info-card.typ").
pub fn builtin(path: &str) -> Option<&'static [u8]> {
    builtin::FILES.binary_search_by(|(p, _)| (*p).cmp(path)).ok().map(|i| builtin::FILES[i].1)
}

/// The built-in files under `prefix` ("typst/"), in path order.
pub fn builtins(prefix: &str) -> impl Iterator<Item = (&'static str, &'static [u8])> + '_ {
    builtin::FILES.iter().copied().filter(move |(p, _)| p.starts_with(prefix))
}

/// Where an office's logo may be (first found wins); the headers of the
/// letters and the information cards show it.
pub const LOGOS: &[&str] = &["typst/logo.png", "typst/logo.jpg", "typst/logo.svg"];

/// This build of tuiguan, as the digests of a run's inputs take it: the
/// version and a digest of the source, built-in templates and fonts (see build.rs).
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("TUIGUAN_SOURCE_DIGEST"));

/// The version line: tuiguan's and the typst it renders with.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "（typst ", env!("TUIGUAN_TYPST_VERSION"), "）");

/// Template files as a run sees them: the office's override if it has one,
/// else the built-in file.
#[derive(Debug, Clone)]
pub struct Templates {
    /// `<data>/templates`, whether or not it exists.
    overrides: PathBuf,
}

impl Templates {
    pub fn for_data(data: &Path) -> Self {
        Self { overrides: data.join(OVERRIDES) }
    }

    /// Only the built-in files (commands without a data folder).
    pub fn builtin_only() -> Self {
        Self { overrides: PathBuf::new() }
    }

    fn override_path(&self, path: &str) -> Option<PathBuf> {
        if self.overrides.as_os_str().is_empty() || path.split('/').any(|c| c == ".." || c.is_empty()) {
            return None;
        }
        let p = path.split('/').fold(self.overrides.clone(), |p, c| p.join(c));
        p.is_file().then_some(p)
    }

    /// The bytes of `name` in the data folder's photos (a file name, never
    /// a path; see [`crate::office::photo`]).
    pub fn photo(&self, name: &str) -> std::io::Result<Vec<u8>> {
        let data = self.overrides.parent().filter(|_| !self.overrides.as_os_str().is_empty());
        match data {
            Some(data) if !name.contains(['/', '\\']) && !name.starts_with('.') => {
                std::fs::read(data.join(crate::office::photo::FOLDER).join(name))
            }
            _ => Err(std::io::ErrorKind::NotFound.into()),
        }
    }

    /// The link on the way to the office's `path`, if any: templates/
    /// itself, a folder under it, or the file. A link could print any file
    /// of the computer (`#read` in a template), so none is followed.
    pub fn link_on_the_way(&self, path: &str) -> Option<PathBuf> {
        let is_link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
        if self.overrides.as_os_str().is_empty() || path.split('/').any(|c| c == ".." || c.is_empty()) {
            return None;
        }
        // Only where the office has a file of that name (a dangling link too).
        let full = path.split('/').fold(self.overrides.clone(), |p, c| p.join(c));
        std::fs::symlink_metadata(&full).ok()?;
        let mut p = self.overrides.clone();
        if is_link(&p) {
            return Some(p);
        }
        for c in path.split('/') {
            p.push(c);
            if is_link(&p) {
                return Some(p);
            }
        }
        None
    }

    /// The bytes of `path` ("typst/lib/style.typ"). Err: the override
    /// exists and cannot be read, is a link, or there is no such file.
    pub fn read(&self, path: &str) -> Result<Cow<'static, [u8]>, String> {
        if let Some(link) = self.link_on_the_way(path) {
            return Err(format!(
                "{} 是链接（快捷方式），tuiguan 不读链接指向的文件；请把文件本身复制到这里",
                link.display()
            ));
        }
        if let Some(p) = self.override_path(path) {
            return std::fs::read(&p).map(Cow::Owned).map_err(|e| format!("无法读取模板 {}：{e}", p.display()));
        }
        builtin(path).map(Cow::Borrowed).ok_or_else(|| format!("没有模板 {path}"))
    }

    /// Where `path` comes from, for messages: the office's file, or the
    /// built-in template of that name.
    pub fn origin(&self, path: &str) -> String {
        match self.override_path(path) {
            Some(p) => p.display().to_string(),
            None => format!("内置模板 {path}"),
        }
    }

    /// The office's override files under `prefix` ("typst/"), as paths
    /// relative to the overrides folder with `/`, in order.
    pub fn overridden(&self, prefix: &str) -> Vec<String> {
        if self.overrides.as_os_str().is_empty() {
            return Vec::new();
        }
        let mut v: Vec<String> = walkdir::WalkDir::new(&self.overrides)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let rel = e.path().strip_prefix(&self.overrides).ok()?;
                let parts: Option<Vec<&str>> = rel.iter().map(|c| c.to_str()).collect();
                Some(parts?.join("/"))
            })
            .filter(|p| p.starts_with(prefix))
            .collect();
        v.sort();
        v
    }

    /// The office's logo, if it has one: `typst/logo.png` (or .jpg, .svg)
    /// under its templates folder, as the path the templates read it by.
    pub fn logo(&self) -> Option<&'static str> {
        LOGOS.iter().find(|p| self.override_path(p).is_some()).map(|p| &p["typst/".len()..])
    }

    /// The office's template files that replace nothing: a typst or HTML
    /// file whose name is not a built-in one (a typo would otherwise be
    /// silently ignored). Other files (images) may be used by templates.
    pub fn unknown(&self) -> Vec<String> {
        self.overridden("")
            .into_iter()
            .filter(|p| !p.starts_with("examples/") && builtin(p).is_none())
            .filter(|p| [".typ", ".html", ".css", ".js"].iter().any(|x| p.ends_with(x)))
            .filter(|p| !p.starts_with("typst/lib/"))
            .map(|p| self.overrides.join(p).display().to_string())
            .collect()
    }

    /// Digest of every file under `prefix` as a run sees it: the built-in
    /// ones, each replaced by its override, and the office's own additions.
    pub fn digest_under(&self, prefix: &str) -> String {
        let mut paths: Vec<String> = builtins(prefix).map(|(p, _)| p.to_string()).collect();
        paths.extend(self.overridden(prefix));
        paths.sort();
        paths.dedup();
        let mut d = Digest::default();
        for p in paths {
            d.update(p.as_bytes()).update(&self.read(&p).unwrap_or_default());
        }
        d.hex()
    }

    /// Digest of one file as a run sees it.
    pub fn digest_of(&self, path: &str) -> String {
        Digest::default().update(&self.read(path).unwrap_or_default()).hex()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binary_carries_templates_and_fonts() {
        assert!(builtin("typst/info-card.typ").is_some());
        assert!(builtin("typst/lib/style.typ").is_some());
        assert!(builtin("html/index.html").is_some());
        assert!(builtins("fonts/").any(|(p, _)| p.ends_with(".otf")));
        assert!(builtin("typst/nothing.typ").is_none());
        assert!(VERSION.contains("typst 0.15"), "{VERSION}");
    }

    #[test]
    fn an_office_file_overrides_the_builtin_one_of_the_same_path() {
        let dir = tempfile::tempdir().unwrap();
        let t = Templates::for_data(dir.path());
        let builtin_digest = t.digest_under("typst/");
        std::fs::create_dir_all(dir.path().join("templates/typst")).unwrap();
        std::fs::write(dir.path().join("templates/typst/info-card.typ"), "本单位的卡").unwrap();
        assert_eq!(&*t.read("typst/info-card.typ").unwrap(), "本单位的卡".as_bytes());
        assert_eq!(t.read("typst/visit-plan.typ").unwrap(), Cow::Borrowed(builtin("typst/visit-plan.typ").unwrap()));
        assert!(t.origin("typst/info-card.typ").ends_with("info-card.typ"));
        assert_eq!(t.origin("typst/visit-plan.typ"), "内置模板 typst/visit-plan.typ");
        assert_ne!(t.digest_under("typst/"), builtin_digest);
        // A path cannot climb out of the folder.
        assert!(t.read("typst/../../etc/passwd").is_err());
    }
}
