//! `paperwork completions` and `paperwork man`: the command line's own documentation.

use crate::Cli;
use crate::common::emit;
use anyhow::Result;
use clap::CommandFactory;

/// Print shell completions.
#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

/// Prints the completion script for the shell.
pub fn completions(args: &CompletionsArgs) -> Result<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "paperwork", &mut buf);
    emit(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}

/// Prints the man page.
pub fn man() -> Result<u8> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    emit(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}
