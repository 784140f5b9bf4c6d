//! Join PDFs into one print file without holding them all in memory, and
//! without reparsing the parts that did not change.
//!
//! A long print file is rendered as many short typst documents (so typst's
//! memory stays flat) and joined here. Each part becomes a [`Piece`]: its
//! objects renumbered into a range of its own (part k's ids start at
//! `3 + k × stride`) and serialised once. The print file is then the pieces'
//! bytes one after another, with the page tree, the catalog and the
//! cross-reference table written at the end. A piece is kept beside its
//! part, so when one member changes only their part is parsed again; the
//! others are copied as bytes. The stride is the smallest power of two that
//! holds the largest part, so the same parts always give the same file,
//! byte for byte, however they were built.

use std::io::{self, Write};

use lopdf::{Dictionary, Document, Object, ObjectId, Writer};

/// Ids 1 and 2 are reserved for the page tree and the catalog.
pub(super) const PAGES: ObjectId = (1, 0);
const CATALOG: ObjectId = (2, 0);
/// Where the first part's ids start.
pub(super) const FIRST: u32 = 3;

pub(super) fn err(e: lopdf::Error) -> io::Error {
    io::Error::other(e.to_string())
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("拼合缓存损坏：{what}"))
}

/// Ids each part gets, for parts of at most `largest` objects.
pub fn stride(largest: u32) -> u32 {
    largest.max(64).next_power_of_two()
}

/// The first id of part `k`.
pub fn base(k: usize, stride: u32) -> u32 {
    FIRST + k as u32 * stride
}

/// How many objects a part PDF has (the ids its piece needs).
pub fn object_count(pdf: &[u8]) -> io::Result<u32> {
    let doc = Document::load_mem(pdf).map_err(err)?;
    Ok(doc.objects.len() as u32)
}

/// Join PDFs held in memory, in order, into one (a document laid out in
/// parts; print files are joined from kept pieces instead, see
/// `output::Staging::join`). `source` names them in the pieces' heads.
pub fn join(pdfs: &[Vec<u8>], source: &str) -> io::Result<Vec<u8>> {
    let counts = pdfs.iter().map(|p| object_count(p)).collect::<io::Result<Vec<u32>>>()?;
    let stride = stride(counts.into_iter().max().unwrap_or(0));
    let mut joiner = PdfJoiner::new(Vec::new())?;
    for (k, pdf) in pdfs.iter().enumerate() {
        joiner.append(&Piece::of(pdf, source, base(k, stride))?)?;
    }
    joiner.finish()
}

/// One part, ready to be copied into a print file as it is.
#[derive(Debug, PartialEq, Eq)]
pub struct Piece {
    /// Digest of the part PDF it was made from.
    pub source: String,
    pub base: u32,
    /// Ids used: `base .. base + count`.
    pub count: u32,
    /// The page objects, in order.
    pub pages: Vec<u32>,
    /// Each object's id and where it starts in `body`.
    pub offsets: Vec<(u32, u64)>,
    pub body: Vec<u8>,
}

const MAGIC: &str = "tuiguan-piece 1";

/// The first line of a stored piece: what it was made from and where its
/// ids lie.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    /// Digest of the part PDF it was made from.
    pub source: String,
    pub base: u32,
    pub count: u32,
    /// Length of the body after the head's lines.
    pub len: u64,
}

impl Head {
    /// Parse a piece's first line (without its newline).
    pub fn parse(line: &str) -> io::Result<Self> {
        let line = line.strip_prefix(MAGIC).ok_or_else(|| bad("文件头"))?;
        let f: Vec<&str> = line.split_whitespace().collect();
        let [source, base, count, len] = f[..] else { return Err(bad("文件头")) };
        let num = |s: &str| s.parse::<u64>().map_err(|_| bad("数字"));
        Ok(Self { source: source.to_string(), base: num(base)? as u32, count: num(count)? as u32, len: num(len)? })
    }

    /// Read only the head of the piece stored at `path`.
    pub fn read(path: &std::path::Path) -> io::Result<Self> {
        use std::io::BufRead;
        let mut line = String::new();
        io::BufReader::new(std::fs::File::open(path)?).read_line(&mut line)?;
        Self::parse(line.trim_end_matches('\n'))
    }
}

impl Piece {
    /// Renumber part `pdf` from `base` and serialise its objects, leaving out
    /// what belonged to the part as a whole (catalog, page tree, document
    /// information); its pages point at the print file's page tree.
    pub fn of(pdf: &[u8], source: &str, base: u32) -> io::Result<Self> {
        let mut doc = Document::load_mem(pdf).map_err(err)?;
        let count = doc.objects.len() as u32;
        doc.renumber_objects_with(base);
        let pages: Vec<u32> = doc.get_pages().into_values().map(|id| id.0).collect();
        let mut skip = Vec::new();
        for key in [b"Root".as_slice(), b"Info"] {
            if let Ok(id) = doc.trailer.get(key).and_then(Object::as_reference) {
                skip.push(id);
            }
        }
        let mut body = Vec::new();
        let mut offsets = Vec::new();
        for (id, object) in &mut doc.objects {
            if skip.contains(id) {
                continue;
            }
            if let Object::Dictionary(dict) = object {
                match dict.get(b"Type").and_then(Object::as_name) {
                    Ok(b"Pages") => continue,
                    Ok(b"Page") => dict.set("Parent", Object::Reference(PAGES)),
                    _ => {}
                }
            }
            offsets.push((id.0, body.len() as u64));
            body.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
            Writer::write_object(&mut body, object)?;
            body.extend_from_slice(b"\nendobj\n");
        }
        Ok(Self { source: source.to_string(), base, count, pages, offsets, body })
    }

    /// The piece as stored beside its part: a text head, then the body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let list = |v: &mut String, items: &mut dyn Iterator<Item = String>| {
            for i in items {
                v.push(' ');
                v.push_str(&i);
            }
            v.push('\n');
        };
        let mut head = format!("{MAGIC} {} {} {} {}\n", self.source, self.base, self.count, self.body.len());
        head.push('p');
        list(&mut head, &mut self.pages.iter().map(u32::to_string));
        head.push('o');
        list(&mut head, &mut self.offsets.iter().map(|(id, at)| format!("{id}:{at}")));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }

    /// Read a stored piece; an error when it is not one or is cut short.
    pub fn from_bytes(bytes: Vec<u8>) -> io::Result<Self> {
        let mut lines = bytes.splitn(4, |&b| b == b'\n');
        let mut text = || lines.next().map(|l| String::from_utf8_lossy(l).into_owned()).ok_or_else(|| bad("不完整"));
        let (head, pages, offsets) = (text()?, text()?, text()?);
        let Head { source, base, count, len } = Head::parse(&head)?;
        let num = |s: &str| s.parse::<u64>().map_err(|_| bad("数字"));
        let start = bytes.len().saturating_sub(len as usize);
        let pages = pages.strip_prefix('p').ok_or_else(|| bad("页"))?;
        let offsets = offsets.strip_prefix('o').ok_or_else(|| bad("位置"))?;
        let piece = Self {
            source,
            base,
            count,
            pages: pages.split_whitespace().map(|p| num(p).map(|n| n as u32)).collect::<io::Result<_>>()?,
            offsets: offsets
                .split_whitespace()
                .map(|o| {
                    let (id, at) = o.split_once(':').ok_or_else(|| bad("位置"))?;
                    Ok((num(id)? as u32, num(at)?))
                })
                .collect::<io::Result<_>>()?,
            body: bytes[start..].to_vec(),
        };
        if piece.body.len() as u64 != len || piece.offsets.iter().any(|(_, at)| *at >= len) {
            return Err(bad("长度不符"));
        }
        Ok(piece)
    }
}

pub struct PdfJoiner<W: Write> {
    out: W,
    written: u64,
    /// Byte offset of every object, by id (0: free).
    offsets: Vec<u64>,
    pages: Vec<u32>,
}

impl<W: Write> PdfJoiner<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        let header = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
        out.write_all(header)?;
        Ok(Self { out, written: header.len() as u64, offsets: vec![0; FIRST as usize], pages: Vec::new() })
    }

    fn at(&mut self, id: u32, offset: u64) {
        let slot = id as usize;
        if self.offsets.len() <= slot {
            self.offsets.resize(slot + 1, 0);
        }
        self.offsets[slot] = offset;
    }

    /// Write one object (`page`: it is a page, listed in the page tree).
    pub(super) fn object(&mut self, id: ObjectId, object: &Object, page: bool) -> io::Result<()> {
        if page {
            self.pages.push(id.0);
        }
        let mut buf = format!("{} {} obj\n", id.0, id.1).into_bytes();
        Writer::write_object(&mut buf, object)?;
        buf.extend_from_slice(b"\nendobj\n");
        self.at(id.0, self.written);
        self.out.write_all(&buf)?;
        self.written += buf.len() as u64;
        Ok(())
    }

    /// Append every page of a piece, in order, copying its bytes.
    pub fn append(&mut self, piece: &Piece) -> io::Result<()> {
        for &(id, at) in &piece.offsets {
            self.at(id, self.written + at);
        }
        self.out.write_all(&piece.body)?;
        self.written += piece.body.len() as u64;
        self.pages.extend(&piece.pages);
        Ok(())
    }

    /// Write the page tree, the catalog and the cross-reference table.
    pub fn finish(self) -> io::Result<W> {
        self.finish_with(Dictionary::new(), "")
    }

    /// The same, with more entries in the catalog (a language, page labels)
    /// and in the trailer (`trailer`, written as it is: ` /Info 3 0 R`).
    pub(super) fn finish_with(mut self, more: Dictionary, trailer: &str) -> io::Result<W> {
        let kids: Vec<Object> = self.pages.iter().map(|&p| Object::Reference((p, 0))).collect();
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Count", Object::Integer(kids.len() as i64));
        pages.set("Kids", Object::Array(kids));
        self.object(PAGES, &Object::Dictionary(pages), false)?;
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(PAGES));
        catalog.extend(&more);
        self.object(CATALOG, &Object::Dictionary(catalog), false)?;
        let xref_at = self.written;
        let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len());
        for &off in &self.offsets[1..] {
            if off == 0 {
                tail.push_str("0000000000 65535 f \n");
            } else {
                tail.push_str(&format!("{off:010} 00000 n \n"));
            }
        }
        tail.push_str(&format!(
            "trailer\n<< /Size {} /Root {} 0 R{trailer} >>\nstartxref\n{xref_at}\n%%EOF\n",
            self.offsets.len(),
            CATALOG.0
        ));
        self.out.write_all(tail.as_bytes())?;
        Ok(self.out)
    }
}
