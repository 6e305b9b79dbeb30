//! The command line's own copies of the library's choice enums, so that clap stays out of
//! the library. Names and doc comments match the library's: they are the values and help
//! text users see.

use clap::ValueEnum;
use paperwork::interop::graph_export;
use paperwork::report::{self, text};
use paperwork::workspace;

/// Declares a clap value enum and its conversion into the library enum of the same variants.
macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident => $lib:ty { $($(#[$vmeta:meta])* $variant:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl From<$name> for $lib {
            fn from(v: $name) -> Self {
                match v {
                    $($name::$variant => <$lib>::$variant,)*
                }
            }
        }
    };
}

mirror! {
    /// Output formats.
    Format => text::Format {
        /// Aligned tables for a terminal or a memo.
        Table,
        /// Complete, stable JSON.
        Json,
        /// Comma-separated values, one row per component (analyze) or step (roadmap).
        Csv,
        /// Markdown.
        Md,
    }
}

mirror! {
    /// Grouping for summaries.
    GroupBy => report::GroupBy {
        /// One row per procedure.
        Procedure,
        /// By agency (after mergers as of `as_of`).
        Agency,
        /// By sector.
        Sector,
        /// By level.
        Level,
        /// By life event (a procedure counts under each of its events).
        LifeEvent,
    }
}

mirror! {
    /// Graph output formats.
    GraphFormat => graph_export::GraphFormat {
        /// Graphviz (`dot -Tsvg`).
        Dot,
        /// Mermaid flowchart (Markdown, GitHub, GitLab).
        Mermaid,
        /// GraphML (yEd, Gephi, NetworkX).
        Graphml,
    }
}

mirror! {
    /// Language for names in output.
    Lang => workspace::Lang {
        /// The catalog's own names (Vietnamese in the sample).
        Vi,
        /// English names.
        En,
    }
}
