//! `serves` selectors of databases and of tasks' effects: `all`, `level:…`, `agency:…`,
//! `sector:…`, `procedure:…`.

use super::{Context, at, merged_warning, resolve};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::model::{Level, Text};
use crate::workspace::{Interner, ProcId, SectorId, Selector};
use std::collections::BTreeSet;

/// Parses selectors against the rules and the registered procedures.
pub(super) struct Selectors<'a> {
    cx: &'a Context<'a>,
    procedures: &'a Interner<ProcId>,
    /// The sectors procedures name; a selector naming another matches nothing.
    known: BTreeSet<String>,
    /// Every sector, the procedures' first, then those only selectors name.
    sectors: Interner<SectorId>,
}

impl<'a> Selectors<'a> {
    /// Selectors over the registered procedures and their sectors.
    pub(super) fn new(cx: &'a Context<'a>, procedures: &'a Interner<ProcId>, sectors: Interner<SectorId>) -> Self {
        Selectors { cx, procedures, known: sectors.names().map(str::to_string).collect(), sectors }
    }

    /// Every sector named, for the workspace.
    pub(super) fn into_sectors(self) -> Interner<SectorId> {
        self.sectors
    }

    /// One selector of `owner`, warning when it names a merged agency.
    pub(super) fn parse(&mut self, file: &str, t: &Text, owner: &str, diags: &mut Vec<Diagnostic>) -> Option<Selector> {
        let sel = self.selector(file, t, owner, diags)?;
        if let Selector::Agency(a) = sel {
            merged_warning(file, t, a, self.cx.agencies, || "selector".to_string(), self.cx.as_of, diags);
        }
        Some(sel)
    }

    fn selector(&mut self, file: &str, t: &Text, owner: &str, diags: &mut Vec<Diagnostic>) -> Option<Selector> {
        let v = t.value.trim();
        let (kind, arg) = v.split_once(':').map_or((v, ""), |(k, a)| (k.trim(), a.trim()));
        let arg_text = Text { value: arg.to_string(), ..t.clone() };
        let ctx = format!("`serves` of {owner}");
        let bad = |diags: &mut Vec<Diagnostic>, help: String| {
            diags.push(
                Diagnostic::new(Code::InvalidSelector, format!("selector `{}` in {ctx} is not valid", t.value), Some(at(file, t)))
                    .help(help),
            );
            None
        };
        match kind {
            "all" if arg.is_empty() => Some(Selector::All),
            "level" => match arg {
                "central" => Some(Selector::Level(Level::Central)),
                "province" => Some(Selector::Level(Level::Province)),
                "commune" => Some(Selector::Level(Level::Commune)),
                "other" => Some(Selector::Level(Level::Other)),
                _ => bad(diags, "levels are `central`, `province`, `commune` and `other`".into()),
            },
            "agency" => resolve(self.cx.agency_ids, "agency", file, &arg_text, &ctx, diags).map(Selector::Agency),
            "sector" if !arg.is_empty() => Some(self.sector(file, t, arg, &ctx, diags)),
            "procedure" => resolve(self.procedures, "procedure", file, &arg_text, &ctx, diags).map(Selector::Procedure),
            _ => {
                let help = did_you_mean(kind, ["all", "level", "agency", "sector", "procedure"]).unwrap_or_else(|| {
                    "write `all`, `level:<central|province|commune|other>`, `agency:<id>`, `sector:<id>` or `procedure:<id>`".to_string()
                });
                bad(diags, help)
            }
        }
    }

    /// `sector:ARG`, warning when no procedure has the sector.
    fn sector(&mut self, file: &str, t: &Text, arg: &str, ctx: &str, diags: &mut Vec<Diagnostic>) -> Selector {
        if !self.known.contains(arg) {
            let help =
                did_you_mean(arg, self.known.iter().map(String::as_str)).unwrap_or_else(|| "no procedure has this sector yet".to_string());
            diags.push(
                Diagnostic::new(
                    Code::UnmatchedSelector,
                    format!("selector `{}` in {ctx} matches no procedure", t.value),
                    Some(at(file, t)),
                )
                .help(help),
            );
        }
        Selector::Sector(self.sectors.intern(arg))
    }
}
