//! Render: documents to PDF through one shared typst World.

mod job;
pub mod pdf_cut;
pub mod pdf_join;
pub mod typst;
