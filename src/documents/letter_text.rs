//! The text of a festival greeting letter: `data/letters/<year>-<节日>.yaml`
//! when the office wrote one, else a built-in text for each festival.

use std::cell::RefCell;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::yaml::{Fields, parse};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterText {
    pub title: String,
    pub paragraphs: Vec<String>,
    /// Lines under the letter, right-aligned: who sends it.
    pub sign_off: Vec<String>,
    /// The date printed under the sign-off; `--as-of` when not given.
    pub date: Option<String>,
    /// Where it came from, for the log: the file, or "内置".
    pub source: String,
}

const KEYS: &[(&str, &str)] = &[("title", "标题"), ("paragraphs", "正文段落"), ("sign_off", "落款"), ("date", "日期")];

/// Read the office's own text, if the file exists. Problems are reported
/// with their positions.
pub fn read(file: &Path, diags: &mut Diagnostics) -> Option<LetterText> {
    let text = std::fs::read_to_string(file).ok()?;
    let cell = RefCell::new(Diagnostics::default());
    let node = match parse(file, &text) {
        Ok(Some(n)) => n,
        Ok(None) => {
            diags.push(
                Diagnostic::error(file, None, "慰问信文件是空的")
                    .hint("写入 title 和 paragraphs，或删除该文件改用内置文本"),
            );
            return None;
        }
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let result = Fields::new(file, &node, KEYS, "", &cell).and_then(|f| {
        let title = f.req_text("title", "致全体离退休党员的节日慰问信");
        let lines = |key: &str| -> Vec<String> {
            f.list(key)
                .iter()
                .filter_map(|n| n.scalar().map(|s| s.trim().to_string()))
                .filter(|s| !s.is_empty())
                .collect()
        };
        let paragraphs = lines("paragraphs");
        if paragraphs.is_empty() {
            f.error(f.pos, "慰问信没有正文（paragraphs）", "在 `paragraphs:` 下每段一行，以 `- ` 开头");
        }
        let sign_off = lines("sign_off");
        let date = f.text("date").map(|d| d.value);
        f.finish();
        Some(LetterText { title: title?.value, paragraphs, sign_off, date, source: file.display().to_string() })
    });
    diags.extend(cell.into_inner());
    result.filter(|t| !t.paragraphs.is_empty())
}

/// A good default text for each built-in festival.
pub fn builtin(holiday: &str, full_name: &str, year: i32, sign_off: Vec<String>) -> LetterText {
    let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let paragraphs = match holiday {
        "元旦" => p(&[
            "辞旧迎新之际，谨向您和您的家人致以新年的美好祝福！",
            "过去的一年里，您始终关心企业发展，积极参加支部组织生活，以实际行动践行着一名共产党员的初心，为身边的同志树立了榜样。企业的每一份成绩，都凝聚着包括您在内的老同志们多年的心血。",
            "新的一年，退管办和各支部将继续做好走访慰问和服务工作。生活上有什么困难、对支部工作有什么建议，请随时告诉我们。",
            "衷心祝愿您新年快乐，身体健康，阖家幸福！",
        ]),
        "春节" => p(&[
            "爆竹声声辞旧岁，红梅朵朵迎新春。值此新春佳节来临之际，谨向您和您的家人致以节日的问候和新春的祝福！",
            "您为企业的建设和发展奉献了青春和汗水，退休以后仍然心系企业、关心党的事业，我们始终铭记在心。",
            "春节期间天气寒冷，请您注意保暖，出行注意安全。无论您在家还是在外，都请与支部保持联系，有困难随时找组织。",
            "恭祝您新春愉快，健康长寿，阖家欢乐，万事如意！",
        ]),
        "元宵" => p(&[
            "灯火映团圆，明月照佳节。值此元宵佳节，谨向您和您的家人致以节日的祝福！",
            "感谢您一直以来对支部工作的理解和支持。新的一年，我们将继续为大家做好服务。",
            "祝您元宵快乐，身体健康，家庭美满！",
        ]),
        "七一" => p(&[
            &format!("在中国共产党成立{}周年之际，谨向您致以节日的问候和崇高的敬意！", year - 1921),
            "您在党的培养下成长，为党和人民的事业辛勤工作了几十年。退休以后，您依然牢记党员身份，关心集体，关爱他人，用实际行动诠释了“退休不褪色、离岗不离党”。",
            "请您继续关心党的事业，积极参加支部组织的学习和活动，保重身体。支部是您永远的家，有什么想法和困难，请随时告诉我们。",
            "祝您节日愉快，身体健康！",
        ]),
        "中秋" => p(&[
            "月到中秋分外明，每逢佳节倍思亲。值此中秋佳节来临之际，谨向您和您的家人致以节日的问候和美好的祝愿！",
            "您为企业发展付出的心血，我们始终不会忘记。无论您身在何处，组织都牵挂着您。",
            "祝您中秋快乐，身体健康，阖家团圆！",
        ]),
        "国庆" => p(&[
            &format!(
                "金秋十月，举国同庆。在中华人民共和国成立{}周年之际，谨向您和您的家人致以节日的问候！",
                year - 1949
            ),
            "您亲历了祖国的发展变化，也用自己的辛勤劳动为国家和企业作出了贡献。感谢您退休后仍然关心支部建设，关心企业发展。",
            "国庆假期出行人多，请您注意安全，保重身体。",
            "祝您节日愉快，健康长寿！",
        ]),
        "重阳" => p(&[
            "九九重阳，情浓意长。在重阳节（老年节）到来之际，谨向您致以节日的问候和衷心的祝福！",
            "您把最好的年华奉献给了企业，退休以后依然心系集体、发挥余热，是我们学习的榜样。尊老敬老是中华民族的传统美德，关心关爱每一位老同志是我们义不容辞的责任。",
            "秋冬交替，天气转凉，请您注意保暖，按时作息，适当锻炼。生活上有任何困难，请随时联系支部和退管办，我们一定尽力帮助。",
            "祝您重阳节快乐，福寿安康，阖家幸福！",
        ]),
        _ => vec![
            format!("值此{full_name}来临之际，谨向您和您的家人致以节日的问候和美好的祝愿！"),
            "感谢您一直以来对支部工作的关心和支持。生活上有什么困难，请随时告诉我们。".to_string(),
            "祝您节日快乐，身体健康，阖家幸福！".to_string(),
        ],
    };
    LetterText { title: format!("{full_name}慰问信"), paragraphs, sign_off, date: None, source: "内置".into() }
}
