//! Stage one of writing a plan: what each planned output is made from, as
//! a digest the manifest compares with the last run's. A document's digest
//! covers this build of tuiguan, the templates it reads (its own and the
//! shared ones in lib/), the fonts, its ident and its view; a single cut
//! from a print-file part, the part's digest and its place there; a print
//! file, its parts' digests in order.

use std::collections::BTreeMap;
use std::path::Path;

use super::Planned;
use super::schedule;
use crate::manifest::{Digest, digest_all};

pub struct Digests {
    /// Per output, in the plan's order: its path in out/ and its digest.
    pub planned: Vec<(String, String)>,
    /// Per output: what the manifest records — its digest and, when known
    /// before its view was built, `+` the digest of its inputs.
    pub recorded: Vec<String>,
    /// Per output: the part it is cut from and its item there (see [`schedule::cuts`]).
    pub cuts: Vec<Option<(usize, usize)>>,
    /// Print files joined from parts: target → (place, part path, part digest), in order.
    pub joins: BTreeMap<String, Vec<(usize, String, String)>>,
    /// Each print file's digest.
    pub join_digests: BTreeMap<String, String>,
}

/// A path in out/ as the manifest writes it: relative, with `/`.
pub fn rel(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// The digests of `outputs`, each document's from `shared` (what every
/// document reads) and `template(name)` (the digest of its own template).
pub fn of(outputs: &[Planned], shared: &str, template: impl Fn(&str) -> String) -> Digests {
    let mut per_template: BTreeMap<&str, String> = BTreeMap::new();
    for p in outputs {
        per_template
            .entry(p.job.template.as_str())
            .or_insert_with(|| format!("{shared}:{}", template(&p.job.template)));
    }
    // A view known without being built (see `Known`) brings its digest.
    let mut planned: Vec<(String, String)> = outputs
        .iter()
        .map(|p| {
            let digest = p.known.clone().unwrap_or_else(|| view_digest(p, &per_template[p.job.template.as_str()]));
            (rel(&p.path), digest)
        })
        .collect();
    // A single cut from a part is its page of the part's PDF: what its
    // part, its place there and its ident make (a known view's digest
    // already says so).
    let cuts = schedule::cuts(outputs);
    for (i, (p, cut)) in outputs.iter().zip(&cuts).enumerate() {
        if let (None, Some((at, item))) = (&p.known, cut) {
            let item = item.to_string();
            planned[i].1 = digest_all([planned[*at].1.as_str(), p.job.ident.as_str(), item.as_str()]);
        }
    }
    let recorded = outputs
        .iter()
        .zip(&planned)
        .map(|(p, (_, view))| crate::manifest::made_of(view, p.inputs.as_deref()))
        .collect();
    let mut joins: BTreeMap<String, Vec<(usize, String, String)>> = BTreeMap::new();
    for (p, (path, digest)) in outputs.iter().zip(&planned) {
        if let Some((target, index)) = &p.join {
            joins.entry(target.clone()).or_default().push((*index, path.clone(), digest.clone()));
        }
    }
    let join_digests = joins
        .iter_mut()
        .map(|(target, parts)| {
            parts.sort();
            let mut d = Digest::default();
            for (_, _, digest) in parts.iter() {
                d.update(digest.as_bytes());
            }
            (target.clone(), d.hex())
        })
        .collect();
    Digests { planned, recorded, cuts, joins, join_digests }
}

/// The digest of a document rendered from its view: the build, what its
/// template reads (`assets`), its ident, its view and any sequel parts.
fn view_digest(p: &Planned, assets: &str) -> String {
    let mut d = Digest::default();
    d.update(crate::assets::BUILD.as_bytes()).update(assets.as_bytes());
    d.update(p.job.template.as_bytes()).update(p.job.ident.as_bytes()).update(&p.job.data.digest().to_le_bytes());
    for part in &p.job.sequel {
        d.update(&part.digest().to_le_bytes());
    }
    d.hex()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::DocumentKind;

    const KIND: DocumentKind = DocumentKind {
        template: "info-card.typ",
        zh: "个人信息卡",
        folder: "info-cards",
        one_page: false,
        example: None,
    };
    const LIST: DocumentKind =
        DocumentKind { template: "branch-list.typ", zh: "名单", folder: "lists", one_page: false, example: None };

    /// A print file of two parts (two items each) with a single cut from
    /// each item, and a list of its own.
    fn plan(name: &str) -> Vec<Planned> {
        let mut v = Vec::new();
        for part in 0..2 {
            let path = format!(".print-parts/cards/{:04}.pdf", part + 1);
            for at in 0..2 {
                v.push(Planned::item(&KIND, format!("cards/{part}-{at}.pdf"), format!("{part}-{at}"), &path, at));
            }
            let view = serde_json::json!({ "names": [format!("{name}{part}"), "李四"] });
            v.push(Planned::new(&KIND, &path, format!("part{part}"), view.to_string().as_bytes()).as_part(
                "cards.pdf",
                part,
                2,
            ));
        }
        v.push(Planned::new(&LIST, "lists/a.pdf", "a", br#"{"rows":[]}"#));
        v
    }

    fn digests(name: &str, template_of_list: &str) -> Digests {
        of(&plan(name), "lib+fonts", |t| if t == "branch-list.typ" { template_of_list.into() } else { "card".into() })
    }

    #[test]
    fn the_same_plan_has_the_same_digests_and_a_changed_view_changes_its_part_its_cuts_and_the_print_file() {
        let (a, b) = (digests("张三", "list"), digests("张三", "list"));
        assert_eq!(a.planned, b.planned);
        let c = digests("王五", "list");
        let changed: Vec<&str> =
            a.planned.iter().zip(&c.planned).filter(|(x, y)| x.1 != y.1).map(|(x, _)| x.0.as_str()).collect();
        // Both parts' views name the changed member: every part and cut, not the list.
        assert_eq!(changed.len(), 6, "{changed:?}");
        assert!(!changed.contains(&"lists/a.pdf"));
        assert_ne!(a.join_digests["cards.pdf"], c.join_digests["cards.pdf"]);
    }

    #[test]
    fn a_template_changes_the_documents_it_lays_out_and_no_other() {
        let (a, b) = (digests("张三", "list"), digests("张三", "list v2"));
        for ((path, x), (_, y)) in a.planned.iter().zip(&b.planned) {
            assert_eq!(x != y, path == "lists/a.pdf", "{path}");
        }
    }

    #[test]
    fn a_cut_follows_its_part_and_its_place_and_print_files_list_their_parts_in_order() {
        let d = digests("张三", "list");
        assert_eq!(d.cuts[0], Some((2, 0)));
        assert_eq!(d.cuts[1], Some((2, 1)));
        assert_eq!(d.planned[0].1, digest_all([d.planned[2].1.as_str(), "0-0", "0"]));
        assert_ne!(d.planned[0].1, d.planned[1].1, "two items of one part");
        let parts: Vec<&str> = d.joins["cards.pdf"].iter().map(|(_, p, _)| p.as_str()).collect();
        assert_eq!(parts, [".print-parts/cards/0001.pdf", ".print-parts/cards/0002.pdf"]);
        assert_eq!(d.joins.len(), 1);
    }

    #[test]
    fn inputs_known_before_the_view_are_recorded_beside_its_digest() {
        let mut outputs = plan("张三");
        outputs[4].inputs = Some("abc".into());
        let d = of(&outputs, "s", |_| "t".into());
        assert_eq!(d.recorded[4], format!("{}+abc", d.planned[4].1));
        assert_eq!(d.recorded[5], d.planned[5].1);
        // A view known unchanged is planned by the digest it brings.
        let mut outputs = plan("张三");
        outputs[6].known = Some("known".into());
        assert_eq!(of(&outputs, "s", |_| "t".into()).planned[6].1, "known");
    }
}
