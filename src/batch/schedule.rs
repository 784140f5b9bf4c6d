//! What to render: each planned output that is not carried over, and the
//! typst job that makes it. A single document that is also an item of a
//! print-file part (an information card, a letter) is exported from its
//! part's layout, so a stale single renders its part again.

use super::Planned;
use std::collections::BTreeMap;
use std::path::Path;

use super::todo::ToWrite;
use crate::render::typst::{Job, Single};

pub struct Schedule {
    /// Each output to write.
    pub todo: Vec<ToWrite>,
    /// The jobs (owned, so each one's data is freed once it is rendered).
    pub jobs: Vec<Job>,
    /// Per job: its own todo entry, and those of the singles cut from it.
    pub job_todo: Vec<(usize, Vec<usize>)>,
    /// Outputs carried over that the user sees (print-file parts are
    /// counted through their print file).
    pub skipped: usize,
}

/// Per output, if it is a single cut from a print-file part: that part's
/// index among `outputs`, and the single's item there.
pub fn cuts(outputs: &[Planned]) -> Vec<Option<(usize, usize)>> {
    let part_at: BTreeMap<&Path, usize> =
        outputs.iter().enumerate().filter(|(_, p)| p.join.is_some()).map(|(i, p)| (p.path.as_path(), i)).collect();
    outputs
        .iter()
        .map(|p| p.item_of.as_ref().and_then(|(part, item)| Some((*part_at.get(part.as_path())?, *item))))
        .collect()
}

/// Schedule `outputs` (with their manifest paths and input digests, and
/// their [`cuts`]) of which `stale` ones must be made again.
pub fn schedule(
    outputs: Vec<Planned>,
    planned: Vec<(String, String)>,
    stale: &[bool],
    cuts: Vec<Option<(usize, usize)>>,
) -> Schedule {
    // A stale single needs its part laid out again.
    let mut renew = stale.to_vec();
    for (cut, stale) in cuts.iter().zip(stale) {
        if let (Some((at, _)), true) = (cut, stale) {
            renew[*at] = true;
        }
    }
    let mut s = Schedule { todo: Vec::new(), jobs: Vec::new(), job_todo: Vec::new(), skipped: 0 };
    // Singles to cut, by their part: (todo entry, item, ident).
    let mut singles: BTreeMap<usize, Vec<(usize, usize, String)>> = BTreeMap::new();
    let mut job_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, (p, (path, digest))) in outputs.into_iter().zip(planned).enumerate() {
        if !renew[i] {
            s.skipped += usize::from(p.join.is_none());
            continue;
        }
        s.todo.push(ToWrite {
            path,
            digest,
            source: p.source,
            one_page: p.one_page,
            kind: p.kind.zh,
            part: p.join.is_some(),
        });
        match cuts[i] {
            Some((at, item)) => singles.entry(at).or_default().push((s.todo.len() - 1, item, p.job.ident)),
            None => {
                job_of.insert(i, s.jobs.len());
                s.jobs.push(p.job);
                s.job_todo.push((s.todo.len() - 1, Vec::new()));
            }
        }
    }
    for (at, list) in singles {
        let j = job_of[&at];
        let part = s.jobs[j].part.as_mut().expect("a print-file part");
        for (t, item, ident) in list {
            part.singles.push(Single { item, ident });
            s.job_todo[j].1.push(t);
        }
    }
    // The largest documents last (a long filing report, letter parts): by
    // then the views of the rest are rendered and freed, so the peak is one
    // large layout on top of little else.
    let mut order: Vec<(Job, (usize, Vec<usize>))> = s.jobs.into_iter().zip(s.job_todo).collect();
    order.sort_by_key(|(job, _)| job.size());
    (s.jobs, s.job_todo) = order.into_iter().unzip();
    s
}
