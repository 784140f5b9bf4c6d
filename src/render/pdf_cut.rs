//! Cut one page out of a rendered print-file part as a PDF of its own.
//!
//! A member's single document (an information card, a letter) is a page of
//! the part it is printed in. Exporting it again from typst's layout would
//! subset its fonts and compress every stream a second time: 46 % of the
//! time of `cards` (2,000 members: 13.3 s of user time, 7.1 s without).
//! Cut at the PDF level, the page and everything it refers to (its
//! content, the fonts it shares with the part's other pages, images) are
//! copied as they are. The single then carries the part's font subsets,
//! which hold the glyphs of the part's 25 items: it is larger (an
//! information card: 81 KB against 56 KB exported alone), and its bytes
//! depend on the part, so it is made again whenever its part is (see
//! `batch::produce`).

use std::collections::{BTreeMap, VecDeque};
use std::io;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::pdf_join::{FIRST, PAGES, PdfJoiner, err};
use crate::manifest::Digest;

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("无法从打印文件分部取出单页：{what}"))
}

/// A part PDF, parsed once, to cut pages from.
pub struct Part {
    doc: Document,
    pages: Vec<ObjectId>,
}

impl Part {
    pub fn parse(pdf: &[u8]) -> io::Result<Self> {
        let doc = Document::load_mem(pdf).map_err(err)?;
        let pages = doc.get_pages().into_values().collect();
        Ok(Self { doc, pages })
    }

    /// Pages `range` (from 0) as a PDF of their own; `ident` names the
    /// document in its trailer (`/ID`), as typst's export does.
    pub fn pages(&self, range: std::ops::Range<usize>, ident: &str) -> io::Result<Vec<u8>> {
        let index = range.start;
        let pages = self.pages.get(range).filter(|p| !p.is_empty()).ok_or_else(|| bad("页码超出范围"))?;
        // New ids after the page tree and the catalog: the pages and what
        // they refer to, in the order they are reached (the same part gives
        // the same file), then the information dictionary.
        let mut ids: BTreeMap<ObjectId, u32> = BTreeMap::new();
        let mut order: Vec<ObjectId> = Vec::new();
        let mut queue = VecDeque::from(pages.to_vec());
        for p in pages {
            ids.insert(*p, FIRST + ids.len() as u32);
        }
        while let Some(id) = queue.pop_front() {
            order.push(id);
            let object = self.doc.get_object(id).map_err(err)?;
            let mut refs = Vec::new();
            let page = pages.contains(&id);
            references(object, page, &mut refs);
            for r in refs {
                // Never another page of the part (a link's target, say).
                if !ids.contains_key(&r) && self.doc.objects.contains_key(&r) && !self.pages.contains(&r) {
                    ids.insert(r, FIRST + ids.len() as u32);
                    queue.push_back(r);
                }
            }
        }
        let mut out = PdfJoiner::new(Vec::new())?;
        for id in &order {
            let mut object = self.doc.get_object(*id).map_err(err)?.clone();
            renumber(&mut object, &ids);
            let page = pages.contains(id);
            if let Object::Dictionary(d) = &mut object
                && page
            {
                d.set("Parent", Object::Reference(PAGES));
            }
            out.object((ids[id], 0), &object, page)?;
        }
        let info = match self.doc.trailer.get(b"Info").and_then(Object::as_reference) {
            Ok(id) => self.doc.get_object(id).map_err(err)?.clone(),
            Err(_) => Object::Dictionary(Dictionary::new()),
        };
        if info.as_dict().map_err(err)?.iter().any(|(_, v)| matches!(v, Object::Reference(_))) {
            return Err(bad("文档信息含引用"));
        }
        let info_id = FIRST + ids.len() as u32;
        out.object((info_id, 0), &info, false)?;
        let id = Digest::default().update(ident.as_bytes()).hex();
        out.finish_with(self.catalog(index)?, &format!(" /Info {info_id} 0 R /ID [<{id}> <{id}>]"))
    }

    /// What the single's catalog has beside its page tree: the part's
    /// language and viewer preferences, and the label its page had there.
    fn catalog(&self, index: usize) -> io::Result<Dictionary> {
        let part = self.doc.catalog().map_err(err)?;
        let mut catalog = Dictionary::new();
        if let Some(label) = self.label(index)? {
            let mut labels = Dictionary::new();
            labels.set("Nums", Object::Array(vec![Object::Integer(0), Object::Dictionary(label)]));
            catalog.set("PageLabels", Object::Dictionary(labels));
        }
        for key in [b"Lang".as_slice(), b"ViewerPreferences"] {
            if let Ok(value) = part.get(key) {
                let value = self.doc.dereference(value).map_err(err)?.1.clone();
                if !matches!(value, Object::Dictionary(ref d) if d.iter().any(|(_, v)| matches!(v, Object::Reference(_))))
                {
                    catalog.set(key, value);
                }
            }
        }
        Ok(catalog)
    }

    /// The label page `index` has in the part (a flat number tree, as
    /// typst writes): the range it is in, started again at its number.
    fn label(&self, index: usize) -> io::Result<Option<Dictionary>> {
        let Ok(labels) = self.doc.catalog().map_err(err)?.get(b"PageLabels") else { return Ok(None) };
        let labels = self.doc.dereference(labels).map_err(err)?.1.as_dict().map_err(err)?;
        let nums = labels.get(b"Nums").and_then(Object::as_array).map_err(|_| bad("页码标签"))?;
        let mut found = None;
        for pair in nums.chunks(2) {
            let [Object::Integer(start), range] = pair else { return Err(bad("页码标签")) };
            if *start as usize > index {
                break;
            }
            found = Some((*start as usize, self.doc.dereference(range).map_err(err)?.1.as_dict().map_err(err)?));
        }
        Ok(found.map(|(start, range)| {
            let mut label = range.clone();
            let first = range.get(b"St").and_then(Object::as_i64).unwrap_or(1);
            label.set("St", Object::Integer(first + (index - start) as i64));
            label
        }))
    }
}

/// The ids `object` refers to, in order; a page's `/Parent` left out.
fn references(object: &Object, is_page: bool, out: &mut Vec<ObjectId>) {
    match object {
        Object::Reference(id) => out.push(*id),
        Object::Array(items) => items.iter().for_each(|o| references(o, false, out)),
        Object::Dictionary(d) => {
            for (key, value) in d.iter() {
                if !(is_page && key == b"Parent") {
                    references(value, false, out);
                }
            }
        }
        Object::Stream(s) => s.dict.iter().for_each(|(_, v)| references(v, false, out)),
        _ => {}
    }
}

/// Point every reference in `object` at its new id (one left out, to
/// another page, becomes null).
fn renumber(object: &mut Object, ids: &BTreeMap<ObjectId, u32>) {
    match object {
        Object::Reference(id) => {
            *object = match ids.get(id) {
                Some(&new) => Object::Reference((new, 0)),
                None => Object::Null,
            }
        }
        Object::Array(items) => items.iter_mut().for_each(|o| renumber(o, ids)),
        Object::Dictionary(d) => d.iter_mut().for_each(|(_, v)| renumber(v, ids)),
        Object::Stream(s) => s.dict.iter_mut().for_each(|(_, v)| renumber(v, ids)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use lopdf::{Stream, dictionary};

    use super::*;

    /// A part of three pages sharing one font, labelled 1, 2 (one range
    /// from page 0) and 4 (a range of its own).
    fn part() -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+Serif" });
        let mut kids = Vec::new();
        for n in 0..3 {
            let content =
                doc.add_object(Stream::new(dictionary! {}, format!("BT /F1 12 Tf (page {n}) Tj ET").into_bytes()));
            let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
            let page = doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            });
            kids.push(page.into());
        }
        let tree = dictionary! { "Type" => "Pages", "Count" => 3, "Kids" => kids };
        doc.objects.insert(pages_id, Object::Dictionary(tree));
        let label = |st: i64| Object::Dictionary(dictionary! { "Type" => "PageLabel", "S" => "D", "St" => st });
        let catalog = doc.add_object(dictionary! {
            "Type" => "Catalog", "Pages" => pages_id, "Lang" => Object::string_literal("zh-CN"),
            "PageLabels" => dictionary! { "Nums" => vec![0.into(), label(1), 2.into(), label(4)] },
        });
        let info = doc.add_object(dictionary! { "Creator" => Object::string_literal("Typst") });
        doc.trailer.set("Root", catalog);
        doc.trailer.set("Info", info);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn a_page_comes_out_whole_with_what_it_refers_to_and_nothing_else() {
        let part = Part::parse(&part()).unwrap();
        let one = part.pages(1..1 + 1, "info-card-b1-004").unwrap();
        let doc = Document::load_mem(&one).unwrap();
        let pages = doc.get_pages();
        assert_eq!(pages.len(), 1);
        let page = doc.get_dictionary(pages[&1]).unwrap();
        let content = doc.get_object(page.get(b"Contents").unwrap().as_reference().unwrap()).unwrap();
        assert_eq!(content.as_stream().unwrap().content, b"BT /F1 12 Tf (page 1) Tj ET");
        // The font it uses, and not the other pages' contents.
        let text: Vec<&[u8]> =
            doc.objects.values().filter_map(|o| o.as_stream().ok()).map(|s| &s.content[..]).collect();
        assert_eq!(text.len(), 1, "only its own content stream");
        assert!(doc.objects.values().any(|o| o.as_dict().is_ok_and(|d| d.get(b"BaseFont").is_ok())));
        let catalog = doc.catalog().unwrap();
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"zh-CN");
        let info = doc.get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap()).unwrap();
        assert_eq!(info.get(b"Creator").unwrap().as_str().unwrap(), b"Typst");
        // The same page cut again is the same file; another ident, another id.
        assert_eq!(part.pages(1..1 + 1, "info-card-b1-004").unwrap(), one);
        assert_ne!(part.pages(1..1 + 1, "info-card-b1-007").unwrap(), one);
    }

    #[test]
    fn a_page_keeps_the_label_it_had_in_its_part() {
        let part = Part::parse(&part()).unwrap();
        let label_of = |index: usize| {
            let doc = Document::load_mem(&part.pages(index..index + 1, "x").unwrap()).unwrap();
            let labels = doc.catalog().unwrap().get(b"PageLabels").unwrap().as_dict().unwrap().clone();
            let nums = labels.get(b"Nums").unwrap().as_array().unwrap().clone();
            assert_eq!(nums[0].as_i64().unwrap(), 0);
            nums[1].as_dict().unwrap().get(b"St").unwrap().as_i64().unwrap()
        };
        assert_eq!(label_of(0), 1);
        assert_eq!(label_of(1), 2, "the second page of its range");
        assert_eq!(label_of(2), 4);
    }

    #[test]
    fn a_record_of_two_pages_comes_out_with_both_in_order() {
        let part = Part::parse(&part()).unwrap();
        let two = Document::load_mem(&part.pages(1..3, "x").unwrap()).unwrap();
        let pages = two.get_pages();
        assert_eq!(pages.len(), 2);
        let content = |n: u32| {
            let page = two.get_dictionary(pages[&n]).unwrap();
            two.get_object(page.get(b"Contents").unwrap().as_reference().unwrap())
                .unwrap()
                .as_stream()
                .unwrap()
                .content
                .clone()
        };
        assert_eq!(content(1), b"BT /F1 12 Tf (page 1) Tj ET");
        assert_eq!(content(2), b"BT /F1 12 Tf (page 2) Tj ET");
        assert!(part.pages(2..2, "x").is_err(), "no pages is no document");
    }

    #[test]
    fn a_page_beyond_the_part_is_an_error() {
        let part = Part::parse(&part()).unwrap();
        let e = part.pages(3..3 + 1, "x").unwrap_err();
        assert!(e.to_string().contains("页码超出范围"), "{e}");
    }
}
