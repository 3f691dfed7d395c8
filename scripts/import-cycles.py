#!/usr/bin/env python3
"""Finds import circles between the files of a Rust crate.

Usage: scripts/import-cycles.py [--edges] [--layers] SRC_DIR...
       (default: crates/moim/src crates/moim-sfu/src)

An arrow goes from file A to file B when A names an item of B through a path
(`use crate::x::Y;`, `crate::x::f()`, `super::Y`, `self::m::Z`). A `pub use`
re-export is followed to the file that defines the item, so `signal::Hub`
re-exported from `signal/mod.rs` points at the file `Hub` lives in. Comments
(and so intra-doc links) are not imports. Declaring a child (`mod x;`) is not
an arrow: a parent that only declares its children does not depend on them.

Prints every strongly connected group of two or more files and exits 1 if
there is one. `--edges` prints every arrow; `--layers` also checks the rules
in LAYERS below (which folders may not name which), as docs/architecture.md
draws them.
"""

import os
import re
import sys

# (from, to): files under `from` may not name items of files under `to`.
# Paths are relative to crates/moim/src.
LAYERS = [
    # The hub (shared state) sits below the handlers.
    ("hub/", "signal/"),
    # The services below the hub know neither the hub nor the handlers.
    *[(low, high) for low in ("cluster/", "media/", "history.rs", "metrics/", "admin/",
                              "turn/", "tls/", "ice.rs", "lan.rs")
      for high in ("signal/", "hub/")],
    # Plain values know no service.
    *[(low, high) for low in ("rooms.rs", "namespace.rs", "validate", "error.rs",
                              "rate_limit.rs", "clock.rs")
      for high in ("signal/", "hub/", "cluster/", "media/", "history.rs", "http/",
                   "turn/", "tls/", "server.rs", "reach.rs")],
    # HTTP carries Socket.IO as a layer; it handles no namespace's events.
    ("http/", "signal/course/"),
    ("http/", "signal/meet/"),
    ("http/", "hub/"),
]

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def strip_comments(text):
    """Removes // and /* */ comments and the contents of string literals."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not re.match(r"\w", text[i - 1])):
            m = re.match(r'r(#*)"', text[i:])
            end = '"' + m.group(1)
            j = text.find(end, i + len(m.group(0)))
            out.append('""')
            i = n if j < 0 else j + len(end)
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""')
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:i + 4]):
            m = re.match(r"'(\\.[^']*|[^\\'])'", text[i:])
            out.append("' '")
            i += len(m.group(0)) if m else 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expand_use(tree):
    """`a::{b, c::{d as e, self}}` -> [(['a','b'], 'b'), (['a','c','d'], 'e'), (['a','c'], 'c')]."""
    tree = re.sub(r"\s+", "", tree)
    results = []

    def walk(prefix, s):
        # Split s at top-level commas.
        parts, depth, cur = [], 0, ""
        for ch in s:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        if cur:
            parts.append(cur)
        for part in parts:
            if "{" in part:
                head, rest = part.split("{", 1)
                rest = rest[: rest.rfind("}")]
                head_segs = [x for x in head.split("::") if x]
                walk(prefix + head_segs, rest)
            else:
                alias = None
                if "as" in part and re.search(r"[^:]as[A-Za-z_]", part):
                    m = re.match(r"(.*?)as(" + IDENT + ")$", part)
                    # The whitespace is gone: split on the last 'as' before an ident.
                    if m:
                        part, alias = m.group(1), m.group(2)
                segs = prefix + [x for x in part.split("::") if x]
                if segs and segs[-1] == "self":
                    segs = segs[:-1]
                if segs:
                    results.append((segs, alias or segs[-1]))

    walk([], tree)
    return results


class Crate:
    def __init__(self, src):
        self.src = src
        self.files = {}  # module path tuple -> file path
        for root, _, names in os.walk(src):
            for name in names:
                if not name.endswith(".rs"):
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, src)[:-3].split(os.sep)
                if rel == ["lib"] or rel == ["main"]:
                    mod = ()
                elif rel[-1] == "mod":
                    mod = tuple(rel[:-1])
                else:
                    mod = tuple(rel)
                self.files.setdefault(mod, path)
        # `#[path = "x.rs"] mod y;` puts x.rs at module y.
        for mod, path in list(self.files.items()):
            text = open(path, encoding="utf-8").read()
            for m in re.finditer(r'#\[path\s*=\s*"([^"]+)"\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(' + IDENT + ")", text):
                target = os.path.normpath(os.path.join(os.path.dirname(path), m.group(1)))
                for k, v in list(self.files.items()):
                    if os.path.normpath(v) == target:
                        del self.files[k]
                self.files[mod + (m.group(2),)] = target
        self.module_of = {v: k for k, v in self.files.items()}
        self.reexports = {}  # file -> {name: absolute segs}
        self.refs = {}  # file -> list of absolute segs
        for mod, path in self.files.items():
            self.scan(mod, path)

    def absolute(self, modstack, segs):
        """Resolves crate::/super::/self:: against the module the path is in."""
        if not segs:
            return None
        head = segs[0]
        if head == "crate":
            return list(segs[1:])
        base = list(modstack)
        i = 0
        while i < len(segs) and segs[i] in ("super", "self"):
            if segs[i] == "super":
                if not base:
                    return None
                base.pop()
            i += 1
        if i == 0:
            return None  # an external crate or a local name
        return base + list(segs[i:])

    def scan(self, mod, path):
        text = strip_comments(open(path, encoding="utf-8").read())
        refs, reexports = [], {}
        # Names a path may start with besides crate/super/self: what `use`
        # brought in (`use crate::cluster;` then `cluster::f()`), and the
        # children of the module the path is in.
        aliases = {}
        # Walk tokens keeping a stack of inline modules (`mod tests { ... }`).
        stack = [(list(mod), -1)]
        depth = 0
        pos = 0
        token = re.compile(
            r"(?P<mod>\bmod\s+(?P<modname>" + IDENT + r")\s*\{)"
            r"|(?P<use>\b(?P<vis>pub(?:\s*\([^)]*\))?\s+)?use\s+(?P<tree>[^;]+);)"
            r"|(?P<path>(?<![A-Za-z0-9_:])" + IDENT + r"(?:\s*::\s*" + IDENT + r")+)"
            r"|(?P<open>\{)|(?P<close>\})"
        )
        for m in token.finditer(text):
            here = stack[-1][0]
            if m.group("mod"):
                depth += 1
                stack.append((here + [m.group("modname")], depth))
            elif m.group("use"):
                for segs, alias in expand_use(m.group("tree")):
                    full = self.absolute(here, segs)
                    if full is None:
                        continue
                    refs.append(full)
                    aliases[(tuple(here), alias)] = full
                    if m.group("vis") and len(stack) == 1:
                        reexports[alias] = full
            elif m.group("path"):
                segs = [s.strip() for s in m.group("path").split("::")]
                if segs[0] in ("crate", "super", "self"):
                    full = self.absolute(here, segs)
                elif (tuple(here), segs[0]) in aliases:
                    full = aliases[(tuple(here), segs[0])] + segs[1:]
                elif tuple(here) + (segs[0],) in self.files:
                    full = here + segs
                else:
                    full = None
                if full is not None:
                    refs.append(full)
            elif m.group("open"):
                depth += 1
            elif m.group("close"):
                if len(stack) > 1 and stack[-1][1] == depth:
                    stack.pop()
                depth -= 1
        self.refs[path] = refs
        self.reexports[path] = reexports

    def file_of(self, segs, seen=None):
        """The file defining the item `segs` names (following re-exports)."""
        seen = seen or set()
        for k in range(len(segs), -1, -1):
            mod = tuple(segs[:k])
            if mod in self.files:
                path = self.files[mod]
                rest = segs[k:]
                if rest and rest[0] in self.reexports.get(path, {}):
                    target = self.reexports[path][rest[0]]
                    key = (path, rest[0])
                    if key not in seen and list(target[:len(mod)]) != list(mod) + [rest[0]]:
                        seen.add(key)
                        inner = self.file_of(list(target) + rest[1:], seen)
                        if inner:
                            return inner
                return path
        return None

    def edges(self):
        out = {}
        for path, refs in self.refs.items():
            targets = set()
            for segs in refs:
                target = self.file_of(segs)
                if target and target != path:
                    targets.add(target)
            out[path] = targets
        return out


def cycles(edges):
    """Tarjan's strongly connected components of two or more nodes."""
    index, low, on, stack, result = {}, {}, set(), [], []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                result.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return result


def main(argv):
    show_edges = "--edges" in argv
    layers = "--layers" in argv
    dirs = [a for a in argv if not a.startswith("--")] or ["crates/moim/src", "crates/moim-sfu/src"]
    failed = False
    for src in dirs:
        crate = Crate(src)
        edges = crate.edges()
        rel = lambda p: os.path.relpath(p, src)
        if show_edges:
            for a in sorted(edges):
                for b in sorted(edges[a]):
                    print(f"{src}: {rel(a)} -> {rel(b)}")
        groups = cycles(edges)
        for group in groups:
            failed = True
            print(f"{src}: import circle between {len(group)} files:")
            for path in group:
                inside = sorted(rel(t) for t in edges[path] if t in group)
                print(f"  {rel(path)} -> {', '.join(inside)}")
        if layers and src.rstrip("/").endswith("crates/moim/src"):
            for a in sorted(edges):
                for b in sorted(edges[a]):
                    for low, high in LAYERS:
                        if rel(a).startswith(low) and rel(b).startswith(high):
                            failed = True
                            print(f"{src}: {rel(a)} (under {low}) may not use {rel(b)} (under {high})")
        if not groups:
            print(f"{src}: {len(edges)} files, {sum(len(t) for t in edges.values())} arrows, no import circle")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
