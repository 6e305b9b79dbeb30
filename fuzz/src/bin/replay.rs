//! Replays fuzz inputs on stable Rust, without libFuzzer: every file of the given folders (or
//! files) goes through the same check as the fuzz target. Exits 1 naming each input that failed.
//!
//! ```text
//! cargo run --release --manifest-path fuzz/Cargo.toml --bin replay -- fuzz/corpus/load
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.is_empty() {
        args.push(PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/load")));
    }
    let mut inputs = Vec::new();
    for a in &args {
        match std::fs::read_dir(a) {
            Ok(entries) => inputs.extend(entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file())),
            Err(_) => inputs.push(a.clone()),
        }
    }
    inputs.sort();
    // The panic message is printed by the default hook; we only count and name the input.
    let mut failed = Vec::new();
    for p in &inputs {
        let data = match std::fs::read(p) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("cannot read {}: {e}", p.display());
                return ExitCode::from(2);
            }
        };
        if std::panic::catch_unwind(|| paperwork_fuzz::check(&data)).is_err() {
            eprintln!("FAILED: {}", p.display());
            failed.push(p);
        }
    }
    println!("replayed {} inputs, {} failed", inputs.len(), failed.len());
    if failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
