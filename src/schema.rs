//! JSON Schema (draft-07) of the YAML files, for editors.

use crate::model::{ProcedureFile, RulesFile};
use schemars::generate::SchemaSettings;

fn schema_for<T: schemars::JsonSchema>() -> serde_json::Value {
    let generator = SchemaSettings::draft07().into_generator();
    serde_json::to_value(generator.into_root_schema_for::<T>()).expect("schema serializes")
}

/// Schema of a file under `procedures/`.
pub fn procedures() -> String {
    serde_json::to_string_pretty(&schema_for::<ProcedureFile>()).expect("schema serializes") + "\n"
}

/// Schema of a file under `rules/`.
pub fn rules() -> String {
    serde_json::to_string_pretty(&schema_for::<RulesFile>()).expect("schema serializes") + "\n"
}

/// Both schemas in one JSON object keyed by file kind.
pub fn both() -> String {
    let v = serde_json::json!({ "procedures": schema_for::<ProcedureFile>(), "rules": schema_for::<RulesFile>() });
    serde_json::to_string_pretty(&v).expect("schema serializes") + "\n"
}
