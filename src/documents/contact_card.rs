//! 离退休流动党员联系卡 (R7, R9, R12): the enterprise's own internal card —
//! deliberately not the official 流动党员活动证 — two-sided A6, printed 4-up
//! on A4 for duplex. The back carries the branch's contacts and a QR code
//! that adds them to a phone as a vCard.

use std::collections::BTreeMap;

use chrono::{Datelike, Months};
use qrcode::bits::Bits;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode, Version};
use serde::Serialize;

use super::departure_form::{Contact, branch_contacts};
use super::{DocumentKind, Planned, Selection, date_or_blank, join_nonempty, part_ident, print_parts, text, zh_date};
use crate::batch::Known;
use crate::facts::{DepartureFacts, Facts};
use crate::office::id_number::mask_id_number;
use crate::office::{Branch, Departure, Member, Office};
use crate::rules::record::Handling;

pub const KIND: DocumentKind =
    DocumentKind {
        template: "contact-cards.typ", zh: "联系卡", folder: "contact-cards", one_page: false, fits: false
    };
pub const RULE_TEXT: &str = "请于到达后交所在地党组织，返回后交支部查验";

#[derive(Debug, Serialize)]
pub struct ContactCard {
    pub card_no: String,
    pub enterprise: String,
    pub issuer: String,
    pub name: String,
    pub id_masked: String,
    pub branch: String,
    pub group: String,
    pub destination: String,
    pub period: String,
    pub issued: String,
    pub rule: String,
    /// The note under the rule (the office's own wording, if it has one).
    pub note: String,
    pub contacts: Vec<Contact>,
    pub receiving_org: String,
    pub receiving_contact: String,
    /// Twelve months from the start, for the dues record: "2026.10".
    pub dues_months: Vec<String>,
    /// "2026年10月至2027年9月": the months the cells stand for.
    pub dues_span: String,
    /// Which of the sheet's QR codes is this card's (its branch's id), or
    /// "" for none.
    pub qr: String,
}

#[derive(Debug, Serialize)]
pub struct ContactCardSheet<'a> {
    pub cards: &'a [ContactCard],
    /// The QR codes of the sheet's cards as SVG documents (made here, shown
    /// as images), by branch: each once, not once per card (one is about
    /// 30 KB of text to serialise, digest and parse).
    pub qr_codes: BTreeMap<&'a str, &'a str>,
}

/// vCard text values escape `\`, `,`, `;` and newlines (RFC 6350 §3.4); a
/// carriage return or any other control character (which `check` already
/// refuses in org.yaml) never reaches the card as a line of its own.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | ',' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A vCard 3.0 for the branch: its office phone and every committee
/// member's mobile, so a member away has them all in one scan.
pub fn branch_vcard(enterprise: &str, branch: &Branch) -> String {
    let mut v = vec![
        "BEGIN:VCARD".to_string(),
        "VERSION:3.0".to_string(),
        format!("N:{};;;;", esc(&branch.name.value)),
        format!("FN:{}", esc(&branch.name.value)),
        format!("ORG:{}", esc(enterprise)),
    ];
    if let Some(p) = &branch.phone {
        v.push(format!("TEL;TYPE=WORK,VOICE:{}", esc(&p.value)));
    }
    let mut note = Vec::new();
    for c in &branch.committee {
        if let Some(m) = &c.mobile {
            v.push(format!("TEL;TYPE=CELL:{}", esc(&m.value)));
            note.push(format!("{} {}", c.role.value, c.name.value));
        }
    }
    if !note.is_empty() {
        v.push(format!("NOTE:{}", esc(&note.join("；"))));
    }
    v.push("END:VCARD".to_string());
    v.join("\r\n") + "\r\n"
}

/// The largest QR code a card carries: version 20, 97 modules a side. On
/// the card's 25 mm square a module is then 0.24 mm, about the least a
/// phone reads off a laser print; a larger code would print but not scan.
pub const QR_MAX_VERSION: i16 = 20;

/// Error correction M: survives a worn card.
const QR_EC: EcLevel = EcLevel::M;

/// A branch's vCard is too long for the card's QR code: `len` bytes
/// against at most `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QrTooLong {
    pub len: usize,
    pub max: usize,
}

/// The QR code for `text` as SVG, or why the card carries none.
pub fn qr_svg(text: &str) -> Result<String, QrTooLong> {
    let too_long = || QrTooLong { len: text.len(), max: qr_capacity() };
    let code = one_byte_segment(text.as_bytes(), QR_EC).map_err(|_| too_long())?;
    Ok(code.render::<svg::Color>().min_dimensions(240, 240).quiet_zone(true).build())
}

/// The most bytes the card's QR code holds.
pub fn qr_capacity() -> usize {
    let fits = |n: usize| {
        let mut bits = Bits::new(Version::Normal(QR_MAX_VERSION));
        bits.push_byte_data(&vec![b'a'; n]).is_ok() && bits.push_terminator(QR_EC).is_ok()
    };
    let (mut lo, mut hi) = (0, 4096);
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if fits(mid) { lo = mid } else { hi = mid }
    }
    lo
}

/// The data as a single byte segment in the smallest version it fits, up
/// to [`QR_MAX_VERSION`]. The encoder's own optimiser cuts UTF-8 text into
/// numeric, alphanumeric and short byte segments, and a scanner that
/// guesses each byte segment's encoding on its own (zbar) reads short
/// Chinese ones as Shift-JIS; one segment of the whole UTF-8 text is read
/// as UTF-8 by every scanner.
fn one_byte_segment(data: &[u8], ec: EcLevel) -> qrcode::types::QrResult<QrCode> {
    for v in 1..=QR_MAX_VERSION {
        let mut bits = Bits::new(Version::Normal(v));
        if bits.push_byte_data(data).is_ok() && bits.push_terminator(ec).is_ok() {
            return QrCode::with_bits(bits, ec);
        }
    }
    Err(qrcode::types::QrError::DataTooLong)
}

/// Whether a card is printed for this departure: a card is recorded (the
/// clerk records `card:` when issuing it), the relationship is not
/// transferred, and the member has not come back. A card the rule asks for
/// but nobody recorded is a `check` warning, not a card.
pub fn prints_card(d: &DepartureFacts) -> bool {
    matches!(d.handling, Handling::Card { .. }) && d.returned.is_none()
}

/// `qr` names the card's QR code among the sheet's (see [`ContactCardSheet`]).
pub fn build(office: &Office, m: &Member, d: &Departure, qr: &str) -> ContactCard {
    let (branch_name, group_name) = office.branch_and_group_names(m);
    let org = &office.org;
    let branch = office.branch(&m.branch.value);
    let start = d.start.value;
    // Twelve months from the month they left, each cell "10月"; the span
    // with its years is said once above the cells.
    let months: Vec<chrono::NaiveDate> =
        (0..12).filter_map(|i| start.with_day(1)?.checked_add_months(Months::new(i))).collect();
    let dues_months = months.iter().map(|x| format!("{}月", x.month())).collect();
    let dues_span = match (months.first(), months.last()) {
        (Some(a), Some(b)) => format!(
            "{}至{}",
            crate::rules::dues::month_zh((a.year(), a.month())),
            crate::rules::dues::month_zh((b.year(), b.month()))
        ),
        _ => String::new(),
    };
    let id = m.id_number_printed();
    ContactCard {
        card_no: d.card_number.as_ref().map_or_else(|| "（待编号）".into(), |c| c.value.clone()),
        enterprise: org.enterprise.value.clone(),
        issuer: text(&org.party_committee.name),
        name: m.name.value.clone(),
        id_masked: mask_id_number(&id),
        branch: branch_name,
        group: group_name,
        destination: join_nonempty(&[d.destination.region(), text(&d.destination.address)], ""),
        period: format!(
            "{}至{}",
            zh_date(start),
            d.planned_end.as_ref().map_or_else(|| "返回时".to_string(), |e| zh_date(e.value))
        ),
        issued: date_or_blank(&d.card_issued),
        rule: RULE_TEXT.into(),
        note: org.texts.contact_card_note().to_string(),
        contacts: branch_contacts(branch),
        receiving_org: text(&d.receiving_org),
        receiving_contact: join_nonempty(&[text(&d.receiving_contact), text(&d.receiving_phone)], " "),
        dues_months,
        dues_span,
        qr: qr.to_string(),
    }
}

/// One sheet file with every card to print, in delivery order. A sheet is
/// made from its members' files and what all share (see [`Known`]): one
/// out/ holds made from the same inputs is planned without its view, and
/// without making its branches' QR codes.
pub fn plan(facts: &Facts, only: &Selection, known: &Known) -> Vec<Planned> {
    let office = facts.office;
    let items: Vec<(&Member, &Departure)> = facts
        .in_print_order()
        .into_iter()
        .filter(|f| only.wants(&f.member.id.value))
        .flat_map(|f| f.departures.iter().filter(|d| prints_card(d)).map(move |d| (f.member, d.departure)))
        .collect();
    if items.is_empty() {
        return Vec::new();
    }
    // Everyone's cards: contact-cards.pdf; some members' (`--member`):
    // contact-cards/<ids>.pdf, beside nothing else of the office.
    let stem = if only.all() { KIND.folder.to_string() } else { format!("{}/{}", KIND.folder, only.0.join("-")) };
    // Each branch's QR code, made once, when a sheet to build needs it.
    let mut qr_codes: BTreeMap<&str, String> = BTreeMap::new();
    let (mut sheets, mut built) = (Vec::new(), 0);
    for (i, (path, chunk)) in print_parts(&items, 24, &stem).into_iter().enumerate() {
        let inputs = known.inputs_of_all(chunk.iter().map(|(m, _)| *m), "").map(|(_, sheet)| sheet);
        if let Some(inputs) = &inputs
            && let Some(view) = known.document(&path, inputs, true)
        {
            sheets.push(Planned::known(&KIND, &path, inputs.clone(), view).as_part(&stem, i, chunk.len()));
            continue;
        }
        built += 1;
        let cards: Vec<ContactCard> = chunk
            .iter()
            .map(|(m, d)| {
                let branch = office.branch(&m.branch.value);
                let key = branch.map_or("", |b| b.id.value.as_str());
                // A vCard too long for the card (`check` says so): the card
                // prints with the contacts written out and no code.
                let fits = branch.is_some_and(|b| {
                    !qr_codes
                        .entry(key)
                        .or_insert_with(|| qr_svg(&branch_vcard(&office.org.enterprise.value, b)).unwrap_or_default())
                        .is_empty()
                });
                build(office, m, d, if fits { key } else { "" })
            })
            .collect();
        let sheet = ContactCardSheet {
            cards: &cards,
            qr_codes: cards
                .iter()
                .filter_map(|c| qr_codes.get_key_value(c.qr.as_str()))
                .map(|(k, v)| (*k, v.as_str()))
                .collect(),
        };
        let mut part = Planned::new(&KIND, path, part_ident(&stem, i), &sheet).as_part(&stem, i, chunk.len());
        part.inputs = inputs;
        sheets.push(part);
    }
    crate::timing::mark(&format!("{stem}: {built} of {} parts built", sheets.len()));
    sheets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcard_escapes_and_lists_every_phone() {
        let file = std::path::Path::new("org.yaml");
        let text = "id: b1\nname: 第一支部, 机关\nphone: \"0571-88102235\"\ncommittee:\n  - name: 钱立群\n    role: 书记\n    mobile: \"13906512871\"\n";
        let node = crate::yaml::parse(file, text).unwrap().unwrap();
        let diags = std::cell::RefCell::new(crate::diag::Diagnostics::default());
        let keys: crate::yaml::Keys = &[("id", ""), ("name", ""), ("phone", ""), ("committee", ""), ("groups", "")];
        let f = crate::yaml::Fields::new(file, &node, keys, "", &diags).unwrap();
        let branch = crate::office::read_branch(f).unwrap();
        let v = branch_vcard("某厂", &branch);
        assert!(v.contains("FN:第一支部\\, 机关\r\n"), "{v}");
        assert!(v.contains("TEL;TYPE=WORK,VOICE:0571-88102235\r\n"));
        assert!(v.contains("TEL;TYPE=CELL:13906512871\r\n"));
        assert!(v.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\n") && v.ends_with("END:VCARD\r\n"));
        assert!(qr_svg(&v).is_ok());
    }

    #[test]
    fn a_carriage_return_starts_no_line_of_its_own() {
        assert_eq!(esc("王\r\nEND:VCARD\rX;y,z\\"), "王 \\nEND:VCARD X\\;y\\,z\\\\");
    }

    #[test]
    fn a_vcard_too_long_for_the_card_says_so_instead_of_panicking() {
        let max = qr_capacity();
        assert!((300..1000).contains(&max), "{max}");
        assert!(qr_svg(&"a".repeat(max)).is_ok());
        assert_eq!(qr_svg(&"a".repeat(max + 1)), Err(QrTooLong { len: max + 1, max }));
        assert!(qr_svg(&"委".repeat(3000)).is_err());
    }
}
