//! Output data: the JSON documents of the analysis and the roadmap and the summaries, built from
//! an [`crate::engine::Analysis`], and one renderer per format.

mod analysis;
pub mod explain;
pub mod folder;
pub mod html;
pub mod json;
mod roadmap;
mod summary;
pub mod table;
pub mod text;

pub use analysis::{AnalysisReport, AnalysisStream, ComponentReport, ProcedureReport, analysis_report, procedure_report};
pub use roadmap::{Phase0, PhaseReport, ProgressReport, RoadmapReport, StepReport, roadmap_report};
pub use summary::{GroupBy, GroupRow, Opportunity, Overview, ProcedureResult, ProcedureRow, group_rows, opportunities, overview};
