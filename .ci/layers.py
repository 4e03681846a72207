#!/usr/bin/env python3
"""Fails when a file of src/ imports against the layers' direction (README, "Layout").

- domain/ is pure: no sea_orm, actix, tokio or entity, and nothing of the crate's other layers
  (store, service, web, bootstrap, state).
- domain/, store/ and service/ import nothing from web/ or bootstrap/, and no actix at all.
- The leaf modules every layer uses by design (i18n.rs, meters.rs, security.rs) import no actix
  and no layer but the pure domain; besides them only main.rs and lib.rs sit directly in src/.

Comments are ignored; test modules count too (a test may not pull a layer's code upward either).
"""
import pathlib, re, sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")
RULES = {
    "domain": [r"\bsea_orm\b", r"\bactix\w*\b", r"\btokio\b", r"\bentity::",
               r"crate::(store|service|web|bootstrap|state)\b"],
    "store": [r"\bactix\w*\b", r"crate::(web|bootstrap)\b"],
    "service": [r"\bactix\w*\b", r"crate::(web|bootstrap)\b"],
}
LEAVES = {"i18n.rs", "meters.rs", "security.rs"}
LEAF_RULE = [r"\bactix\w*\b", r"crate::(store|service|web|bootstrap|seed|outbox)\b"]
bad = []
for f in sorted(root.glob("*.rs")):
    if f.name not in LEAVES | {"main.rs", "lib.rs"}:
        bad.append(f"{f}: only main.rs, lib.rs and the leaf modules {sorted(LEAVES)} sit in src/; "
                   "put it in its layer's folder")
files = {layer: sorted((root / layer).rglob("*.rs")) for layer in RULES}
RULES["leaf"] = LEAF_RULE
files["leaf"] = [root / n for n in sorted(LEAVES)]
for layer, patterns in RULES.items():
    for f in files[layer]:
        for n, line in enumerate(f.read_text().splitlines(), 1):
            code = line.split("//", 1)[0]
            for p in patterns:
                m = re.search(p, code)
                if m:
                    bad.append(f"{f}:{n}: {layer} must not use `{m.group(0)}`: {line.strip()}")
if bad:
    print("\n".join(bad))
    print(f"{len(bad)} import(s) against the layers' direction")
    sys.exit(1)
print("layers: domain pure; domain, store and service import nothing from web or bootstrap; "
      "leaf modules import no layer")
