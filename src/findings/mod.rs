//! The workspace as one petgraph graph (procedures, components, documents, facts, databases,
//! agencies and tasks with typed edges) and the queries beyond classification: procedure chains
//! and once-only gaps, unmet data demand, consolidation candidates, and how much of the catalog
//! the rules understand.

mod chains;
mod consolidation;
mod coverage;
mod graph;
mod interconnected;
mod unmet;

pub use chains::{Chain, ChainKind, ChainLink, Flow, chains, flows};
pub use consolidation::{Consolidation, consolidation};
pub use coverage::{CasedProcedure, Coverage, MAX_UNMAPPED, Mapping, Unmapped, coverage};
pub use graph::{Edge, Graph, Node, build};
pub use interconnected::{Interconnected, interconnected};
pub use unmet::{UnmetFact, unmet_facts};

use crate::engine::Analysis;
use crate::engine::lookup::Reach;
use crate::workspace::*;

/// What the procedure graph finds beyond classification, in the analysis document's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Findings {
    /// Procedure chains.
    pub chains: Vec<Chain>,
    /// Candidate interconnected services.
    pub interconnected: Vec<Interconnected>,
    /// Unmet data demand.
    pub unmet_facts: Vec<UnmetFact>,
    /// Consolidation candidates among merged agencies.
    pub consolidation: Vec<Consolidation>,
    /// How much of the catalog the rules understand.
    pub coverage: Coverage,
}

/// The findings of an analysis, worked out after it (see [`crate::pipeline::run`] for both at
/// once).
pub fn of(ws: &Workspace, a: &Analysis) -> Findings {
    groundwork(ws, &a.reach).findings(ws, a)
}

/// What the graph shows before any component is classified: the documents passed between
/// procedures, the services they could be joined into, and the consolidation candidates. The
/// plan of a roadmap runs largely on one core; worked out beside it, this keeps the other busy
/// (see [`crate::pipeline::run`]).
pub struct Groundwork {
    flows: Vec<Flow>,
    interconnected: Vec<Interconnected>,
    consolidation: Vec<Consolidation>,
}

/// Builds the graph as the analysis sees it (after `--assume`, agencies by their successor in
/// `reach`) and reads the flows, interconnected services and consolidation candidates off it.
pub fn groundwork(ws: &Workspace, reach: &Reach) -> Groundwork {
    let graph_part = || {
        let flows = flows(ws, &build(ws, reach));
        let interconnected = interconnected(ws, &flows);
        (flows, interconnected)
    };
    let ((flows, interconnected), consolidation) = rayon::join(graph_part, || consolidation(ws));
    Groundwork { flows, interconnected, consolidation }
}

impl Groundwork {
    /// The findings, once the components are classified: chains and unmet demand (which reads
    /// the classes alone) on both cores.
    pub fn findings(self, ws: &Workspace, a: &Analysis) -> Findings {
        let (chains, (unmet_facts, coverage)) = rayon::join(|| chains(ws, a, &self.flows), || (unmet_facts(ws, a), coverage(ws, a)));
        Findings { chains, interconnected: self.interconnected, unmet_facts, consolidation: self.consolidation, coverage }
    }
}
