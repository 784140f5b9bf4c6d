//! `tuiguan init DIR`: a new office from scratch — a commented org.yaml and
//! one example member that pass `tuiguan check`, and what to fill in first.
//! Nothing that exists is overwritten.

use std::path::Path;

const ORG: &str = include_str!("../templates/init/org.yaml");
const MEMBER: &str = include_str!("../templates/init/member.yaml");

/// The files `init` writes, relative to the new data folder.
pub fn files() -> [(&'static str, &'static str); 2] {
    [("org.yaml", ORG), ("members/b1/b1-001.yaml", MEMBER)]
}

pub fn run(dir: &Path) -> Result<(), String> {
    for (rel, _) in files() {
        let p = dir.join(rel);
        if p.exists() {
            return Err(format!("{} 已存在，不会覆盖。要新建单位，请换一个还不存在的文件夹", p.display()));
        }
    }
    for (rel, text) in files() {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("无法建立 {}：{e}", parent.display()))?;
        }
        std::fs::write(&p, text).map_err(|e| format!("无法写入 {}：{e}", p.display()))?;
    }
    Ok(())
}

/// What to do next, for the clerk.
pub fn next_steps(dir: &Path) -> String {
    let d = dir.display();
    format!(
        "已新建单位数据文件夹 {d}：\n\
         \x20 {d}/org.yaml                 单位、党委、备案上级和各党支部\n\
         \x20 {d}/members/b1/b1-001.yaml   一位党员的示例\n\
         先填这些：\n\
         \x20 1. org.yaml 里的企业名称（enterprise）、退管办地址电话（office）；\n\
         \x20 2. 各党支部：编号、名称、办公电话、支委和手机、党小组（branches）；\n\
         \x20 3. 党员：已有 Excel 台帐的运行 `tuiguan import 台帐.xlsx --into {d}` 先预演，无误后加 --write；\n\
         \x20    没有的照 b1-001.yaml 的样子每人一个文件（示例文件用完删掉）。\n\
         每改一步运行 `tuiguan --data {d} check`，按提示改到没有错误，再 `tuiguan --data {d} build` 生成文书。"
    )
}
