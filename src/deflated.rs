//! Bytes held deflated from the moment they are planned until they are
//! used: the documents' views (JSON, until each renders) and the files made
//! without typst (the register's pages, until written). A build holds all
//! of them at once (each information card and letter once, in its
//! print-file part: a single has no view of its own). Measured, when every
//! card and letter was held twice, on a 20,000-member build: the heap
//! when rendering begins 215 MB → 97 MB, the planning's peak 460 MB →
//! 268 MB (resident 550 MB → 375 MB). What it costs: see `LEVEL`.

use std::cell::RefCell;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use serde::Serialize;

use crate::manifest::Digest;

/// Bytes, deflated, with their length and digest.
#[derive(Clone, Default)]
pub struct Deflated {
    deflated: Vec<u8>,
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
        Self { deflated: deflate(bytes), len: bytes.len(), digest, as_is: false }
    }

    /// Bytes held as they are: already compressed (the workbook, a zip),
    /// and written as soon as they are made.
    pub fn as_is(bytes: Vec<u8>) -> Self {
        Self { digest: Digest::default().update(&bytes).value(), len: bytes.len(), deflated: bytes, as_is: true }
    }

    /// The bytes, inflated again.
    pub fn inflate(&self) -> Vec<u8> {
        if self.as_is || self.len == 0 {
            return self.deflated.clone();
        }
        let mut bytes = Vec::with_capacity(self.len);
        let status = Decompress::new(false).decompress_vec(&self.deflated, &mut bytes, FlushDecompress::Finish);
        assert!(matches!(status, Ok(Status::StreamEnd)) && bytes.len() == self.len, "inflating what was deflated here");
        bytes
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

    /// Bytes held.
    pub fn held(&self) -> usize {
        self.deflated.capacity()
    }
}

/// zlib-rs on views (the `templates` examples of every kind, 738 MB):
/// level 1 325 MB/s and 2.7× smaller, level 2 160 MB/s and 3.7×, level 6
/// 73 MB/s and 4.0×. At 20,000 members level 1 left the planning's peak at
/// 390 MB. Level 2 costs a 10,000-member run with one member changed about
/// 0.1 s (planning's median 0.46 s → 0.60 s, the binaries before and after
/// in turn): the office-wide views made on every run (visit plan, dues
/// papers, the letters' lists, the register's index), some 20 MB, are
/// deflated though most are then found unchanged.
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

    #[test]
    fn bytes_come_back_as_they_went_in_and_smaller() {
        let cards: Vec<_> = (0..25)
            .map(|i| serde_json::json!({"name": format!("张{i}"), "branch": "第一离退休党支部", "phone": format!("1380000{i:04}")}))
            .collect();
        let json = serde_json::to_vec(&serde_json::json!({ "cards": cards })).unwrap();
        let view = Deflated::new(&json);
        assert_eq!(view.inflate(), json);
        assert_eq!(view.len(), json.len());
        assert!(view.held() * 3 < json.len(), "{} of {}", view.held(), json.len());
        assert_eq!(view.digest(), Digest::default().update(&json).value());
        assert_ne!(view.digest(), Deflated::json(&serde_json::json!({ "cards": [] })).digest());
        assert!(Deflated::default().inflate().is_empty());
        let zip = b"PK\x03\x04 already compressed".to_vec();
        let kept = Deflated::as_is(zip.clone());
        assert_eq!(
            (kept.inflate(), kept.held(), kept.digest()),
            (zip.clone(), zip.len(), Digest::default().update(&zip).value())
        );
        // Incompressible bytes fit too.
        let noise: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert_eq!(Deflated::new(&noise).inflate(), noise);
    }
}
