//! `templates [NAME…]`: copy built-in templates into the office's
//! `<data>/templates/`, where each then replaces the built-in file of the
//! same name, with a note at the top saying so and where the data it
//! receives is shown: `templates/examples/<template>.json`, the data a real
//! document of this office gets. Without names, lists the templates.
//! Nothing that exists is overwritten.

use std::path::Path;

use crate::assets::{OVERRIDES, builtins};
use crate::batch::Plan;
use crate::error::Error;

/// Template files an office may override: typst and HTML (not the fonts,
/// nor the desk's pages, which are always the built-in ones).
fn templates() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    builtins("typst/").chain(builtins("html/").filter(|(p, _)| !p.starts_with("html/desk/")))
}

/// The built-in path `name` means: a path ("typst/info-card.typ") or a file
/// name ("info-card.typ", "style.typ").
fn find(name: &str) -> Option<&'static str> {
    let name = name.replace('\\', "/");
    templates().map(|(p, _)| p).find(|p| *p == name || p.rsplit('/').next() == Some(name.as_str()))
}

/// The note put at the top of a copied template, in the file's own comment syntax.
fn note(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    let lines = if path.starts_with("typst/") {
        let stem = file.trim_end_matches(".typ");
        vec![
            format!("tuiguan {} 内置模板 {path} 的副本。", env!("CARGO_PKG_VERSION")),
            "放在数据文件夹的 templates/ 下（路径同上），就代替内置的同名模板；删掉即恢复内置模板。".to_string(),
            if path.starts_with("typst/lib/") {
                "这是各文书共用的样式：改动它，所有文书都会重新生成。".to_string()
            } else {
                format!("模板读取的数据：json(\"/data.json\")；本单位一份实际数据见 templates/examples/{stem}.json。")
            },
            "成员的文字只作为数据传入，请勿用 eval 等把数据当作代码执行。".to_string(),
        ]
    } else {
        vec![
            format!("tuiguan {} 内置台帐模板 {path} 的副本。", env!("CARGO_PKG_VERSION")),
            "放在数据文件夹的 templates/ 下（路径同上），就代替内置的同名文件；删掉即恢复内置的。".to_string(),
            "页面数据（site、rows 等）已按 org.yaml 的 register: 显示范围处理；模板自动转义，请勿用 |safe 输出成员的文字。"
                .to_string(),
        ]
    };
    let ext = file.rsplit('.').next().unwrap_or("");
    match ext {
        "typ" => lines.iter().map(|l| format!("// {l}\n")).collect::<String>() + "\n",
        "html" => format!("{{# {} -#}}\n", lines.join("\n   ")),
        _ => format!("/* {} */\n", lines.join("\n   ")),
    }
}

/// Write the named templates (and each typst template's example data, from
/// `plan`) under `data/templates/`. Without names, say which there are.
pub fn run(data: &Path, names: &[String], plan: &Plan) -> Result<(), Error> {
    let root = data.join(OVERRIDES);
    if names.is_empty() {
        let list: Vec<String> = templates()
            .map(|(p, _)| {
                let mark = if root.join(p).is_file() { "（本单位已改写）" } else { "" };
                format!("  {p}{mark}")
            })
            .collect();
        eprintln!(
            "内置模板（改写其中一个：tuiguan --data {d} templates 文件名，例如 info-card.typ；全部：all）：\n{}\n\
             复制到 {r}/ 后修改即可；删掉复制的文件即恢复内置模板。",
            list.join("\n"),
            d = data.display(),
            r = root.display()
        );
        return Ok(());
    }
    let mut chosen = Vec::new();
    let mut unknown = Vec::new();
    for n in names {
        if n == "all" {
            chosen.extend(templates().map(|(p, _)| p));
        } else {
            match find(n) {
                Some(p) => chosen.push(p),
                None => unknown.push(n.as_str()),
            }
        }
    }
    if !unknown.is_empty() {
        return Err(Error::Usage(format!(
            "没有名为 {} 的内置模板；不写名字运行 `tuiguan templates` 可列出全部",
            unknown.iter().map(|u| format!("“{u}”")).collect::<Vec<_>>().join("、")
        )));
    }
    chosen.sort();
    chosen.dedup();
    let mut written = Vec::new();
    let mut kept = Vec::new();
    for path in chosen {
        let target = path.split('/').fold(root.clone(), |p, c| p.join(c));
        if target.exists() {
            kept.push(target.display().to_string());
            continue;
        }
        let bytes = crate::assets::builtin(path).expect("listed");
        let text = format!("{}{}", note(path), String::from_utf8_lossy(bytes));
        write_new(&target, text.as_bytes())?;
        written.push(target.display().to_string());
        if let Some(stem) =
            path.strip_prefix("typst/").and_then(|p| p.strip_suffix(".typ")).filter(|s| !s.contains('/'))
            && let Some(doc) =
                plan.outputs.iter().find(|o| o.job.template == format!("{stem}.typ") && !o.job.data.is_empty())
        {
            let example = root.join("examples").join(format!("{stem}.json"));
            // A part whose items are also single documents: one item, as
            // in a single (which has no view of its own).
            let mut data = doc.job.data.inflate().unwrap_or_default();
            if let Some(part) = &doc.job.part
                && plan.outputs.iter().any(|o| o.item_of.as_ref().is_some_and(|(p, _)| *p == doc.path))
            {
                data = crate::render::typst::item_view(&data, 0, part.items).unwrap_or(data);
            }
            let value: serde_json::Value = serde_json::from_slice(&data).unwrap_or_default();
            let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
            std::fs::create_dir_all(example.parent().expect("has a parent"))
                .and_then(|()| std::fs::write(&example, pretty))
                .map_err(|e| Error::Failed(format!("无法写入 {}：{e}", example.display())))?;
        }
    }
    for w in &written {
        eprintln!("已复制 {w}");
    }
    for k in &kept {
        eprintln!("{k} 已存在，未覆盖");
    }
    if !written.is_empty() {
        eprintln!(
            "修改后运行 `tuiguan --data {} build`：只有用到改动模板的文书会重新生成。模板有错时会指出文件和行号，且不写任何文件。",
            data.display()
        );
    }
    Ok(())
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let fail = |e: std::io::Error| Error::Failed(format!("无法写入 {}：{e}", path.display()));
    std::fs::create_dir_all(path.parent().expect("has a parent")).map_err(fail)?;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(fail)?;
    std::io::Write::write_all(&mut f, bytes).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_find_builtin_templates() {
        assert_eq!(find("info-card.typ"), Some("typst/info-card.typ"));
        assert_eq!(find("typst/lib/style.typ"), Some("typst/lib/style.typ"));
        assert_eq!(find("register.css"), Some("html/register.css"));
        assert_eq!(find("NotoSerifCJKsc-Regular.otf"), None, "fonts are not templates");
        assert_eq!(find("nothing.typ"), None);
    }

    #[test]
    fn notes_are_comments_in_each_syntax() {
        assert!(note("typst/info-card.typ").lines().all(|l| l.is_empty() || l.starts_with("// ")));
        assert!(note("typst/info-card.typ").contains("templates/examples/info-card.json"));
        assert!(note("html/index.html").starts_with("{# ") && note("html/index.html").trim_end().ends_with("-#}"));
        assert!(note("html/register.css").starts_with("/* "));
    }
}
