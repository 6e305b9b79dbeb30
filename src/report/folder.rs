//! The report folder (`paperwork report`): the files it holds. [`crate::files`] writes them,
//! whole or not at all and never over the workspace or its inputs.

use crate::files::{FolderFile, Writer};
use crate::report::table::Layout;
use crate::report::text;
use crate::report::{AnalysisReport, RoadmapReport};
use crate::workspace::{Lang, Workspace};

/// Byte-order mark that makes spreadsheets read a CSV as UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Every file of the report, to be made as it is written. `excel` puts a byte-order mark
/// before the CSVs.
pub fn report_files<'a>(ws: &'a Workspace, a: &'a AnalysisReport, r: &'a RoadmapReport, lang: Lang, excel: bool) -> Vec<FolderFile<'a>> {
    let file = |name, write: Writer<'a>| FolderFile::new(name, write);
    let bom = move |w: &mut dyn std::io::Write| if excel { w.write_all(BOM) } else { Ok(()) };
    vec![
        file("index.html", Box::new(move |w| w.write_all(crate::report::html::index(ws, a, r, lang).as_bytes()))),
        // `files::write_folder` buffers every file.
        file("analysis.json", Box::new(move |w| a.write_json(w).map(drop))),
        file("roadmap.json", Box::new(move |w| text::write_json(w, r))),
        file("components.csv", Box::new(move |w| bom(w).and_then(|_| w.write_all(text::analysis_csv(a).as_bytes())))),
        file("roadmap.csv", Box::new(move |w| bom(w).and_then(|_| w.write_all(text::roadmap_csv(r).as_bytes())))),
        file(
            "summary.md",
            Box::new(move |w| {
                let summary = text::analysis_text(
                    ws,
                    &crate::report::Overview::of_report(ws, a, crate::report::GroupBy::Sector, lang),
                    lang,
                    Layout::MARKDOWN,
                ) + "\n"
                    + &text::roadmap_text(ws, r, lang, Layout::MARKDOWN, false);
                w.write_all(summary.as_bytes())
            }),
        ),
    ]
}
