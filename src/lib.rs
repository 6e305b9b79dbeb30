//! paperwork: finds the document components of administrative procedures that a database
//! lookup can replace ("once-only"), and plans the roadmap of tasks that cuts the most paperwork.
//!
//! The library never prints. Its folders are the pipeline's stages, each using only those
//! before it: [`load`] reads a workspace into a [`workspace::Workspace`] with [`diag`]nostics;
//! [`engine`] classifies every component and plans the roadmap; [`findings`] builds the graph
//! and finds chains, unmet demand and consolidation candidates ([`pipeline::run`] runs both);
//! [`report`] turns all of it into text, tables, JSON and HTML. [`diff`] compares two results,
//! [`interop`] reads and writes other formats, and [`files`] writes output without ever
//! overwriting the inputs. JSON that paperwork reads back (an analysis, a portal record) goes
//! through `strict_json`, which refuses a key given twice.

// The library never prints: only the binary writes to the terminal.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod diag;
pub mod diff;
pub mod engine;
pub mod files;
pub mod findings;
pub mod id;
pub mod interop;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod schema;
mod strict_json;
pub mod workspace;
