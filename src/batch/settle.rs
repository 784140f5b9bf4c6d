//! From the plain outputs of documents/ and register/ to what a run
//! renders and writes: each output's inputs digested from what it reads,
//! and its view made only when out/ does not hold it made from the same
//! inputs (see [`Known`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Known, OtherFile, Planned};
use crate::deflated::{Deflated, Deflating};
use crate::outputs::{Output, Page, Reads, Shape};

/// What a single cut from a part is made from: its own inputs and its
/// part's, since its bytes hold the part's font subsets (see
/// `render::pdf_cut`). A change to another member of the part makes the
/// single again.
pub fn cut_inputs(part: &str, item: &str) -> String {
    crate::manifest::digest_all([part, item])
}

/// What a print-file part reads, and whether out/ holds it and every
/// single cut from it made from the same.
struct PartInputs {
    /// Each item's inputs, and the part's.
    items: Vec<String>,
    part: String,
    /// The view digests out/ holds: the part's, and each single's by path.
    known: Option<(String, HashMap<PathBuf, String>)>,
}

/// The documents to render of `outputs`, in order: a document `known`
/// holds made from the same inputs without its view (a part, only when
/// every single cut from it is held too); the others with their views
/// made now, and their inputs, when known, recorded. With no `known`
/// (a command whose documents read the whole office), every view is made.
pub fn documents(outputs: Vec<Output>, known: Option<&Known>) -> Vec<Planned> {
    let parts = part_inputs(&outputs, known);
    let mut tally = Tally::default();
    let planned = outputs
        .into_iter()
        .map(|o| {
            let p = document(o, known, &parts);
            if p.item_of.is_none() {
                tally.count(p.kind.template.trim_end_matches(".typ"), p.known.is_none());
            }
            p
        })
        .collect();
    tally.say("built");
    planned
}

/// How many of each sort of output were made, of how many, said with
/// `TUIGUAN_TIMINGS` ("info-card: 1 of 16 built"): the figures tests and
/// benchmarks read to see that a run made only what changed.
#[derive(Default)]
struct Tally(Vec<(String, usize, usize)>);

impl Tally {
    fn count(&mut self, sort: &str, made: bool) {
        let at = match self.0.iter().position(|(s, ..)| s == sort) {
            Some(at) => at,
            None => {
                self.0.push((sort.to_string(), 0, 0));
                self.0.len() - 1
            }
        };
        self.0[at].1 += usize::from(made);
        self.0[at].2 += 1;
    }

    fn say(&self, what: &str) {
        for (sort, made, total) in &self.0 {
            crate::timing::mark(&format!("{sort}: {made} of {total} {what}"));
        }
    }
}

/// The inputs of every part whose items each read their own member, and
/// what out/ holds of them and of their singles.
fn part_inputs(outputs: &[Output], known: Option<&Known>) -> HashMap<PathBuf, PartInputs> {
    let Some(known) = known else { return HashMap::new() };
    let mut singles: HashMap<&Path, Vec<(usize, &Path)>> = HashMap::new();
    for o in outputs {
        if let Shape::Item { part, at } = &o.shape {
            singles.entry(part.as_path()).or_default().push((*at, o.path.as_path()));
        }
    }
    let mut parts = HashMap::new();
    for o in outputs {
        let (Shape::Part { .. }, Reads::Members(members, extra)) = (&o.shape, &o.reads) else { continue };
        let Some((items, part)) = known.inputs_of_all(members.iter().copied(), extra) else { continue };
        let path = o.path.to_string_lossy();
        let known = known.document(&path, &part, true).and_then(|view| {
            let of_singles = singles.get(o.path.as_path()).map_or(&[][..], Vec::as_slice);
            let held = of_singles.iter().map(|(at, single)| {
                let view = known.document(&single.to_string_lossy(), &cut_inputs(&part, &items[*at]), false)?;
                Some((single.to_path_buf(), view))
            });
            Some((view, held.collect::<Option<HashMap<_, _>>>()?))
        });
        parts.insert(o.path.clone(), PartInputs { items, part, known });
    }
    parts
}

/// One output as batch renders it.
fn document(o: Output, known: Option<&Known>, parts: &HashMap<PathBuf, PartInputs>) -> Planned {
    let Output { kind, path, ident, source, one_page, shape, reads, view, sequel, counts_pages } = o;
    let (inputs, held) = match (&shape, &reads, known) {
        (Shape::Item { part, at }, ..) => match parts.get(part) {
            Some(p) => {
                let inputs = cut_inputs(&p.part, &p.items[*at]);
                (Some(inputs), p.known.as_ref().and_then(|(_, singles)| singles.get(&path).cloned()))
            }
            None => (None, None),
        },
        (Shape::Part { .. }, Reads::Members(..), _) => match parts.get(&path) {
            Some(p) => (Some(p.part.clone()), p.known.as_ref().map(|(view, _)| view.clone())),
            None => (None, None),
        },
        (_, Reads::Member(m), Some(known)) => {
            let inputs = known.inputs_of(m);
            let held = inputs.as_deref().and_then(|i| known.document(&path.to_string_lossy(), i, false));
            (inputs, held)
        }
        (_, Reads::Members(members, extra), Some(known)) => {
            let inputs = known.inputs_of_all(members.iter().copied(), extra).map(|(_, all)| all);
            let part = matches!(shape, Shape::Part { .. });
            let held = inputs.as_deref().and_then(|i| known.document(&path.to_string_lossy(), i, part));
            (inputs, held)
        }
        _ => (None, None),
    };
    let mut p = match (held, &shape, view) {
        (Some(held), ..) => Planned::known(kind, path, inputs.clone().unwrap_or_default(), held),
        (None, Shape::Item { part, at }, _) => Planned::item(kind, path, ident, part, *at),
        (None, _, Some(view)) => {
            let mut p = Planned::new(kind, path, ident, &view());
            p.job.sequel = sequel.into_iter().map(|v| Deflated::new(&v())).collect();
            p.job.count_pages = counts_pages;
            p
        }
        (None, _, None) => unreachable!("only an item has no view"),
    };
    match shape {
        Shape::Single => p.one_page = one_page,
        Shape::Part { file, index, items } => p = p.as_part(&file, index, items),
        Shape::Item { part, at } => p.item_of = Some((part, at)),
    }
    p.source = source;
    p.inputs = inputs;
    p
}

/// The files of `pages`, each made now unless `known` holds it made from
/// the same inputs. Err: a page could not be made (what went wrong).
pub fn pages(pages: Vec<Page>, known: Option<&Known>) -> Result<Vec<OtherFile>, String> {
    let mut tally = Tally::default();
    let mut files = Vec::with_capacity(pages.len());
    for Page { path, reads, make } in pages {
        let inputs = match (&reads, known) {
            (Reads::Member(m), Some(known)) => known.inputs_of(m),
            (Reads::Members(members, extra), Some(known)) => {
                known.inputs_of_all(members.iter().copied(), extra).map(|(_, all)| all)
            }
            _ => None,
        };
        let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        if let Some(kept) = inputs.as_deref().zip(known).and_then(|(i, known)| known.kept(&path, i)) {
            tally.count(folder, false);
            files.push(kept);
            continue;
        }
        tally.count(folder, true);
        let mut bytes = Deflating::default();
        make(&mut bytes)?;
        files.push(match inputs {
            Some(inputs) => OtherFile::made_from(path, &inputs, bytes.finish()),
            None => OtherFile::held(path, bytes.finish()),
        });
    }
    tally.say("made");
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::DocumentKind;
    use crate::outputs::json;

    const FORM: DocumentKind = DocumentKind {
        template: "departure-form.typ",
        zh: "登记表",
        folder: "departures",
        one_page: true,
        example: None,
    };
    const CARD: DocumentKind = DocumentKind {
        template: "info-card.typ",
        zh: "个人信息卡",
        folder: "info-cards",
        one_page: false,
        example: None,
    };

    /// A print file's part with a single cut from its second item, and a
    /// one-page form.
    fn outputs<'f>(made: &'f std::cell::Cell<usize>) -> Vec<Output<'f>> {
        let part = ".print-parts/info-cards/b1/0001.pdf";
        let count = move || {
            made.set(made.get() + 1);
            br#"{"cards":[1,2]}"#.to_vec()
        };
        let member = Box::leak(Box::new(crate::rules::testing::member("1948-03-02", "")));
        vec![
            Output::item(&CARD, "info-cards/b1-002.pdf", "card-b1-002", member, part, 1),
            Output::new(&CARD, part, "cards-0001", Box::new(count)).as_part("info-cards", 0, 2),
            Output::new(&FORM, "departures/d1.pdf", "d1", json(&serde_json::json!({ "name": "张三" }))),
        ]
    }

    #[test]
    fn with_nothing_known_every_view_is_made_and_each_output_keeps_its_place() {
        let made = std::cell::Cell::new(0);
        let planned = documents(outputs(&made), None);
        assert_eq!(made.get(), 1, "the part's view is made once");
        let [single, part, form] = &planned[..] else { panic!("three outputs") };
        assert_eq!(single.item_of, Some((".print-parts/info-cards/b1/0001.pdf".into(), 1)));
        assert!(single.job.data.is_empty(), "a single cut from its part has no view of its own");
        assert_eq!(part.join, Some(("info-cards.pdf".into(), 0)));
        assert_eq!(part.job.part.as_ref().map(|p| p.items), Some(2));
        assert_eq!(part.job.data.inflate().unwrap(), br#"{"cards":[1,2]}"#);
        assert_eq!(part.one_page, None, "a part has a page per item");
        assert_eq!(form.one_page, Some("登记表"));
        assert_eq!(form.job.data.inflate().unwrap(), r#"{"name":"张三"}"#.as_bytes());
        assert!(planned.iter().all(|p| p.inputs.is_none() && p.known.is_none()), "nothing is known to be unchanged");
    }

    #[test]
    fn a_page_is_written_when_made_and_its_digest_recorded() {
        let pages = vec![
            Page::bytes("register/assets/a.css", b"body{}".to_vec()),
            Page::new("register/index.html", Box::new(|w| w.write_all(b"<p>").map_err(|e| e.to_string()))),
        ];
        let files = super::pages(pages, None).unwrap();
        assert_eq!(
            files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
            ["register/assets/a.css", "register/index.html"]
        );
        let bytes = files[1].bytes.as_ref().unwrap();
        assert_eq!(bytes.inflate().unwrap(), b"<p>");
        assert_eq!(files[1].entry, crate::manifest::entry("file", bytes.digest()));
        let failing = vec![Page::new("register/x.html", Box::new(|_| Err("模板出错".to_string())))];
        assert_eq!(super::pages(failing, None).err().as_deref(), Some("模板出错"));
    }
}
