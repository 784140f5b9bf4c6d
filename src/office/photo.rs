//! Members' one-inch photos: `photos/<member id>.jpg` (or `.jpeg`, `.png`)
//! in the data folder. They print on the information card and the contact
//! card's front, under the issuing committee's seal; never on the register.
//! A photo's bytes are part of what its member's documents are made from,
//! so a new photo makes the member's cards again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};

/// The folder of photos in a data folder.
pub const FOLDER: &str = "photos";

/// One member's photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub path: PathBuf,
    /// Its name in the folder ("b1-001.jpg").
    pub file_name: String,
    /// Digest of its bytes.
    pub digest: String,
}

impl Photo {
    /// The path the templates read it by.
    pub fn typst_path(&self) -> String {
        format!("/{FOLDER}/{}", self.file_name)
    }
}

/// What a photo file is, by its first bytes.
fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8, 0xFF]) || bytes.starts_with(b"\x89PNG\r\n\x1a\n")
}

/// Every photo in `data/photos`, by member id. A file that is not a JPEG
/// or PNG image, a link, or one whose name is no member's id is told and
/// left out (a card then has a box to glue a photo in).
pub fn read_photos(data: &Path, member_ids: &[&str]) -> (BTreeMap<String, Photo>, Diagnostics) {
    let mut photos = BTreeMap::new();
    let mut d = Diagnostics::default();
    let dir = data.join(FOLDER);
    let Ok(entries) = std::fs::read_dir(&dir) else { return (photos, d) };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let Some(file_name) = e.file_name().to_str().map(str::to_string) else { continue };
        let Some((id, ext)) = file_name.rsplit_once('.') else { continue };
        if file_name.starts_with('.') || !["jpg", "jpeg", "png"].contains(&ext.to_ascii_lowercase().as_str()) {
            continue;
        }
        let hint = "照片文件名用党员的 id，例如 photos/b1-001.jpg（JPEG 或 PNG，一寸 25×35 毫米）";
        if e.file_type().is_ok_and(|t| t.is_symlink()) {
            d.push(
                Diagnostic::warning(&path, None, "照片是链接（快捷方式），未使用").hint("请把照片文件本身复制到这里"),
            );
            continue;
        }
        if !member_ids.contains(&id) {
            d.push(Diagnostic::warning(&path, None, format!("没有 id 为 {id} 的党员，这张照片未使用")).hint(hint));
            continue;
        }
        if photos.contains_key(id) {
            d.push(Diagnostic::warning(&path, None, format!("{id} 有不止一张照片，只用 {}", photos[id].file_name)));
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) if is_image(&bytes) => {
                let digest = crate::manifest::Digest::default().update(&bytes).hex();
                photos.insert(id.to_string(), Photo { path, file_name, digest });
            }
            Ok(_) => d.push(Diagnostic::warning(&path, None, "这个文件不是 JPEG 或 PNG 图片，未使用").hint(hint)),
            Err(e) => d.push(Diagnostic::warning(&path, None, format!("无法读取照片：{e}"))),
        }
    }
    (photos, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_found_by_member_id_and_what_is_no_photo_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let photos = dir.path().join(FOLDER);
        std::fs::create_dir(&photos).unwrap();
        std::fs::write(photos.join("b1-001.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).unwrap();
        std::fs::write(photos.join("b1-002.PNG"), b"\x89PNG\r\n\x1a\n....").unwrap();
        std::fs::write(photos.join("b1-003.jpg"), b"not an image").unwrap();
        std::fs::write(photos.join("b9-999.jpg"), [0xFF, 0xD8, 0xFF, 0xE0]).unwrap();
        std::fs::write(photos.join("notes.txt"), b"").unwrap();
        let (found, d) = read_photos(dir.path(), &["b1-001", "b1-002", "b1-003"]);
        assert_eq!(found.keys().collect::<Vec<_>>(), ["b1-001", "b1-002"]);
        assert_eq!(found["b1-001"].typst_path(), "/photos/b1-001.jpg");
        let said: Vec<String> = d.iter().map(|x| x.message.clone()).collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(said.iter().any(|m| m.contains("不是 JPEG 或 PNG")), "{said:?}");
        assert!(said.iter().any(|m| m.contains("没有 id 为 b9-999 的党员")), "{said:?}");
        // No folder: no photos, nothing to say.
        let (none, d) = read_photos(&dir.path().join("elsewhere"), &[]);
        assert!(none.is_empty() && d.iter().next().is_none());
    }
}
