//! HTML form bodies: kept as ordered pairs so repeated keys (checkboxes) survive.
use std::collections::BTreeMap;

use serde_json::Value;

use crate::domain::validation::Problems;

pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The trimmed value, `None` when absent or blank.
    pub fn text(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn checked(&self, key: &str) -> bool {
        self.text(key).is_some_and(|v| v != "0" && v != "false")
    }

    /// A whole number, or a problem recorded under `key`.
    pub fn number<T: std::str::FromStr>(&self, key: &str, problems: &mut Problems) -> Option<T> {
        let v = self.text(key)?;
        match v.replace(['.', ' '], "").parse() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.insert(key.to_string(), "v_number");
                None
            }
        }
    }

    /// Raw values as JSON, repeated keys becoming arrays; `skip` names fields that are not answers.
    pub fn to_answers(&self, skip: &[&str]) -> BTreeMap<String, Value> {
        let mut out: BTreeMap<String, Value> = BTreeMap::new();
        for (k, v) in &self.0 {
            if skip.contains(&k.as_str()) {
                continue;
            }
            match out.get_mut(k) {
                None => {
                    out.insert(k.clone(), Value::String(v.clone()));
                }
                Some(Value::Array(a)) => a.push(Value::String(v.clone())),
                Some(prev) => {
                    let first = prev.take();
                    *prev = Value::Array(vec![first, Value::String(v.clone())]);
                }
            }
        }
        out
    }

    pub fn values_map(&self) -> BTreeMap<String, String> {
        self.0.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}
