//! paperwork: finds the document components of administrative procedures that a database
//! lookup can replace ("once-only"), and plans the roadmap of tasks that cuts the most paperwork.
//!
//! The library never prints: it loads a workspace ([`load`]), analyses it ([`analysis`],
//! [`roadmap`], [`graph`]) and returns data ([`report`]) that [`render`] turns into text.

pub mod analysis;
pub mod cache;
pub mod cpsv;
pub mod diag;
pub mod diff;
pub mod explain;
pub mod export;
mod facts;
pub mod graph;
pub mod html;
pub mod import;
pub mod json;
pub mod load;
pub mod lookup;
pub mod model;
pub mod output;
mod procedure_json;
pub mod render;
pub mod report;
pub mod roadmap;
pub mod schema;
pub mod workspace;
