//! Bytes held deflated from the moment they are planned until they are
//! used: the documents' views (JSON, until each renders) and the files made
//! without typst (the register's pages, until written). A build holds all
//! of them at once (each information card and letter once, in its
//! print-file part: a single has no view of its own). Deflated against
//! plain, on a 20,000-member build with every card and letter held twice:
//! the heap when rendering begins 97 MB against 215 MB, the planning's
//! peak 268 MB against 460 MB (resident 375 MB against 550 MB). What it
//! costs: see `LEVEL`.
//!
//! They are held in memory, not in a temporary file: at 20,000 members a
//! file would lower a build's peak from 214 MB to 180 MB, and the office
//! needs it under 400 MB (docs/performance.md).

use std::cell::RefCell;
use std::io::Write;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use serde::Serialize;

use crate::manifest::Digest;

/// Bytes, deflated, with their length and digest.
#[derive(Clone, Default)]
pub struct Deflated {
    kept: Vec<u8>,
    len: usize,
    digest: u128,
    /// Held as they are (see [`Deflated::as_is`]).
    as_is: bool,
}

impl Deflated {
    /// A view, as JSON.
    pub fn json(view: &impl Serialize) -> Self {
        Self::new(&serde_json::to_vec(view).expect("views serialise"))
    }

    pub fn new(bytes: &[u8]) -> Self {
        let digest = Digest::default().update(bytes).value();
        Self { kept: deflate(bytes), len: bytes.len(), digest, as_is: false }
    }

    /// Bytes held as they are: already compressed (a zip).
    pub fn as_is(bytes: Vec<u8>) -> Self {
        Self { digest: Digest::default().update(&bytes).value(), len: bytes.len(), kept: bytes, as_is: true }
    }

    /// The bytes, inflated again. (Err never, since they are held in
    /// memory; kept for the callers' sake of a result.)
    pub fn inflate(&self) -> std::io::Result<Vec<u8>> {
        // (No bytes deflate to a few: they are not what went in.)
        if self.len == 0 {
            return Ok(Vec::new());
        }
        let deflated = &self.kept;
        if self.as_is {
            return Ok(deflated.clone());
        }
        let mut bytes = Vec::with_capacity(self.len);
        let status = Decompress::new(false).decompress_vec(deflated, &mut bytes, FlushDecompress::Finish);
        assert!(matches!(status, Ok(Status::StreamEnd)) && bytes.len() == self.len, "inflating what was deflated here");
        Ok(bytes)
    }

    /// The bytes' length.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes' digest (a view's: what the manifest records a document
    /// was made from).
    pub fn digest(&self) -> u128 {
        self.digest
    }
}

/// Bytes deflated as they are written, never held whole: what
/// [`Deflated::new`] makes of all of them. The register's index is its
/// page with its data (5 MB at 20,000 members) serialised straight in; held
/// whole, the data, the page made of it and the deflated bytes would be
/// three copies at once.
pub struct Deflating {
    encoder: flate2::write::DeflateEncoder<Vec<u8>>,
    digest: Digest,
    len: usize,
}

impl Default for Deflating {
    fn default() -> Self {
        Self {
            encoder: flate2::write::DeflateEncoder::new(Vec::new(), Compression::new(LEVEL)),
            digest: Digest::default(),
            len: 0,
        }
    }
}

impl Deflating {
    pub fn finish(mut self) -> Deflated {
        let mut deflated = self.encoder.finish().expect("deflating into memory");
        deflated.shrink_to_fit();
        let digest = self.digest.end_field(self.len as u64).value();
        Deflated { kept: deflated, len: self.len, digest, as_is: false }
    }
}

impl Write for Deflating {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.encoder.write_all(buf)?;
        self.digest.update_part(buf);
        self.len += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// zlib-rs on views (the `templates` examples of every kind, 738 MB):
/// level 1 325 MB/s and 2.7× smaller, level 2 160 MB/s and 3.7×, level 6
/// 73 MB/s and 4.0×. At 20,000 members level 1 leaves the planning's peak
/// at 390 MB. Deflating at level 2 costs a 10,000-member run with one
/// member changed about 0.1 s (the planning's median 0.60 s against 0.46 s
/// with views held plain): the office-wide views made on every run (visit
/// plan, dues papers, the letters' lists, the register's index), some
/// 20 MB, are deflated though most are then found unchanged.
const LEVEL: u32 = 2;

thread_local! {
    /// One compressor per thread, reset each time: a new one allocates and
    /// clears some 300 KB, many times the size of most views.
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(LEVEL), false));
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    DEFLATE.with_borrow_mut(|compress| {
        compress.reset();
        // Room for deflate's worst case (stored blocks), so one call does it.
        let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 64 + 64);
        let status = compress.compress_vec(bytes, &mut out, FlushCompress::Finish);
        assert!(matches!(status, Ok(Status::StreamEnd)), "deflating into memory");
        out.shrink_to_fit();
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cards() -> Vec<u8> {
        let cards: Vec<_> = (0..25)
            .map(|i| serde_json::json!({"name": format!("张{i}"), "branch": "第一离退休党支部", "phone": format!("1380000{i:04}")}))
            .collect();
        serde_json::to_vec(&serde_json::json!({ "cards": cards })).unwrap()
    }

    #[test]
    fn bytes_come_back_as_they_went_in_and_smaller() {
        let json = cards();
        let view = Deflated::new(&json);
        assert_eq!(view.inflate().unwrap(), json);
        assert_eq!(view.len(), json.len());
        assert!(deflate(&json).len() * 3 < json.len(), "{} of {}", deflate(&json).len(), json.len());
        assert_eq!(view.digest(), Digest::default().update(&json).value());
        assert_ne!(view.digest(), Deflated::json(&serde_json::json!({ "cards": [] })).digest());
        assert!(Deflated::default().inflate().unwrap().is_empty());
        // Written in pieces, the same bytes and digest as the whole.
        let mut deflating = Deflating::default();
        let (a, b) = json.split_at(json.len() / 3);
        for piece in [a, b"", b] {
            deflating.write_all(piece).unwrap();
        }
        let joined = deflating.finish();
        assert_eq!(
            (joined.inflate().unwrap(), joined.digest(), joined.len()),
            (json.clone(), view.digest(), json.len())
        );
        assert_eq!(Deflating::default().finish().digest(), Deflated::new(b"").digest());
        // No bytes come back as none.
        assert!(Deflated::new(b"").inflate().unwrap().is_empty());
        assert!(Deflating::default().finish().inflate().unwrap().is_empty());
        let zip = b"PK\x03\x04 already compressed".to_vec();
        let kept = Deflated::as_is(zip.clone());
        assert_eq!((kept.inflate().unwrap(), kept.digest()), (zip.clone(), Digest::default().update(&zip).value()));
        // Incompressible bytes fit too.
        let noise: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert_eq!(Deflated::new(&noise).inflate().unwrap(), noise);
    }
}
