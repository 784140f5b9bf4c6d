//! The outputs a run is to write, held while everything renders: packed,
//! their texts (manifest path, member file) one after another in one
//! string, since at 20,000 members there are some 46,000 of them. Held as
//! three strings each in a list of tuples, they would take 16 MB of heap in
//! 140,000 allocations, scattered among the planning's. The input digests
//! the manifest records for them are needed only once everything is
//! rendered: they wait on disk (see [`Todo::set_digests_aside`]).

use std::path::Path;

use crate::deflated::Deflated;

/// One output to write.
pub struct Output<'a> {
    /// Relative to out/: what the manifest records it under.
    pub path: &'a str,
    /// What the manifest records it was made from.
    pub digest: &'a str,
    /// The member file it was made from, if one.
    pub source: Option<&'a Path>,
    /// Pages it must have, if fixed, with what it is called.
    pub one_page: Option<&'static str>,
    /// What kind of document it is, in Chinese.
    pub kind: &'static str,
    /// A part of a print file (joined once everything is rendered).
    pub part: bool,
}

/// An output as the rendering reads it: [`Output`] without its digest.
pub struct Listed<'a> {
    pub path: &'a str,
    pub source: Option<&'a Path>,
    pub one_page: Option<&'static str>,
    pub kind: &'static str,
    pub part: bool,
}

/// 16 bytes an output (64 with its two words held as they are).
struct Entry {
    /// Where its texts begin, and the length of each.
    start: u32,
    path: u16,
    /// [`NONE`] without a member file.
    source: u16,
    /// Its digest's length, in [`Todo::digests`].
    digest: u16,
    /// Its words, by their place in [`Todo::words`]; `one_page` [`NOWORD`]
    /// when its pages are not fixed.
    kind: u8,
    one_page: u8,
    part: bool,
}

const NONE: u16 = u16::MAX;
const NOWORD: u8 = u8::MAX;

#[derive(Default)]
pub struct Todo {
    texts: String,
    entries: Vec<Entry>,
    /// The kinds' words, each once (a dozen kinds of document).
    words: Vec<&'static str>,
    digests: Digests,
}

/// The outputs' digests, one after another (their lengths in the entries).
enum Digests {
    Here(String),
    /// Deflated (3 MB at 20,000 members).
    Aside(Deflated),
}

impl Default for Digests {
    fn default() -> Self {
        Digests::Here(String::new())
    }
}

impl Todo {
    /// Room for `outputs` outputs whose texts (path, member file) are
    /// `bytes` long together, and whose digests are `digests` long.
    pub fn with_capacity(outputs: usize, bytes: usize, digests: usize) -> Self {
        Self {
            texts: String::with_capacity(bytes),
            entries: Vec::with_capacity(outputs),
            words: Vec::new(),
            digests: Digests::Here(String::with_capacity(digests)),
        }
    }

    pub fn push(&mut self, o: Output) {
        let start = u32::try_from(self.texts.len()).expect("outputs' paths shorter than 4 GB together");
        let len = |s: &str| u16::try_from(s.len()).ok().filter(|n| *n != NONE).expect("a path shorter than 64 KB");
        self.texts.push_str(o.path);
        let source = o.source.map_or(NONE, |s| {
            let s = s.to_string_lossy();
            self.texts.push_str(&s);
            len(&s)
        });
        let Digests::Here(digests) = &mut self.digests else {
            panic!("an output pushed after the digests were set aside")
        };
        digests.push_str(o.digest);
        let entry = Entry {
            start,
            path: len(o.path),
            source,
            digest: len(o.digest),
            kind: self.word(o.kind),
            one_page: o.one_page.map_or(NOWORD, |w| self.word(w)),
            part: o.part,
        };
        self.entries.push(entry);
    }

    /// Every output pushed: keep the digests deflated until
    /// [`Todo::digests`] reads them back.
    pub fn set_digests_aside(&mut self) {
        if let Digests::Here(digests) = &self.digests {
            self.digests = Digests::Aside(Deflated::new(digests.as_bytes()));
        }
    }

    /// The place of `word` in [`Self::words`], added if new.
    fn word(&mut self, word: &'static str) -> u8 {
        let at = self.words.iter().position(|w| *w == word).unwrap_or_else(|| {
            self.words.push(word);
            self.words.len() - 1
        });
        u8::try_from(at).ok().filter(|n| *n != NOWORD).expect("fewer than 255 kinds of document")
    }

    pub fn get(&self, i: usize) -> Listed<'_> {
        let e = &self.entries[i];
        let path_start = e.start as usize;
        let path_end = path_start + e.path as usize;
        Listed {
            path: &self.texts[path_start..path_end],
            source: (e.source != NONE).then(|| Path::new(&self.texts[path_end..path_end + e.source as usize])),
            one_page: (e.one_page != NOWORD).then(|| self.words[e.one_page as usize]),
            kind: self.words[e.kind as usize],
            part: e.part,
        }
    }

    /// Each output's digest, in order. Err only if they cannot
    /// be read back.
    pub fn digests(&self) -> std::io::Result<Vec<String>> {
        let text = match &self.digests {
            Digests::Here(text) => std::borrow::Cow::Borrowed(text.as_str()),
            Digests::Aside(kept) => std::borrow::Cow::Owned(
                String::from_utf8(kept.inflate()?).expect("the digests set aside come back as they went"),
            ),
        };
        let mut at = 0;
        Ok(self
            .entries
            .iter()
            .map(|e| {
                let digest = text[at..at + e.digest as usize].to_string();
                at += e.digest as usize;
                digest
            })
            .collect())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Listed<'_>> {
        (0..self.len()).map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_output_comes_back_as_it_went_in() {
        let mut todo = Todo::with_capacity(1, 4, 2);
        let source = Path::new("members/第一支部/张三.yaml");
        todo.push(Output {
            path: "info-cards/W001.pdf",
            digest: "ab+cd",
            source: Some(source),
            one_page: Some("信息卡"),
            kind: "信息卡",
            part: false,
        });
        todo.push(Output {
            path: "parts/x/0001.pdf",
            digest: "",
            source: None,
            one_page: None,
            kind: "联系卡",
            part: true,
        });
        todo.push(Output {
            path: "",
            digest: "ef",
            source: Some(Path::new("")),
            one_page: None,
            kind: "",
            part: false,
        });
        assert_eq!(todo.len(), 3);
        assert_eq!(std::mem::size_of::<Entry>(), 16);
        type Seen<'a> = (&'a str, String, Option<&'a Path>, Option<&'static str>, &'static str, bool);
        fn all(todo: &Todo) -> Vec<Seen<'_>> {
            todo.iter()
                .zip(todo.digests().unwrap())
                .map(|(o, digest)| (o.path, digest, o.source, o.one_page, o.kind, o.part))
                .collect()
        }
        let expected = [
            ("info-cards/W001.pdf", "ab+cd".to_string(), Some(source), Some("信息卡"), "信息卡", false),
            ("parts/x/0001.pdf", String::new(), None, None, "联系卡", true),
            ("", "ef".to_string(), Some(Path::new("")), None, "", false),
        ];
        assert_eq!(all(&todo), expected);
        // Set aside (deflated), they come back the same.
        todo.set_digests_aside();
        assert!(matches!(todo.digests, Digests::Aside(_)));
        assert_eq!(all(&todo), expected);
    }
}
