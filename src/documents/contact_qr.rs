//! The QR codes on the back of a contact card: one per person a member
//! away can call (the branch's office phone, each committee member), so a
//! phone held at arm's length reads it. Each code holds a MECARD (name,
//! phones, and a note of who the person is), the smallest contact format
//! phones' cameras and scanning apps add to the address book; printed at
//! [`MODULE_MM`] a module, no code is wider than [`QR_MAX_VERSION`] allows.

use qrcode::bits::Bits;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode, Version};

use super::departure_form::Contact;

/// A module's side on paper, in millimetres: at 120 dpi, a phone's
/// camera at arm's length, 2.6 pixels (zbar reads every code; at 0.5 mm,
/// 2.4 pixels, it missed two codes of sixteen).
pub const MODULE_MM: f64 = 0.55;
// A phone at arm's length reads modules of 0.4 mm and more.
const _: () = assert!(MODULE_MM >= 0.4);

/// The largest code a card carries: version 5, 37 modules, 20.4 mm a
/// side; four fit across the card's back with white space between them.
pub const QR_MAX_VERSION: i16 = 5;

/// Error correction M: survives a worn card.
const QR_EC: EcLevel = EcLevel::M;

/// A person's contact is too long for the card's QR code: `len` bytes
/// against at most `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QrTooLong {
    pub len: usize,
    pub max: usize,
}

/// A printed code: the SVG (no quiet zone: the card leaves white space
/// around it) and its width on paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Qr {
    pub svg: String,
    pub width_mm: f64,
}

/// MECARD values escape `\`, `;`, `,` and `:`; a control character
/// (which `check` refuses in org.yaml) becomes a space.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | ';' | ',' | ':' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The MECARD of one contact of branch `branch`: the person's name (the
/// branch's, for its office phone), the phone, and a note of who it is
/// ("第一离退休党支部 书记", the branch's name without its bracket, to keep
/// the code small); without the note when `note` is false.
pub fn mecard(branch: &str, c: &Contact, note: bool) -> String {
    let name = if c.name.is_empty() { branch } else { c.name.as_str() };
    let mut v = format!("MECARD:N:{};TEL:{};", esc(name), esc(&c.phone));
    if note {
        let short = branch.split('（').next().unwrap_or(branch);
        v.push_str(&format!("NOTE:{} {};", esc(short), esc(&c.role)));
    }
    v.push(';');
    v
}

/// The code for a contact: with its note when that fits, else without; or
/// why none is printed (the card then shows the phone in words only).
pub fn contact_qr(branch: &str, c: &Contact) -> Result<Qr, QrTooLong> {
    qr(&mecard(branch, c, true)).or_else(|_| qr(&mecard(branch, c, false)))
}

/// The QR code for `text`, or why the card carries none.
pub fn qr(text: &str) -> Result<Qr, QrTooLong> {
    let too_long = || QrTooLong { len: text.len(), max: qr_capacity() };
    let code = one_byte_segment(text.as_bytes(), QR_EC).map_err(|_| too_long())?;
    let modules = code.width();
    let svg = code.render::<svg::Color>().module_dimensions(4, 4).quiet_zone(false).build();
    Ok(Qr { svg, width_mm: modules as f64 * MODULE_MM })
}

/// The most bytes a card's QR code holds.
pub fn qr_capacity() -> usize {
    let fits = |n: usize| {
        let mut bits = Bits::new(Version::Normal(QR_MAX_VERSION));
        bits.push_byte_data(&vec![b'a'; n]).is_ok() && bits.push_terminator(QR_EC).is_ok()
    };
    let (mut lo, mut hi) = (0, 1024);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(role: &str, name: &str, phone: &str) -> Contact {
        Contact { role: role.into(), name: name.into(), phone: phone.into() }
    }

    #[test]
    fn a_mecard_names_the_person_and_escapes_what_would_end_a_field() {
        let c = contact("书记", "钱立群", "13906512871");
        assert_eq!(mecard("第一支部（机关）", &c, true), "MECARD:N:钱立群;TEL:13906512871;NOTE:第一支部 书记;;");
        assert_eq!(mecard("第一支部", &c, false), "MECARD:N:钱立群;TEL:13906512871;;");
        // The branch's office phone goes under the branch's name.
        let office = contact("支部办公电话", "", "0571-88102235");
        assert!(mecard("一支部", &office, true).starts_with("MECARD:N:一支部;TEL:0571-88102235;"));
        assert_eq!(esc("王;TEL:1,2\\\n"), "王\\;TEL\\:1\\,2\\\\ ");
    }

    #[test]
    fn every_code_is_at_most_version_6_with_half_millimetre_modules() {
        let long = "第一离退休党支部（集团机关）";
        let q = contact_qr(long, &contact("组织委员", "阿卜杜热合曼·阿卜杜拉", "13906512871")).unwrap();
        assert!(q.width_mm <= (17 + 4 * QR_MAX_VERSION) as f64 * MODULE_MM + 1e-9, "{}", q.width_mm);
        // Too long with its note: printed without it.
        let longer = "第一离退休党支部".repeat(4);
        let without = contact_qr(&longer, &contact("书记", "钱立群", "13906512871")).unwrap();
        assert_eq!(without, qr(&mecard(&longer, &contact("书记", "钱立群", "13906512871"), false)).unwrap());
        // Too long even so: no code, and why.
        let max = qr_capacity();
        assert!((60..200).contains(&max), "{max}");
        assert!(qr(&"a".repeat(max)).is_ok());
        assert_eq!(qr(&"a".repeat(max + 1)), Err(QrTooLong { len: max + 1, max }));
        assert!(contact_qr("委", &contact("书记", &"委".repeat(60), "1")).is_err());
    }
}
