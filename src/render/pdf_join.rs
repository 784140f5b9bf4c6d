//! Join PDFs into one print file without holding them all in memory: each
//! part is read, renumbered and written out in turn; only the page list is
//! kept. A long print file is rendered as many short typst documents (so
//! typst's memory stays flat) and joined here.

use std::io::{self, Write};

use lopdf::{Dictionary, Document, Object, ObjectId, Writer};

pub struct PdfJoiner<W: Write> {
    out: W,
    written: u64,
    /// Byte offset of every object, by id (id 0 is the free-list head).
    offsets: Vec<u64>,
    pages: Vec<ObjectId>,
}

/// Ids 1 and 2 are reserved for the page tree and the catalog.
const PAGES: ObjectId = (1, 0);
const CATALOG: ObjectId = (2, 0);

fn err(e: lopdf::Error) -> io::Error {
    io::Error::other(e.to_string())
}

impl<W: Write> PdfJoiner<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        let header = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
        out.write_all(header)?;
        Ok(Self { out, written: header.len() as u64, offsets: vec![0, 0, 0], pages: Vec::new() })
    }

    fn object(&mut self, id: ObjectId, object: &Object) -> io::Result<()> {
        let mut buf = format!("{} {} obj\n", id.0, id.1).into_bytes();
        Writer::write_object(&mut buf, object)?;
        buf.extend_from_slice(b"\nendobj\n");
        let slot = id.0 as usize;
        if self.offsets.len() <= slot {
            self.offsets.resize(slot + 1, 0);
        }
        self.offsets[slot] = self.written;
        self.out.write_all(&buf)?;
        self.written += buf.len() as u64;
        Ok(())
    }

    /// Append every page of `pdf`, in order.
    pub fn append(&mut self, pdf: &[u8]) -> io::Result<()> {
        let mut doc = Document::load_mem(pdf).map_err(err)?;
        doc.renumber_objects_with(self.offsets.len() as u32);
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        // Leave out what belonged to the part as a whole: its catalog, page
        // tree nodes and document information.
        let mut skip = Vec::new();
        for key in [b"Root".as_slice(), b"Info"] {
            if let Ok(id) = doc.trailer.get(key).and_then(Object::as_reference) {
                skip.push(id);
            }
        }
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
            let (id, object) = (*id, object.clone());
            self.object(id, &object)?;
        }
        self.pages.extend(pages);
        Ok(())
    }

    /// Write the page tree, the catalog and the cross-reference table.
    pub fn finish(mut self) -> io::Result<W> {
        let kids: Vec<Object> = self.pages.iter().map(|&p| Object::Reference(p)).collect();
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Count", Object::Integer(kids.len() as i64));
        pages.set("Kids", Object::Array(kids));
        self.object(PAGES, &Object::Dictionary(pages))?;
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(PAGES));
        self.object(CATALOG, &Object::Dictionary(catalog))?;
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
            "trailer\n<< /Size {} /Root {} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
            self.offsets.len(),
            CATALOG.0
        ));
        self.out.write_all(tail.as_bytes())?;
        Ok(self.out)
    }
}
