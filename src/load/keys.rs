//! Every unknown key of a file at once. The file types refuse unknown keys, and a refusal ends
//! the file's parse at the first; a second pass reads the file as plain mappings and lists
//! with the place of each key, and compares its keys with those the file's JSON Schema allows,
//! so that a misspelt key does not hide the next one.

use crate::model::Located;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A YAML value reduced to what key checking needs.
enum Node {
    Map(Vec<(Located<String>, Node)>),
    Seq(Vec<Node>),
    Scalar,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Located<String>>()? {
            entries.push((key, map.next_value::<Node>()?));
        }
        Ok(Node::Map(entries))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element::<Node>()? {
            items.push(n);
        }
        Ok(Node::Seq(items))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_str<E>(self, _: &str) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
}

/// The keys of `text` that `schema` (a draft-07 root schema) does not allow, in file order,
/// each with the keys allowed where it stands. Empty when the text does not read as YAML.
pub(super) fn unknown_keys(text: &str, schema: &Value) -> Vec<(Located<String>, Vec<String>)> {
    let Ok(node) = serde_saphyr::from_str_with_options::<Node>(text, super::parse::yaml_options()) else {
        return Vec::new();
    };
    let defs = schema.get("definitions").cloned().unwrap_or(Value::Null);
    let mut out = Vec::new();
    walk(&node, schema, &defs, &mut out, 0);
    out
}

/// The schema `s` stands for: its `$ref` followed, and of an `anyOf` (an optional value) the
/// first alternative that describes an object or a list.
fn resolve<'a>(s: &'a Value, defs: &'a Value) -> &'a Value {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/definitions/");
        return defs.get(name).map_or(s, |d| resolve(d, defs));
    }
    if let Some(alts) = s.get("anyOf").and_then(Value::as_array) {
        let structured = |a: &&Value| {
            let a = resolve(a, defs);
            a.get("properties").is_some() || a.get("items").is_some()
        };
        if let Some(a) = alts.iter().find(structured) {
            return resolve(a, defs);
        }
    }
    s
}

fn walk(node: &Node, schema: &Value, defs: &Value, out: &mut Vec<(Located<String>, Vec<String>)>, depth: usize) {
    // The parser's nesting limit already bounds the depth; this is belt and braces.
    if depth > 64 {
        return;
    }
    let s = resolve(schema, defs);
    match node {
        Node::Map(entries) => {
            let Some(props) = s.get("properties").and_then(Value::as_object) else { return };
            let closed = s.get("additionalProperties") == Some(&Value::Bool(false));
            for (key, value) in entries {
                match props.get(&key.value) {
                    Some(p) => walk(value, p, defs, out, depth + 1),
                    None if closed => out.push((key.clone(), props.keys().cloned().collect())),
                    None => {}
                }
            }
        }
        Node::Seq(items) => {
            if let Some(item) = s.get("items") {
                items.iter().for_each(|n| walk(n, item, defs, out, depth + 1));
            }
        }
        Node::Scalar => {}
    }
}

/// `text` with the entries of these keys blanked out: each key and its value become spaces, so
/// that every other byte, line and column stays where it was and later diagnostics point right.
///
/// In a flow mapping (`{ id: x, anual_volume: 5 }`) the entry runs to the next comma or closing
/// bracket at its depth; in a block mapping, to the end of its line and over the lines indented
/// deeper than the key.
pub(super) fn without(text: &str, keys: &[&Located<String>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for key in keys {
        let start = key.offset as usize;
        if start >= bytes.len() {
            continue;
        }
        let before = text[..start].trim_end_matches([' ', '\t']);
        let end =
            if before.ends_with(['{', ',']) { flow_entry_end(text, start) } else { block_entry_end(text, start, key.column as usize) };
        // The last entry of a flow mapping takes the comma before it along.
        if text[end..].starts_with(['}', ']']) && before.ends_with(',') {
            spaces(&mut bytes[before.len() - 1..before.len()]);
        }
        spaces(&mut bytes[start..end]);
    }
    // Only ASCII bytes and whole characters were replaced by spaces.
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// Where a flow entry starting at `start` ends: after its comma, or at the bracket that closes
/// its mapping, outside quotes and nested brackets.
fn flow_entry_end(text: &str, start: usize) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text[start..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') if depth == 0 => return start + i,
            (None, '}' | ']') => depth -= 1,
            (None, ',') if depth == 0 => return start + i + 1,
            _ => {}
        }
    }
    text.len()
}

/// Where a block entry whose key starts at `start`, in 1-based `column`, ends: the end of its
/// line, then every following line that is blank, a comment, or indented deeper than the key.
fn block_entry_end(text: &str, start: usize, column: usize) -> usize {
    let mut end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    while end < text.len() {
        let line_start = end + 1;
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        let body = line.trim_start_matches(' ');
        let deeper = line.len() - body.len() >= column;
        if !(deeper || body.trim().is_empty() || body.starts_with('#')) {
            break;
        }
        end = line_end;
    }
    end
}

/// The byte ranges of the entries of the file's top-level block lists (`procedures:` followed by
/// `- …` entries), each from its dash to the next entry or top-level key. Entries written in
/// flow style (`procedures: [ … ]`) are not found.
pub(super) fn list_items(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut items = Vec::new();
    let mut indent: Option<usize> = None;
    let mut open: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches(' ');
        let depth = line.len() - body.len();
        let is_item = body.starts_with("- ") || body.trim_end() == "-";
        let is_top_key = depth == 0 && !is_item && !body.trim().is_empty() && !body.starts_with('#');
        if is_top_key || (is_item && indent.is_none_or(|i| i == depth)) {
            if let Some(start) = open.take() {
                items.push(start..offset);
            }
            if is_top_key {
                indent = None;
            } else {
                indent = Some(depth);
                open = Some(offset);
            }
        }
        offset += line.len();
    }
    if let Some(start) = open {
        items.push(start..offset);
    }
    items
}

/// The byte offset where 1-based `line` of `text` starts.
pub(super) fn line_offset(text: &str, line: u32) -> Option<usize> {
    if line == 0 {
        return None;
    }
    if line == 1 {
        return Some(0);
    }
    text.match_indices('\n').nth(line as usize - 2).map(|(i, _)| i + 1)
}

/// Blanks `range` of `text` out: every byte but line breaks becomes a space.
pub(super) fn blank(text: &mut String, range: std::ops::Range<usize>) {
    let mut bytes = std::mem::take(text).into_bytes();
    spaces(&mut bytes[range]);
    *text = String::from_utf8(bytes).expect("a range of whole lines replaced by spaces");
}

/// Every byte but line breaks made a space, so that lines and columns around stay in place.
fn spaces(bytes: &mut [u8]) {
    for b in bytes.iter_mut().filter(|b| **b != b'\n' && **b != b'\r') {
        *b = b' ';
    }
}
