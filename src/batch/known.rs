//! Outputs known unchanged before they are made. A member's information
//! card, letter, departure form and register page are made from that
//! member's file and from what all of them share (org.yaml, the templates,
//! `--as-of`, this build of tuiguan); a print-file part or a branch page
//! from its members'. When the digest of those inputs is the one out/'s
//! manifest recorded, and out/ holds the output as that run left it, its
//! view is not built (a document's is then taken from the manifest) and
//! the page is not made. One member changed at 10,000 then builds one card
//! part, one letter part and one member page, not 400, 400 and 10,000.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::NaiveDate;

use super::OtherFile;
use crate::assets::Templates;
use crate::load::Read;
use crate::manifest::{Digest, Manifest};
use crate::office::{Member, Office};

pub struct Known<'a> {
    /// Digest of the inputs every member's documents share.
    shared: String,
    read: &'a Read,
    /// Digests of members' photos, by member id (a photo prints on the cards).
    photos: std::collections::BTreeMap<String, String>,
    old: Manifest,
    out: PathBuf,
    /// When the manifest was written.
    since: Option<SystemTime>,
}

impl<'a> Known<'a> {
    /// What out/ holds, for a run that read `read`; with `force`, nothing.
    pub fn new(out: &Path, force: bool, read: &'a Read, office: &Office, as_of: NaiveDate, assets: &Templates) -> Self {
        let mut shared = Digest::default();
        shared.update(crate::assets::BUILD.as_bytes()).update(as_of.to_string().as_bytes());
        shared.update(assets.digest_under("").as_bytes());
        shared.update(read.get(&office.org_file).map_or("", String::as_str).as_bytes());
        Self {
            shared: shared.hex(),
            read,
            photos: office.photos.iter().map(|(id, p)| (id.clone(), p.digest.clone())).collect(),
            old: if force { Manifest::default() } else { Manifest::read(out) },
            out: out.to_path_buf(),
            since: Manifest::written(out),
        }
    }

    /// Nothing known: every file is made (tests, `templates`).
    pub fn nothing(read: &'a Read) -> Self {
        Self {
            shared: String::new(),
            read,
            photos: Default::default(),
            old: Manifest::default(),
            out: PathBuf::new(),
            since: None,
        }
    }

    /// The digest of what a page made from member `m` alone reads: the
    /// member's file and photo, and what all share.
    pub fn inputs_of(&self, m: &Member) -> Option<String> {
        let file = self.read.get(&m.file)?;
        let photo = self.photos.get(&m.id.value).map_or("", String::as_str);
        Some(Digest::default().update(self.shared.as_bytes()).update(file.as_bytes()).update(photo.as_bytes()).hex())
    }

    /// The view digest of document `path` (a print-file part if `part`)
    /// when out/ holds it made from `inputs`: there, and a part as written.
    pub fn document(&self, path: &str, inputs: &str, part: bool) -> Option<String> {
        let entry = self.old.entry(path)?;
        let (view, recorded) = (entry.view(), entry.inputs()?);
        if recorded != inputs {
            return None;
        }
        let file = self.out.join(path);
        let there = if part { self.old.content_matches(path, &file) } else { file.is_file() };
        there.then(|| view.to_string())
    }

    /// The inputs of an output with one item per member of `members` (a
    /// print-file part, a branch page), each item made from its member's
    /// file (`extra`: the digest of any other input every item reads, as a
    /// letter's text): each item's, and the output's. None when a member's
    /// file was not read.
    pub fn inputs_of_all<'m>(
        &self,
        members: impl IntoIterator<Item = &'m Member>,
        extra: &str,
    ) -> Option<(Vec<String>, String)> {
        let items: Vec<String> = members
            .into_iter()
            .map(|m| self.inputs_of(m).map(|i| Digest::default().update(i.as_bytes()).update(extra.as_bytes()).hex()))
            .collect::<Option<_>>()?;
        let all = crate::manifest::digest_all(items.iter().map(String::as_str));
        Some((items, all))
    }

    /// `path`, when out/ holds it as made from `inputs`: not made again.
    pub fn kept(&self, path: &str, inputs: &str) -> Option<OtherFile> {
        let entry = self.old.made_from(path, inputs, &self.out.join(path), self.since)?;
        Some(OtherFile { path: path.to_string(), entry: entry.to_string(), bytes: None })
    }
}
