//! Builds the table of files the binary carries (templates, fonts and their
//! licences), so `tuiguan` works from any folder without the checkout,
//! records the typst version for `tuiguan --version`, and a digest of the
//! source it is built from (see `assets::BUILD`).

use std::path::{Path, PathBuf};

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            walk(&path, files);
        } else {
            files.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut table =
        String::from("/// Built-in files: (path, bytes), sorted by path.\npub static FILES: &[(&str, &[u8])] = &[\n");
    let mut files = Vec::new();
    for dir in ["templates/typst", "templates/html", "fonts"] {
        println!("cargo::rerun-if-changed={dir}");
        walk(&root.join(dir), &mut files);
    }
    let mut entries: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(&root).expect("inside the crate");
            let rel = rel.strip_prefix("templates").unwrap_or(rel);
            let name = rel.iter().map(|c| c.to_str().expect("UTF-8 file names")).collect::<Vec<_>>().join("/");
            (name, f)
        })
        .collect();
    entries.sort();
    for (name, path) in entries {
        // Relative to the crate, resolved when the crate compiles: a target
        // folder shared by two checkouts never reads the other one's files.
        let rel = path.strip_prefix(&root).expect("inside the crate");
        let rel = rel.iter().map(|c| c.to_str().expect("UTF-8 file names")).collect::<Vec<_>>().join("/");
        table.push_str(&format!(
            "    ({name:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),\n",
            format!("/{rel}")
        ));
    }
    table.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("builtin.rs"), table).expect("write the table");

    println!("cargo::rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    let typst = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"typst\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map_or("?", |v| v.trim_end_matches('"'));
    println!("cargo::rustc-env=TUIGUAN_TYPST_VERSION={typst}");

    // What a run's digests take for "this build of tuiguan": the version
    // alone would let a rebuilt binary with other rules, templates or fonts
    // trust out/ as the old one left it. Paths and bytes of src/, the
    // built-in templates and fonts, and Cargo.lock, in order.
    println!("cargo::rerun-if-changed=src");
    let mut sources = Vec::new();
    for dir in ["src", "templates", "fonts"] {
        walk(&root.join(dir), &mut sources);
    }
    sources.push(root.join("Cargo.lock"));
    sources.sort();
    let mut hasher = std::hash::DefaultHasher::new();
    for path in &sources {
        use std::hash::Hash;
        path.strip_prefix(&root).expect("inside the crate").hash(&mut hasher);
        std::fs::read(path).unwrap_or_default().hash(&mut hasher);
    }
    println!("cargo::rustc-env=TUIGUAN_SOURCE_DIGEST={:016x}", std::hash::Hasher::finish(&hasher));
}
