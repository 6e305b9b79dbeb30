//! Writes a deterministic synthetic workspace: a realistic catalog of N procedures in K files,
//! with matching rules (facts, documents, databases, agencies, T tasks, a policy).
//!
//! ```text
//! cargo run --release --example synth -- --procedures 100000 --files 100 --tasks 1000 --out /tmp/ws
//! cargo run --release -- -C /tmp/ws check
//! ```

#[path = "../benches/common/mod.rs"]
mod common;

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;

/// Writes a synthetic paperwork workspace (same arguments, same bytes).
#[derive(Parser, Debug)]
#[command(name = "synth")]
struct Args {
    /// Number of procedures.
    #[arg(long, default_value_t = 1000)]
    procedures: usize,
    /// Number of procedure files.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    files: u32,
    /// Number of roadmap tasks.
    #[arg(long, default_value_t = 100)]
    tasks: usize,
    /// PRNG seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Workspace folder to write (`procedures/` and `rules/` inside).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Replace existing `procedures/` and `rules/` folders in DIR.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    for sub in ["procedures", "rules"] {
        let dir = args.out.join(sub);
        let occupied = std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some());
        if occupied && !args.force {
            eprintln!("error: `{}` is not empty; pass --force to replace it", dir.display());
            return ExitCode::from(2);
        }
        if occupied && let Err(e) = std::fs::remove_dir_all(&dir) {
            eprintln!("error: cannot remove `{}`: {e}", dir.display());
            return ExitCode::from(2);
        }
    }
    let cfg = common::Config { procedures: args.procedures, files: args.files as usize, tasks: args.tasks, seed: args.seed };
    let synth = common::generate(&cfg);
    if let Err(e) = synth.write(&args.out) {
        eprintln!("error: cannot write to `{}`: {e}", args.out.display());
        return ExitCode::from(2);
    }
    let s = &synth.summary;
    println!(
        "wrote {} procedures ({} components) in {} files, {} facts, {} documents ({} forms, {} locked), {} databases, \
         {} agencies ({} merged), {} tasks: {:.1} MB in {}",
        s.procedures,
        s.components,
        s.procedure_files,
        s.facts,
        s.documents,
        s.forms,
        s.locked,
        s.databases,
        s.agencies,
        s.merged_agencies,
        s.tasks,
        s.bytes as f64 / 1e6,
        args.out.display()
    );
    ExitCode::SUCCESS
}
