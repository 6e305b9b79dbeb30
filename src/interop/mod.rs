//! Other formats: the component sheet (import and export), CPSV-AP JSON-LD, and the graph as
//! dot, Mermaid or GraphML.

pub mod cpsv;
pub mod graph_export;
pub mod portal;
pub mod sheet;
