//! 新增党员: the form, as filled, with what is wrong at its fields (the
//! new file as it will be written: [`super::preview`]).

use std::collections::BTreeMap;

use minijinja::context;

use super::{Answer, Form, FormField, Pages, ser, to_fix};
use crate::desk::Desk;
use crate::desk::forms::Filled;
use crate::desk::member_form::new_member_fields;

impl Pages {
    /// 新增党员: the form, as filled, with what is wrong at its fields.
    pub fn new_member(
        &self,
        desk: &Desk,
        filled: &Filled,
        errors: &BTreeMap<String, String>,
        problem: Option<String>,
        status: u16,
    ) -> Answer {
        let Some(office) = self.office(desk) else { return self.not_found(desk) };
        let mut values = filled.clone();
        values.entry("ethnicity".into()).or_insert_with(|| "汉族".into());
        let fields: Vec<FormField> = new_member_fields(&office)
            .into_iter()
            .map(|spec| FormField {
                value: values.get(spec.key).cloned().unwrap_or_default(),
                error: errors.get(spec.key).cloned().unwrap_or_default(),
                spec,
            })
            .collect();
        let form = Form { path: "new", title: "新增党员".into(), fields, open: true };
        let to_fix = to_fix(std::slice::from_ref(&form));
        self.render(
            "new.html",
            status,
            context! { site => self.site(desk, Some(&office)), f => ser(&form), problem, to_fix => ser(&to_fix) },
        )
    }
}
