//! tuiguan: YAML member data → printable PDFs for a retiree Party office.
//!
//! The pipeline is the architecture, one module per stage:
//! [`load`] (YAML with positions, [`yaml`]) → [`office`] (the model, typed
//! once) → [`facts`] (derived once by the pure [`rules`]) → [`check`]
//! (every problem, [`diag`]) and [`documents`] / [`register`] (plain views)
//! → [`batch`] (what changed, rendered by [`render`]) → [`output`]
//! (staging, swap). The commands in [`cmd`] each plan their part of it.

pub mod assets;
pub mod backup;
pub mod batch;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod deflated;
pub mod desk;
pub mod diag;
pub mod documents;
pub mod error;
pub mod export;
pub mod facts;
pub mod fonts;
pub mod import;
pub mod init;
pub mod load;
pub mod lock;
pub mod manifest;
pub mod office;
pub mod output;
pub mod outputs;
pub mod register;
pub mod render;
pub mod rules;
#[doc(hidden)]
pub mod synthetic;
pub mod timing;
pub mod yaml;
pub mod zh;
