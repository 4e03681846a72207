#!/usr/bin/env python3
"""Fails when a file of src/ imports against the layers' direction (README, "Layout").

- domain/ is pure: no sea_orm, actix, tokio or entity, and nothing of the crate's other layers
  (store, service, web, bootstrap, state).
- domain/, store/ and service/ import nothing from web/ or bootstrap/, and no actix at all.

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
bad = []
for layer, patterns in RULES.items():
    for f in sorted((root / layer).rglob("*.rs")):
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
print("layers: domain pure; domain, store and service import nothing from web or bootstrap")
