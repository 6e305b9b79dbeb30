//! The floor for `paperwork analyze`: reads every YAML file of a workspace and parses it into
//! the model types with the loader's exact serde-saphyr settings, in parallel as the loader
//! does, and nothing else. Timed beside `analyze` in docs/performance.md.
//!
//! ```text
//! cargo run --release --example parse_only -- /tmp/ws
//! ```

use paperwork::load::yaml_options;
use paperwork::model::{ProcedureFile, RulesFile};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The same allocator as the `paperwork` binary, so the floor is measured like for like.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && matches!(e.path().extension().and_then(|x| x.to_str()), Some("yaml" | "yml")))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

fn main() -> ExitCode {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    // Read in path order, then parse in parallel: the loader's shape.
    let read = |paths: Vec<PathBuf>| -> Vec<(PathBuf, String)> {
        paths
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
                (p, text)
            })
            .collect()
    };
    let rules = read(yaml_files(&root.join("rules")));
    let procs = read(yaml_files(&root.join("procedures")));
    // Rules and procedures at once, as the loader parses them.
    let (rule_errors, parsed): (usize, Vec<Result<ProcedureFile, _>>) = rayon::join(
        || {
            rules
                .par_iter()
                .map(|(p, t)| match serde_saphyr::from_str_with_options::<RulesFile>(t, yaml_options()) {
                    Ok(_) => 0,
                    Err(e) => {
                        eprintln!("{}: {e}", p.display());
                        1
                    }
                })
                .sum()
        },
        || procs.par_iter().map(|(_, t)| serde_saphyr::from_str_with_options::<ProcedureFile>(t, yaml_options())).collect(),
    );
    let mut count = 0;
    let mut errors = rule_errors;
    for ((p, _), r) in procs.iter().zip(&parsed) {
        match r {
            Ok(f) => count += f.procedures.len(),
            Err(e) => {
                eprintln!("{}: {e}", p.display());
                errors += 1;
            }
        }
    }
    println!("parsed {} rules files and {} procedure files ({count} procedures), {errors} failed", rules.len(), procs.len());
    // Like the `paperwork` binary, leave the parsed files to the operating system: freeing them
    // piece by piece takes about 0.13 s, which is not parsing and would flatter every ratio.
    std::mem::forget((parsed, procs, rules));
    if errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
