"""Imports run one way: data → compiled rules → matching → stages → CLI, and no module imports
itself back through others (imports inside functions count: they hide a circle, not remove it)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
ROOMS = [  # each room may import from its own and the rooms before it
    ("data", {"cache", "rulefiles", "normalize", "lexicons", "calendars", "hazm_data", "given_names", "schemas"}),
    ("compiled rules", {"pattern_syntax", "prefilter", "numbers", "rules"}),
    ("matching", {"candidates", "tokens", "facttypes", "match"}),
    ("stages", {"ingest", "sentences", "link", "statements", "factsheet", "evaluate", "review", "show", "run"}),
    ("CLI", {"cli", "spacy_component"}),
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py") if _module_name(p)}


def _imports(path: Path) -> set[str]:
    """The project modules ``path`` imports anywhere in it, but for type checking only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline"):
            for alias in node.names:
                name = f"{node.module}.{alias.name}".removeprefix("pipeline").lstrip(".")
                found.add(name if name in MODULES else node.module.removeprefix("pipeline").lstrip("."))
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("pipeline.") for a in node.names if a.name.startswith("pipeline.")}
    return found - {"", _module_name(path)}


def _room(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, (_, members) in enumerate(ROOMS) if top in members)


GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def test_every_module_has_a_room():
    assert not [m for m in MODULES if m.split(".")[0] not in set().union(*(members for _, members in ROOMS))]


def test_imports_go_to_the_same_room_or_an_earlier_one():
    upward = [f"{m} ({ROOMS[_room(m)][0]}) imports {i} ({ROOMS[_room(i)][0]})" for m, imported in GRAPH.items() for i in imported if _room(i) > _room(m)]
    assert not upward


def test_no_module_imports_itself_back():
    def reaches(start: str, target: str, seen: set[str]) -> bool:
        return any(n == target or (n not in seen and not seen.add(n) and reaches(n, target, seen)) for n in GRAPH.get(start, ()))

    assert not [m for m in GRAPH if reaches(m, m, set())]


def test_the_graph_is_read_from_the_code():
    assert "rules" in GRAPH["facttypes"] and "candidates" in GRAPH["match"] and "normalize" in GRAPH["lexicons"]
