//! JSON read into a [`Value`] with every object's keys checked to be distinct.
//!
//! `serde_json::Value` keeps the last of two equal keys: an analysis naming `procedures` twice
//! would be read as its second list alone, and `diff` would report every procedure of the first
//! as removed. paperwork never writes a key twice, so such a file is refused, naming the key
//! and the object that repeats it.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt::{self, Write as _};

/// Parses `text`; a key given twice in one object is an error naming the key and where it is
/// (`procedures[3].documents[0]`), which serde_json follows with the line and column.
pub(crate) fn parse(text: &str) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Strict { at: None }.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// One step from the top of the document to a value.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Where a value is: its step and its container's place, `None` at the top.
struct Place<'a> {
    parent: Option<&'a Place<'a>>,
    step: Step<'a>,
}

/// `procedures[3].documents[0]`, or `the top-level object`.
fn describe(at: Option<&Place>) -> String {
    let mut steps = Vec::new();
    let mut p = at;
    while let Some(place) = p {
        steps.push(&place.step);
        p = place.parent;
    }
    if steps.is_empty() {
        return "the top-level object".to_string();
    }
    let mut path = String::new();
    for step in steps.into_iter().rev() {
        match step {
            Step::Key(k) if path.is_empty() => path.push_str(k),
            Step::Key(k) => {
                path.push('.');
                path.push_str(k);
            }
            Step::Index(i) => {
                let _ = write!(path, "[{i}]");
            }
        }
    }
    format!("`{path}`")
}

/// Reads one value at `at`.
#[derive(Clone, Copy)]
struct Strict<'a> {
    at: Option<&'a Place<'a>>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let place = Place { parent: self.at, step: Step::Index(items.len()) };
            match seq.next_element_seed(Strict { at: Some(&place) })? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // Refused at the second key, before its value is read: the position serde_json
            // adds points at it.
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!("`{key}` appears twice in {}", describe(self.at))));
            }
            let place = Place { parent: self.at, step: Step::Key(&key) };
            let value = map.next_value_seed(Strict { at: Some(&place) })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_serde_json_reads_them() {
        let text = r#"{"a": [1, -2, 2.5, "x", null, true, {"b": {}}], "c": 18446744073709551615}"#;
        assert_eq!(parse(text).unwrap(), serde_json::from_str::<Value>(text).unwrap());
        assert!(parse("{} {}").is_err(), "trailing text");
        assert!(parse(&"[".repeat(200)).is_err(), "nesting is limited as serde_json limits it");
    }

    #[test]
    fn a_key_given_twice_is_named_with_its_object() {
        let err = |text: &str| parse(text).unwrap_err().to_string();
        assert_eq!(
            err(r#"{"procedures": [1], "procedures": []}"#),
            "`procedures` appears twice in the top-level object at line 1 column 32"
        );
        assert_eq!(
            err(r#"{"procedures": [{"id": "a"}, {"id": "b", "x": {"k": 1, "k": 2}}]}"#),
            "`k` appears twice in `procedures[1].x` at line 1 column 58"
        );
        assert!(parse(r#"{"a": {"k": 1}, "b": {"k": 1}}"#).is_ok(), "the same key in two objects");
    }
}
