//! Test helper: a member read from YAML the way member files are read.

use crate::office::Member;

/// A member with the required fields, born on `birth`, plus `extra` YAML
/// lines (which may override `joined_party`; later keys are not allowed, so
/// give the admission date through `joined`).
pub fn member_joined(birth: &str, joined: &str, extra: &str) -> Member {
    let text = format!(
        "id: a\nname: 张三\nsex: 男\nethnicity: 汉族\nid_number: \"330105195003051214\"\nbirth_date: {birth}\nnative_place: 浙江\naddress: 杭州\njoined_party: {joined}\nbranch: b1\n{extra}"
    );
    let file = std::path::Path::new("t.yaml");
    let node = crate::yaml::parse(file, &text).unwrap().unwrap();
    let diags = std::cell::RefCell::new(crate::diag::Diagnostics::default());
    let f = crate::yaml::Fields::new(file, &node, crate::office::MEMBER_KEYS, "", &diags).unwrap();
    let m = crate::office::read_member(f, file.into());
    assert!(!diags.borrow().has_errors(), "{:?}", diags.borrow().sorted());
    m
}

/// [`member_joined`], admitted on 1975-07-01 (no probation).
pub fn member(birth: &str, extra: &str) -> Member {
    member_joined(birth, "1975-07-01", extra)
}
