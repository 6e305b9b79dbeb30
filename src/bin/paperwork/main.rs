//! The `paperwork` command line: parses arguments and hands each subcommand to its module,
//! which calls the library and prints.

mod analyze;
mod check;
mod common;
mod diff;
mod docs;
mod explain;
mod export;
mod graph;
mod import;
mod report;
mod roadmap;
mod schema;
mod values;

use anyhow::Result;
use clap::{Parser, Subcommand};
use common::{Global, Reported};
use std::process::ExitCode;

// Loading a national catalog makes millions of small strings; mimalloc handles that
// allocation pattern far better than the system allocator, on both threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Finds the document components of administrative procedures that a database lookup can
/// replace ("once-only"), and plans the roadmap that cuts the most paperwork first.
#[derive(Parser, Debug)]
#[command(name = "paperwork", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: Global,
}

/// The subcommands; each module's `Args` carries its help text.
#[derive(Subcommand, Debug)]
enum Command {
    Check(check::Args),
    Analyze(analyze::Args),
    Roadmap(roadmap::Args),
    Explain(explain::Args),
    Diff(diff::Args),
    Report(report::Args),
    Graph(graph::Args),
    Import(import::Args),
    Export(export::Args),
    Schema(schema::Args),
    Completions(docs::CompletionsArgs),
    /// Print the man page (roff).
    Man,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if let Some(r) = e.downcast_ref::<Reported>() {
                return ExitCode::from(r.0);
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs the subcommand; the exit code, or an error for `main` to print.
fn run(cli: &Cli) -> Result<u8> {
    let g = &cli.global;
    match &cli.command {
        Command::Check(args) => check::run(args, g),
        Command::Analyze(args) => analyze::run(args, g),
        Command::Roadmap(args) => roadmap::run(args, g),
        Command::Explain(args) => explain::run(args, g),
        Command::Diff(args) => diff::run(args, g),
        Command::Report(args) => report::run(args, g),
        Command::Graph(args) => graph::run(args, g),
        Command::Import(args) => import::run(args, g),
        Command::Export(args) => export::run(args, g),
        Command::Schema(args) => schema::run(args, g),
        Command::Completions(args) => docs::completions(args),
        Command::Man => docs::man(),
    }
}
