//! Render: documents to PDF through one shared typst World.

pub mod typst;
