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

/// Prints the man page: one page for the whole tool, its commands listed in it with what each
/// does (clap_mangen's own list points to a page per command, which nobody installs).
pub fn man() -> Result<u8> {
    let cmd = Cli::command();
    let page = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    page.render_title(&mut buf)?;
    page.render_name_section(&mut buf)?;
    page.render_synopsis_section(&mut buf)?;
    page.render_description_section(&mut buf)?;
    page.render_options_section(&mut buf)?;
    buf.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        let line = format!(".TP\n\\fBpaperwork {}\\fR\n{}\n", sub.get_name(), roff_text(&about));
        buf.extend_from_slice(line.as_bytes());
    }
    buf.extend_from_slice(b".PP\nEach command's options: \\fBpaperwork COMMAND \\-\\-help\\fR.\n");
    page.render_version_section(&mut buf)?;
    emit(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}

/// Text for a roff paragraph: backslashes and hyphens escaped, and a leading dot or quote kept
/// from being read as a request.
fn roff_text(s: &str) -> String {
    let escaped = s.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) { format!("\\&{escaped}") } else { escaped }
}
