//! The outputs a run is to write, held while everything renders: packed,
//! their texts (manifest path, input digest, member file) one after another
//! in one string, since at 20,000 members there are some 46,000 of them.
//! Held as three strings each in a list of tuples, they took 16 MB of heap
//! in 140,000 allocations, scattered among the planning's.

use std::path::Path;

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

/// 16 bytes an output (it was 64, with its two words held as they are).
struct Entry {
    /// Where its texts begin, and the length of each.
    start: u32,
    path: u16,
    digest: u16,
    /// [`NONE`] without a member file.
    source: u16,
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
}

impl Todo {
    /// Room for `outputs` outputs whose texts are `bytes` long together.
    pub fn with_capacity(outputs: usize, bytes: usize) -> Self {
        Self { texts: String::with_capacity(bytes), entries: Vec::with_capacity(outputs), words: Vec::new() }
    }

    pub fn push(&mut self, o: Output) {
        let start = u32::try_from(self.texts.len()).expect("outputs' paths shorter than 4 GB together");
        let len = |s: &str| u16::try_from(s.len()).ok().filter(|n| *n != NONE).expect("a path shorter than 64 KB");
        self.texts.push_str(o.path);
        self.texts.push_str(o.digest);
        let source = o.source.map_or(NONE, |s| {
            let s = s.to_string_lossy();
            self.texts.push_str(&s);
            len(&s)
        });
        let entry = Entry {
            start,
            path: len(o.path),
            digest: len(o.digest),
            source,
            kind: self.word(o.kind),
            one_page: o.one_page.map_or(NOWORD, |w| self.word(w)),
            part: o.part,
        };
        self.entries.push(entry);
    }

    /// The place of `word` in [`Self::words`], added if new.
    fn word(&mut self, word: &'static str) -> u8 {
        let at = self.words.iter().position(|w| *w == word).unwrap_or_else(|| {
            self.words.push(word);
            self.words.len() - 1
        });
        u8::try_from(at).ok().filter(|n| *n != NOWORD).expect("fewer than 255 kinds of document")
    }

    pub fn get(&self, i: usize) -> Output<'_> {
        let e = &self.entries[i];
        let path_start = e.start as usize;
        let path_end = path_start + e.path as usize;
        let digest_end = path_end + e.digest as usize;
        Output {
            path: &self.texts[path_start..path_end],
            digest: &self.texts[path_end..digest_end],
            source: (e.source != NONE).then(|| Path::new(&self.texts[digest_end..digest_end + e.source as usize])),
            one_page: (e.one_page != NOWORD).then(|| self.words[e.one_page as usize]),
            kind: self.words[e.kind as usize],
            part: e.part,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Output<'_>> {
        (0..self.len()).map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_output_comes_back_as_it_went_in() {
        let mut todo = Todo::with_capacity(1, 4);
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
        let all: Vec<_> = todo.iter().map(|o| (o.path, o.digest, o.source, o.one_page, o.kind, o.part)).collect();
        assert_eq!(
            all,
            [
                ("info-cards/W001.pdf", "ab+cd", Some(source), Some("信息卡"), "信息卡", false),
                ("parts/x/0001.pdf", "", None, None, "联系卡", true),
                ("", "ef", Some(Path::new("")), None, "", false),
            ]
        );
    }
}
