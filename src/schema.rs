//! JSON Schema (draft-07) of the YAML files, for editors.

use crate::model::{ProcedureFile, RulesFile};
use schemars::generate::SchemaSettings;

/// The draft-07 root schema of `T`.
pub(crate) fn schema_for<T: schemars::JsonSchema>() -> serde_json::Value {
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

/// One schema for any workspace file, for an editor to apply to every `.yaml` of a workspace: a
/// file is a procedures file or a rules file (`anyOf`), with both kinds' definitions.
pub fn both() -> String {
    let mut definitions = serde_json::Map::new();
    for (name, mut schema) in [("ProcedureFile", schema_for::<ProcedureFile>()), ("RulesFile", schema_for::<RulesFile>())] {
        let root = schema.as_object_mut().expect("a schema is an object");
        if let Some(serde_json::Value::Object(defs)) = root.remove("definitions") {
            // Both come from the same model types: a name defined twice is the same schema.
            definitions.extend(defs);
        }
        root.remove("$schema");
        definitions.insert(name.to_string(), schema);
    }
    let v = serde_json::json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "paperwork workspace file",
        "description": "A file under `procedures/` (a `procedures:` list) or under `rules/` (facts, documents, databases, agencies, tasks, policy).",
        "anyOf": [{ "$ref": "#/definitions/ProcedureFile" }, { "$ref": "#/definitions/RulesFile" }],
        "definitions": definitions,
    });
    serde_json::to_string_pretty(&v).expect("schema serializes") + "\n"
}
