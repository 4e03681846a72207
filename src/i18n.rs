//! Interface language: Bahasa Indonesia by default, English on request.
//! Chosen by `?lang=`, then the `lang` cookie, then `Accept-Language`.
//! The texts live in `locales/id.json` and `locales/en.json` (key → text), embedded at build time.
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// The Bahasa Indonesia or the English one of a pair, e.g. `lang.pick(c.name_id, c.name_en)`.
    pub fn pick<T>(self, id: T, en: T) -> T {
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().get(..2).map(|s| s.to_ascii_lowercase()).as_deref() {
            Some("id") => Some(Lang::Id),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// Translate `key`. An unknown key gives [`MISSING`] (and a warning naming the key), so a gap
    /// is visible, not fatal, and costs no memory.
    pub fn t(self, key: &str) -> &'static str {
        match texts(self).map.get(key) {
            Some(text) => text,
            None => {
                warn_missing(key);
                MISSING
            }
        }
    }

    /// The whole dictionary, for templates (`{{ t.key }}`).
    pub fn dict_json(self) -> &'static serde_json::Value {
        &texts(self).json
    }
}

/// What [`Lang::t`] gives for a key that has no text.
pub const MISSING: &str = "⟦missing text⟧";

const ID_JSON: &str = include_str!("../locales/id.json");
const EN_JSON: &str = include_str!("../locales/en.json");

struct Texts {
    map: HashMap<String, String>,
    json: serde_json::Value,
}

fn texts(lang: Lang) -> &'static Texts {
    static ID: OnceLock<Texts> = OnceLock::new();
    static EN: OnceLock<Texts> = OnceLock::new();
    let (cell, file, src) = match lang {
        Lang::Id => (&ID, "locales/id.json", ID_JSON),
        Lang::En => (&EN, "locales/en.json", EN_JSON),
    };
    cell.get_or_init(|| {
        let map: HashMap<String, String> = serde_json::from_str(src)
            .unwrap_or_else(|e| panic!("{file} is not a JSON object of texts: {e}"));
        let json = serde_json::to_value(&map).expect("string map serialises");
        Texts { map, json }
    })
}

/// Warns once per unknown key; remembers at most a few hundred keys so odd input cannot grow it.
fn warn_missing(key: &str) {
    static WARNED: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
    let warned = warned.get_or_insert_with(HashSet::new);
    if warned.contains(key) {
        return;
    }
    if warned.len() < 256 {
        warned.insert(key.to_string());
    }
    tracing::warn!(key, "missing translation");
}

#[cfg(test)]
mod tests;
