//! `paperwork graph`: print the graph of the catalog.

use crate::common::{Global, emit};
use crate::values::GraphFormat;
use anyhow::Result;
use paperwork::engine::AnalyzeOptions;
use paperwork::interop::graph_export;
use paperwork::pipeline;

/// Print the graph of procedures, components, documents, facts, databases, agencies, tasks.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
    /// Only this procedure and what it touches.
    #[arg(long, value_name = "ID")]
    procedure: Option<String>,
    /// Only procedures of this life event and what they touch.
    #[arg(long, value_name = "EVENT")]
    life_event: Option<String>,
    /// Only this database and what it touches (with --procedure: the only database shown).
    #[arg(long, value_name = "ID")]
    database: Option<String>,
}

/// Prints the graph, or the part the filters select.
pub fn run(args: &Args, g: &Global) -> Result<u8> {
    let ws = g.load_valid()?;
    let a = pipeline::run(&ws, &AnalyzeOptions::default()).analysis;
    let graph = paperwork::findings::build(&ws, &a.reach);
    let filter =
        graph_export::Filter { procedure: args.procedure.clone(), life_event: args.life_event.clone(), database: args.database.clone() };
    emit(&graph_export::export(&ws, &a, &graph, args.format.into(), &filter, g.lang())?)?;
    Ok(0)
}
