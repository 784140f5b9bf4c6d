//! 公文 on the GB/T 9704-2012 grid (docs/domain.md §3): the body is set 28
//! characters a line, each paragraph indented two, and the lines are broken
//! here — where the rules of Chinese line breaking say — so that the template
//! only lays each line out justified across the type area. A line never
//! starts with closing punctuation nor ends with an opening bracket (the
//! character before is carried down instead: nothing hangs into the margin),
//! and a number stays whole with the unit after it ("26日", "7人").

use serde::Serialize;

/// Characters in a line of the type area (156 mm / 28 = one 3号 character).
pub const LINE_CELLS: usize = 28;

/// A paragraph broken into the lines it prints as, each line the pieces
/// that the template spreads evenly across it (all but the last line);
/// `indent` is the first line's indent in characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GridParagraph {
    pub indent: usize,
    pub lines: Vec<Vec<String>>,
}

impl GridParagraph {
    /// Each line's text.
    pub fn texts(&self) -> Vec<String> {
        self.lines.iter().map(|l| l.concat()).collect()
    }
}

const CLOSING: &str = "，。、；：？！）》」』】〕〉”’…%·—";
const OPENING: &str = "（《「『【〔〈“‘";
/// What follows a number and belongs with it.
const UNITS: &str = "年月日号时人次项张天岁个份名位";

/// Width in half characters: ASCII letters and digits take half a cell,
/// everything else (Chinese and full-width punctuation) a whole one.
fn half_cells(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Cut a paragraph into tokens that must not be broken inside.
fn tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        if chars[i].is_ascii_alphanumeric() {
            // A number and its unit; a date goes on whole ("2026年11月26日").
            loop {
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                    i += 1;
                }
                if i < chars.len() && UNITS.contains(chars[i]) {
                    i += 1;
                }
                let date_goes_on = matches!(chars[i - 1], '年' | '月')
                    && chars.get(i).is_some_and(|c| c.is_ascii_digit())
                    && chars[i..].iter().find(|c| !c.is_ascii_digit()).is_some_and(|c| matches!(c, '月' | '日'));
                if !date_goes_on {
                    break;
                }
            }
        } else {
            i += 1;
        }
        out.push(chars[start..i].iter().collect());
    }
    out
}

fn starts_closing(t: &str) -> bool {
    t.chars().next().is_some_and(|c| CLOSING.contains(c))
}

fn ends_opening(t: &str) -> bool {
    t.chars().last().is_some_and(|c| OPENING.contains(c))
}

/// Break `text` into lines of `cells` characters, the first `indent`
/// characters shorter.
pub fn paragraph(text: &str, indent: usize, cells: usize) -> GridParagraph {
    let tokens = tokens(text);
    let mut lines: Vec<Vec<String>> = vec![Vec::new()];
    let mut room = 2 * (cells - indent);
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let w = half_cells(t);
        let line = lines.last_mut().expect("one line at least");
        if w <= room || line.is_empty() {
            line.push(t.clone());
            room = room.saturating_sub(w);
            i += 1;
            continue;
        }
        // The line is full. Carry tokens down while the next line would
        // start with closing punctuation or this one ends with an opening
        // bracket — but never empty the line.
        let mut carried = Vec::new();
        while line.len() > 1 {
            let next = carried.last().unwrap_or(t);
            let last = line.last().expect("not empty");
            if starts_closing(next) || ends_opening(last) {
                carried.push(line.pop().expect("not empty"));
            } else {
                break;
            }
        }
        carried.reverse();
        room = 2 * cells - carried.iter().map(|t| half_cells(t)).sum::<usize>();
        lines.push(carried);
    }
    lines.retain(|l| !l.is_empty());
    // No lone character on a paragraph's last line ("次。"): one more comes
    // down with it, and any closing mark it would start the line with, and
    // an opening bracket it would leave at the end of the line above.
    let n = lines.len();
    if n > 1 && lines[n - 1].iter().filter(|t| !starts_closing(t)).map(|t| t.chars().count()).sum::<usize>() < 2 {
        let (head, tail) = lines.split_at_mut(n - 1);
        let prev = &mut head[n - 2];
        while prev.len() > 1 {
            let t = prev.pop().expect("not empty");
            let closing = starts_closing(&t);
            tail[0].insert(0, t);
            let stranded = prev.last().is_some_and(|l| ends_opening(l));
            if !closing && !stranded {
                break;
            }
        }
    }
    GridParagraph { indent, lines }
}

/// A body paragraph: indented two characters.
pub fn body(text: &str) -> GridParagraph {
    paragraph(text, 2, LINE_CELLS)
}

/// A line flush left (the main recipient), wrapped lines flush left too.
pub fn flush(text: &str) -> GridParagraph {
    paragraph(text, 0, LINE_CELLS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(p: &GridParagraph) -> Vec<usize> {
        p.texts().iter().map(|l| half_cells(l)).collect()
    }

    #[test]
    fn full_lines_hold_28_characters_and_the_first_26() {
        let text = "根".repeat(80);
        let p = body(&text);
        assert_eq!(widths(&p), vec![52, 56, 52]);
        assert_eq!(p.texts().concat(), text);
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        // 26 characters fill the first line; the "。" would start the next.
        let text = format!("{}。后面还有字。", "字".repeat(26));
        let p = body(&text);
        assert!(p.texts().iter().all(|l| !starts_closing(l)), "{p:?}");
        assert_eq!(p.texts()[0].chars().count(), 25, "the last character is carried down with the stop");
        assert!(p.texts()[1].starts_with("字。"));
        // Two closing marks in a row are carried together.
        let p = body(&format!("{}”。后", "字".repeat(26)));
        assert!(p.texts()[1].starts_with("字”。"), "{p:?}");
    }

    #[test]
    fn no_line_ends_with_an_opening_bracket() {
        let p = body(&format!("{}（不发卡）", "字".repeat(25)));
        assert!(p.texts().iter().all(|l| !ends_opening(l)), "{p:?}");
        assert!(p.texts()[1].starts_with("（"));
    }

    #[test]
    fn numbers_stay_whole_with_their_unit() {
        let p = body(&format!("{}截至2026年11月26日", "字".repeat(20)));
        assert!(p.texts().iter().all(|l| !l.starts_with('日') && !l.ends_with('2')), "{p:?}");
        // A date is one piece: 20 + 2 = 22 of the first line's 26 cells,
        // "2026年11月26日" (7) does not fit and goes down whole.
        assert_eq!(p.texts()[0], format!("{}截至", "字".repeat(20)));
        assert_eq!(p.texts()[1], "2026年11月26日");
        // Numbers keep their unit: "3人" never breaks.
        let p = body(&format!("{}共3人次", "字".repeat(24)));
        assert!(p.texts().iter().all(|l| !l.ends_with('3')), "{p:?}");
    }

    #[test]
    fn no_lone_character_on_the_last_line() {
        let p = body(&format!("{}人次。", "字".repeat(25)));
        assert_eq!(p.texts(), vec![format!("{}", "字".repeat(25)), "人次。".to_string()]);
    }

    #[test]
    fn the_lone_character_rule_leaves_no_bracket_at_a_line_end() {
        // "（外" ends the first line; "次。" alone would end the paragraph.
        let p = body(&format!("{}（外次。", "字".repeat(24)));
        assert!(p.texts().iter().all(|l| !ends_opening(l)), "{p:?}");
        assert!(p.texts().last().unwrap().chars().filter(|c| !CLOSING.contains(*c)).count() >= 2, "{p:?}");
    }

    #[test]
    fn an_overlong_token_takes_a_line_of_its_own() {
        let p = flush(&"1".repeat(70));
        assert_eq!(p.texts().len(), 1);
    }
}
