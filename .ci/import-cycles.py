#!/usr/bin/env python3
"""Fails when two files of src/ import each other, directly or round a loop.

Reads `crate::…`, `super::…` and child-module paths in every .rs file (test modules and comments
aside), resolves each to the file that holds that module, and reports strongly connected
components of that graph. A mod.rs declaring its children is not an import.
"""
import re, pathlib, sys
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else 'src')
mods = {}  # module path tuple -> file
for f in root.rglob('*.rs'):
    rel = f.relative_to(root).with_suffix('')
    parts = list(rel.parts)
    if parts[-1] in ('mod', 'lib', 'main'):
        parts = parts[:-1]
    mods[tuple(parts)] = str(f)
def resolve(path):
    # longest prefix that is a module
    for i in range(len(path), 0, -1):
        if tuple(path[:i]) in mods:
            return tuple(path[:i])
    return None
edges = {m: set() for m in mods}
for m, f in mods.items():
    text = pathlib.Path(f).read_text()
    # strip test modules
    text = re.split(r'#\[cfg\(test\)\]\s*mod tests', text)[0]
    text = re.sub(r'//[^\n]*', '', text)
    # expand use crate::a::{b, c::d}
    for g in re.finditer(r'crate::([a-z_0-9:]+)(::\{([^}]*)\})?', text):
        base = [p for p in g.group(1).split('::') if p]
        targets = [base]
        if g.group(3):
            targets = []
            for item in g.group(3).split(','):
                item = item.strip().split(' as ')[0].strip()
                if not item or item == 'self':
                    targets.append(base); continue
                targets.append(base + [p for p in item.split('::') if p and p != '*'])
        for t in targets:
            r = resolve(t)
            if r is not None and r != m and not (len(r) < len(m) and m[:len(r)] == r and False):
                edges[m].add(r)
    for g in re.finditer(r'(?<![:\w])([a-z_0-9]+)::([a-z_0-9:]*)', text):
        child = m + (g.group(1),)
        if child in mods and not text[max(0, g.start()-7):g.start()].endswith('mod '):
            r = resolve(list(child) + [p for p in g.group(2).split('::') if p])
            if r is not None and r != m:
                edges[m].add(r)
    for g in re.finditer(r'\bsuper::([a-z_0-9:]+)', text):
        parent = list(m[:-1]) if not f.endswith('mod.rs') else list(m[:-1])
        t = parent + [p for p in g.group(1).split('::') if p]
        r = resolve(t)
        if r is not None and r != m:
            edges[m].add(r)
# drop edges to ancestors (a mod.rs declaring children is not an import)
index = {}; low = {}; stack = []; on = set(); sccs = []; counter = [0]
sys.setrecursionlimit(10000)
def strong(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: sccs.append(comp)
for v in edges:
    if v not in index: strong(v)
for c in sccs:
    print('CYCLE:', ' '.join('::'.join(x) or 'crate' for x in sorted(c)))
    for a in c:
        for b in edges[a]:
            if b in c: print('   ', '::'.join(a), '->', '::'.join(b))
print(len(sccs), 'import cycles between files of', root)
sys.exit(1 if sccs else 0)
