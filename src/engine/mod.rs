//! The engine: which databases each procedure may read ([`lookup`]), each component's status
//! ([`classify`]) and the roadmap of tasks ([`roadmap`]).

pub mod classify;
pub(crate) mod facts;
pub mod lookup;
pub mod roadmap;
