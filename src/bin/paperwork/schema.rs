//! `paperwork schema`: the JSON Schema of the workspace's files.

use crate::common::{Global, emit};
use anyhow::Result;
use clap::ValueEnum;

/// Write the JSON Schema (draft-07) of procedure and rules files.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Which file kind.
    #[arg(value_enum, default_value_t = SchemaKind::Both)]
    kind: SchemaKind,
}

/// The file kinds with a schema.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaKind {
    Procedures,
    Rules,
    Both,
}

/// Prints the schema.
pub fn run(args: &Args, _: &Global) -> Result<u8> {
    let text = match args.kind {
        SchemaKind::Procedures => paperwork::schema::procedures(),
        SchemaKind::Rules => paperwork::schema::rules(),
        SchemaKind::Both => paperwork::schema::both(),
    };
    emit(&text)?;
    Ok(0)
}
