//! The last stages of writing a plan: join the print files whose parts
//! changed, then commit — the manifest written and the staging folder
//! moved in for out/ — and say what was done.

use std::path::Path;

use super::digests::Digests;
use crate::error::Error;
use crate::manifest::{self, Manifest};
use crate::output::{CommitError, Staging};

/// Join each print file whose parts' digests changed (or that out/ lacks)
/// from its parts as written, and record it; how many were joined, and
/// the problems met.
pub fn join(d: &Digests, old: &Manifest, staging: &Staging, manifest: &mut Manifest) -> (usize, Vec<String>) {
    let (mut joined, mut problems) = (0, Vec::new());
    for (target, parts) in &d.joins {
        let digest = &d.join_digests[target];
        if old.input(target) == Some(digest.as_str()) && staging.has(target) {
            continue;
        }
        let parts: Vec<(String, String)> = parts
            .iter()
            .map(|(_, p, _)| {
                let content = manifest.entry(p).map_or("", |e| e.content);
                (p.clone(), content.to_string())
            })
            .collect();
        if let Err(e) = staging.join(target, &parts) {
            problems.push(format!("错误: 无法合并 {target}：{e}"));
        }
        manifest.0.insert(target.clone(), digest.to_string());
        joined += 1;
    }
    (joined, problems)
}

/// Write the manifest (owners kept only for what out/ will hold) and move
/// the staging folder's work in for out/.
pub fn commit(staging: Staging, mut manifest: Manifest, out: &Path) -> Result<(), Error> {
    let out = out.display();
    let entries = &manifest.0;
    manifest.2.retain(|p, _| entries.contains_key(p));
    if let Err(e) = staging.write(Path::new(manifest::FILE), manifest.to_text().as_bytes()) {
        return Err(Error::Failed(format!("无法写入生成记录：{e}；{out} 保持原样。")));
    }
    match staging.commit() {
        Err(CommitError::Untouched(e)) => Err(Error::Failed(format!("无法把结果移入 {out}：{e}；{out} 保持原样。"))),
        Err(e) => Err(Error::Failed(format!("无法把结果移入 {out}：{e}"))),
        Ok(()) => Ok(()),
    }
}

/// What a run did, in one line: "完成：写入 3 份，跳过 205 份未改动，……".
pub struct Summary {
    pub written: usize,
    pub skipped: usize,
    /// Files removed that the clerk sees (parts, kept out of sight, are not).
    pub removed: usize,
    pub seconds: f64,
    pub rendered: usize,
}

impl Summary {
    pub fn line(&self, out: &Path) -> String {
        let mut line = format!("完成：写入 {} 份，跳过 {} 份未改动", self.written, self.skipped);
        if self.removed > 0 {
            line.push_str(&format!("，删除 {} 份过时文件（见上）", self.removed));
        }
        line.push_str(&format!("，用时 {:.1} 秒", self.seconds));
        if self.rendered > 0 {
            line.push_str(&format!("（每秒渲染 {:.0} 份）", self.rendered as f64 / self.seconds.max(0.001)));
        }
        line.push_str(&format!(" → {}", out.display()));
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn the_summary_says_what_was_written_skipped_and_removed() {
        let s = Summary { written: 3, skipped: 205, removed: 0, seconds: 2.0, rendered: 4 };
        assert_eq!(s.line(Path::new("out")), "完成：写入 3 份，跳过 205 份未改动，用时 2.0 秒（每秒渲染 2 份） → out");
        let s = Summary { written: 0, skipped: 1, removed: 2, seconds: 0.5, rendered: 0 };
        assert_eq!(
            s.line(Path::new("out")),
            "完成：写入 0 份，跳过 1 份未改动，删除 2 份过时文件（见上），用时 0.5 秒 → out"
        );
    }

    #[test]
    fn a_print_file_is_joined_only_when_its_parts_changed_and_a_missing_part_is_a_problem() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&tmp.path().join("out"), None).unwrap();
        let d = Digests {
            planned: Vec::new(),
            recorded: Vec::new(),
            cuts: Vec::new(),
            joins: BTreeMap::from([(
                "cards.pdf".to_string(),
                vec![(0, ".print-parts/c/0001.pdf".to_string(), "p".into())],
            )]),
            join_digests: BTreeMap::from([("cards.pdf".to_string(), "j".to_string())]),
        };
        // Its part was never written: joining it fails, and says which.
        let mut manifest = Manifest::default();
        let (joined, problems) = join(&d, &Manifest::default(), &staging, &mut manifest);
        assert_eq!(joined, 1);
        assert!(problems[0].contains("无法合并 cards.pdf"), "{problems:?}");
        // out/ holds it joined from the same parts: left as it is.
        staging.write(Path::new("cards.pdf"), b"%PDF").unwrap();
        let old = Manifest(BTreeMap::from([("cards.pdf".to_string(), "j".to_string())]), None, Default::default());
        assert_eq!(join(&d, &old, &staging, &mut manifest), (0, Vec::new()));
    }
}
