//! `paperwork explain`: why each component of a procedure got its status.

use crate::common::{Global, emit};
use crate::values::Format;
use anyhow::{Result, bail};
use paperwork::diag;
use paperwork::engine::AnalyzeOptions;
use paperwork::pipeline;
use paperwork::report::{explain, text};

/// Explain why each component of a procedure got its status.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Procedure id.
    id: String,
    /// Only components of this document.
    doc: Option<String>,
    /// Output format (table = text).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Prints the explanation of one procedure, or of its components of one document.
pub fn run(args: &Args, g: &Global) -> Result<u8> {
    let ws = g.load_valid()?;
    let id = &args.id;
    let Some(p) = ws.proc_ids.get(id) else {
        let hint = diag::did_you_mean(id, ws.proc_ids.names()).map(|h| format!("; {h}")).unwrap_or_default();
        bail!("unknown procedure `{id}`{hint}");
    };
    let d = match &args.doc {
        Some(name) => Some(ws.doc_ids.get(name).ok_or_else(|| {
            let hint = diag::did_you_mean(name, ws.doc_ids.names()).map(|h| format!("; {h}")).unwrap_or_default();
            anyhow::anyhow!("unknown document `{name}`{hint}")
        })?),
        None => None,
    };
    let a = pipeline::run(&ws, &AnalyzeOptions::default()).analysis;
    let e = explain::explain(&ws, &a, p, d, g.lang());
    if d.is_some() && e.components.is_empty() {
        bail!("procedure `{id}` does not ask for `{}`", args.doc.as_deref().unwrap_or_default());
    }
    emit(&match text::Format::from(args.format) {
        text::Format::Json => text::json(&e),
        _ => explain::render(&e),
    })?;
    Ok(0)
}
