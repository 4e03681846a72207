//! The locale files against the code: the same keys in both languages, sorted and non-empty,
//! every key a template or the code uses present (dynamic families listed from the code that
//! makes their values), and one way of addressing the reader.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::*;

fn parsed(src: &str) -> BTreeMap<String, String> {
    serde_json::from_str(src).expect("a JSON object of texts")
}

fn keys() -> BTreeSet<String> {
    parsed(ID_JSON).into_keys().collect()
}

fn files(dir: &Path, ext: &[&str], out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("readable directory") {
        let p = e.expect("directory entry").path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|x| ext.iter().any(|e| x == *e)) {
            out.push(p);
        }
    }
    out.sort();
}

fn read_tree(dir: &str, ext: &[&str]) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![];
    files(&root.join(dir), ext, &mut paths);
    assert!(!paths.is_empty(), "no files under {dir}");
    paths
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(root).unwrap().display().to_string();
            (name, std::fs::read_to_string(&p).expect("UTF-8 file"))
        })
        .collect()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn ident(s: &str) -> &str {
    &s[..s.find(|c: char| !is_ident(c)).unwrap_or(s.len())]
}

/// The keys of a dynamic family (`"status_" ~ i.status`), from the code that produces the values.
fn family(prefix: &str) -> Option<Vec<String>> {
    use crate::domain::{complaint, training};
    let values: Vec<&str> = match prefix {
        "status_" => complaint::Status::ALL.map(|s| s.as_str()).to_vec(),
        "action_" => complaint::Action::STAFF
            .iter()
            .chain(&[complaint::Action::Reopen])
            .map(|a| a.as_str())
            .collect(),
        "kind_" => complaint::KINDS.to_vec(),
        "c_due_" => complaint::NEXT_STEPS.to_vec(),
        "tr_s_" => training::lifecycle::STATUSES.to_vec(),
        "ok_" => crate::web::flash::OPS.to_vec(),
        "c_ev_" => complaint::EVENT_KINDS.to_vec(),
        "prio_" => crate::service::complaints::PRIORITIES.to_vec(),
        "tr_ev_" => training::lifecycle::EVENT_KINDS.to_vec(),
        "tr_test_" => training::impact::TESTS.to_vec(),
        "tr_ck_" => training::COMPETENCY_KINDS.to_vec(),
        "tr_f_" => training::FORMS.to_vec(),
        "tr_m_" => training::METHODS.to_vec(),
        "sv_s_" => {
            use crate::store::surveys::{DRAFT, PUBLISHED, RETIRED};
            vec![DRAFT, PUBLISHED, RETIRED]
        }
        "unit_kind_" => crate::domain::registry::UNIT_KINDS.to_vec(),
        "fu_status_" => crate::domain::follow_up::STATUSES.to_vec(),
        "fu_kind_" => crate::domain::follow_up::KINDS.to_vec(),
        "nd_level_" | "kp_reaction_" => vec!["1", "2", "3", "4"],
        "kp_verdict_" => vec!["changed", "little_change", "insufficient_data"],
        "nd_method_" => crate::service::employees::needs::METHODS.to_vec(),
        "fu_effect_" => vec![
            "effective",
            "no_significant_change",
            "worse",
            "insufficient_data",
        ],
        "notify_" | "c_news_by_" => crate::domain::citizen_news::NewsChannel::ALL
            .map(|c| c.as_str())
            .to_vec(),
        "tr_l_" => {
            let mut v: Vec<&str> = (0..=100)
                .map(|p| training::engine::level(f64::from(p) / 10.0))
                .collect();
            v.dedup();
            v
        }
        "tr_i_" => {
            use training::ImpactLabel as L;
            // A new label fails to compile here until it is listed (and given a text).
            let all = [
                L::Effective,
                L::NoSignificantChange,
                L::Worse,
                L::NotEnoughData,
            ];
            for l in all {
                match l {
                    L::Effective | L::NoSignificantChange | L::Worse | L::NotEnoughData => {}
                }
            }
            all.map(|l| l.as_str()).to_vec()
        }
        _ => return None,
    };
    Some(values.iter().map(|v| format!("{prefix}{v}")).collect())
}

#[test]
fn locales_have_the_same_keys_and_no_empty_text() {
    let id = parsed(ID_JSON);
    let en = parsed(EN_JSON);
    let only_id: Vec<_> = id.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<_> = en.keys().filter(|k| !id.contains_key(*k)).collect();
    assert!(only_id.is_empty(), "only in id.json: {only_id:?}");
    assert!(only_en.is_empty(), "only in en.json: {only_en:?}");
    for (file, m) in [("id", &id), ("en", &en)] {
        let empty: Vec<_> = m.iter().filter(|(_, v)| v.trim().is_empty()).collect();
        assert!(empty.is_empty(), "empty texts in {file}.json: {empty:?}");
        assert!(
            m.keys().all(|k| !k.is_empty() && k.chars().all(is_ident)),
            "keys are identifiers (templates read them as t.key)"
        );
    }
}

#[test]
fn locales_are_sorted_and_pretty_printed() {
    // One key per line in key order, so a diff shows exactly the texts that changed.
    for (file, src) in [("id", ID_JSON), ("en", EN_JSON)] {
        let canonical = serde_json::to_string_pretty(&parsed(src)).unwrap() + "\n";
        assert!(
            src == canonical,
            "locales/{file}.json is not sorted, pretty-printed JSON (or holds a duplicate key)"
        );
    }
}

#[test]
fn every_key_used_in_templates_exists() {
    let keys = keys();
    let mut missing = BTreeSet::new();
    let mut checked = 0;
    for (file, text) in read_tree("templates", &["html", "txt"]) {
        let mut lists: HashMap<String, Vec<String>> = HashMap::new();
        let mut rest = text.as_str();
        while let Some(open) = rest.find(['{']) {
            rest = &rest[open + 1..];
            let close = match rest.chars().next() {
                Some('{') => "}}",
                Some('%') => "%}",
                _ => continue,
            };
            let end = rest
                .find(close)
                .unwrap_or_else(|| panic!("{file}: unclosed tag"));
            let tag = rest[1..end].trim().trim_matches('-').trim();
            rest = &rest[end + 2..];
            let mut used = vec![];
            // `t.key` and `t["key"]`, where `t` is not the tail of another name.
            for (i, _) in tag.match_indices('t') {
                if tag[..i].ends_with(|c: char| is_ident(c) || c == '.') {
                    continue;
                }
                let after = &tag[i + 1..];
                if let Some(k) = after.strip_prefix('.') {
                    used.push(ident(k).to_string());
                } else if let Some(k) = after.strip_prefix("[\"") {
                    used.push(k[..k.find('"').unwrap()].to_string());
                }
            }
            // `for x in ["a", "b"]` binds x to literals until the next loop over x.
            if let Some(f) = tag.strip_prefix("for ") {
                let (var, src) = f.split_once(" in ").unwrap_or((f, ""));
                let var = var.trim().to_string();
                match src.trim().strip_prefix('[') {
                    Some(list) => {
                        let items = list.trim_end_matches(']').split(',');
                        let items = items.map(|s| s.trim().trim_matches('"').to_string());
                        lists.insert(var, items.collect());
                    }
                    None => {
                        lists.remove(&var);
                    }
                }
            }
            // `set k = "prefix" ~ x | replace(from=".", to="_")`, read as `t[k]` later.
            if let Some(s) = tag.strip_prefix("set ") {
                let Some((var, expr)) = s.split_once('=') else {
                    continue;
                };
                let var = var.trim();
                if !text.contains(&format!("t[{var}]")) {
                    continue;
                }
                let (prefix, value) = expr
                    .trim()
                    .strip_prefix('"')
                    .and_then(|e| e.split_once('"'))
                    .and_then(|(p, v)| Some((p, v.trim().strip_prefix('~')?)))
                    .unwrap_or_else(|| panic!("{file}: {tag}: expected \"prefix\" ~ value"));
                let mut parts = value.split('|');
                let value = parts.next().unwrap().trim();
                let mut replace: Option<(String, String)> = None;
                for filter in parts {
                    let filter = filter.trim();
                    let args = filter
                        .strip_prefix("replace(from=\"")
                        .and_then(|a| a.strip_suffix("\")"))
                        .unwrap_or_else(|| panic!("{file}: {tag}: unexpected filter"));
                    let (from, to) = args.split_once("\", to=\"").unwrap();
                    replace = Some((from.into(), to.into()));
                }
                let keys = match (lists.get(value), family(prefix)) {
                    (Some(items), _) => items.iter().map(|i| format!("{prefix}{i}")).collect(),
                    (None, Some(family)) => family,
                    (None, None) => panic!(
                        "{file}: {tag}: a dynamic key with an unknown family; list its values in family()"
                    ),
                };
                used.extend(keys.into_iter().map(|k| match &replace {
                    Some((from, to)) => k.replace(from.as_str(), to),
                    None => k,
                }));
            }
            for k in used {
                checked += 1;
                if !keys.contains(&k) {
                    missing.insert(format!("{k} ({file})"));
                }
            }
        }
    }
    assert!(checked > 300, "the scan found only {checked} uses");
    assert!(
        missing.is_empty(),
        "texts missing from locales/: {missing:#?}"
    );
}

#[test]
fn every_key_used_in_rust_code_exists() {
    let keys = keys();
    let mut missing = BTreeSet::new();
    let mut checked = 0;
    for (file, text) in read_tree("src", &["rs"]) {
        // The dictionary itself and these tests name keys only as examples.
        if Path::new(&file).starts_with("src/i18n") || file.ends_with("i18n.rs") {
            continue;
        }
        // `lang.t("key")`
        for (i, _) in text.match_indices(".t(\"") {
            let k = &text[i + 4..];
            let k = &k[..k.find('"').unwrap()];
            checked += 1;
            if !keys.contains(k) {
                missing.insert(format!("{k} ({file})"));
            }
        }
        // Problem keys: every literal "v_…" / "tr_v_…" names a validation message.
        for (i, _) in text.match_indices('"') {
            let lit = &text[i + 1..];
            if !(lit.starts_with("v_") || lit.starts_with("tr_v_")) || text[..i].ends_with(is_ident)
            {
                continue;
            }
            let k = ident(lit);
            if lit[k.len()..].starts_with('"') {
                checked += 1;
                if !keys.contains(k) {
                    missing.insert(format!("{k} ({file})"));
                }
            }
        }
    }
    // Keys built at run time: `format!("status_{}", …)` and the like.
    for prefix in ["status_", "action_", "kind_", "ok_", "unit_kind_"] {
        for k in family(prefix).unwrap() {
            checked += 1;
            if !keys.contains(&k) {
                missing.insert(format!("{k} (family {prefix})"));
            }
        }
    }
    assert!(checked > 150, "the scan found only {checked} uses");
    assert!(
        missing.is_empty(),
        "texts missing from locales/: {missing:#?}"
    );
}

#[test]
fn the_reader_is_addressed_as_anda() {
    // One polite form throughout: "Anda", capitalised. "saya" only where the citizen speaks
    // (the text they share), never as a label the page says to them.
    let speaks = ["c_share_text"];
    for (k, v) in parsed(ID_JSON) {
        for w in v.split(|c: char| !c.is_alphanumeric()) {
            let other = [
                "kamu", "Kamu", "anda", "Saudara", "saudara", "engkau", "kau",
            ];
            assert!(!other.contains(&w), "{k}: {v:?} says {w:?}; use \"Anda\"");
            let own = w.eq_ignore_ascii_case("saya") && !speaks.contains(&k.as_str());
            assert!(
                !own,
                "{k}: {v:?} speaks as the citizen; address them as \"Anda\""
            );
        }
    }
}

#[test]
fn an_unknown_key_gives_the_marker() {
    let key = String::from("no_such_key");
    assert_eq!(Lang::En.t(&key), MISSING);
    assert_eq!(Lang::Id.t(&key), MISSING);
    assert_eq!(Lang::Id.t("login_submit"), "Masuk");
    assert_eq!(Lang::En.dict_json()["login_submit"], "Log in");
}

#[test]
fn parse_accept_language() {
    assert_eq!(Lang::parse("en-US"), Some(Lang::En));
    assert_eq!(Lang::parse("id"), Some(Lang::Id));
    assert_eq!(Lang::parse("fr"), None);
    assert_eq!(Lang::En.t("login_submit"), "Log in");
}

#[test]
fn pick_takes_the_language_of_the_pair() {
    assert_eq!(Lang::Id.pick("Masuk", "Log in"), "Masuk");
    assert_eq!(Lang::En.pick("Masuk", "Log in"), "Log in");
}
