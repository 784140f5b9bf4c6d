//! The bundled fonts, built into the binary from `fonts/` (never system
//! fonts), loaded once and shared by the glyph check and every typst compile.

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst_kit::fonts::FontStore;

/// The face every member-provided text is set in (it has the rare name
/// characters); see fonts/README.md.
pub const MEMBER_TEXT_FAMILY: &str = "Noto Serif CJK SC";

pub struct FontSet {
    store: FontStore,
    /// Digest of the font files, part of every output's manifest entry.
    pub digest: String,
    /// The code points the member-text faces cover, as a bit set (the font
    /// book's own coverage lookup is a linear scan, too slow per character).
    member_glyphs: Vec<u64>,
}

impl FontSet {
    /// The fonts built into the binary (fonts/*.otf, *.ttf), in file-name order.
    pub fn builtin() -> Result<Self, String> {
        let files = crate::assets::builtins("fonts/").filter(|(p, _)| {
            let ext = p.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            matches!(ext.as_str(), "otf" | "ttf" | "ttc" | "otc")
        });
        let mut store = FontStore::new();
        let mut member_text = Vec::new();
        let mut count = 0;
        let mut digest = crate::manifest::Digest::default();
        for (path, data) in files {
            digest.update(path.as_bytes()).update(data);
            for font in Font::iter(Bytes::new(data)) {
                if font.info().family == MEMBER_TEXT_FAMILY {
                    member_text.push(count);
                }
                let info = font.info().clone();
                store.push((font, info));
                count += 1;
            }
        }
        if member_text.is_empty() {
            return Err(format!("内置字体中没有 {MEMBER_TEXT_FAMILY}，无法排版成员信息"));
        }
        let mut member_glyphs = vec![0u64; 0x11_0000 / 64];
        for &i in &member_text {
            for c in store.book().info(i).map(|info| info.coverage.iter()).into_iter().flatten() {
                if let Some(word) = member_glyphs.get_mut(c as usize / 64) {
                    *word |= 1 << (c % 64);
                }
            }
        }
        Ok(Self { store, digest: digest.hex(), member_glyphs })
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// Whether the member-text face has a glyph for `c`.
    pub fn covers_member_text(&self, c: char) -> bool {
        let i = c as usize;
        c.is_whitespace() || self.member_glyphs[i / 64] & (1 << (i % 64)) != 0
    }
}
