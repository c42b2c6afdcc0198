"""The engine's shape, read from its source with `ast` (nothing is imported or run).

Rule: imports go one way, as DESIGN.md draws the data flow. Each module of
placepress/ sits in one layer of LAYERS, lowest first; a module may import only
from modules in its own layer or a lower one. A new module must be given a layer
here, which is the moment to decide where it belongs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import PROJECT

PACKAGE = PROJECT / "placepress"

LAYERS: list[tuple[str, frozenset[str]]] = [
    # Records, settings, reporting and the YAML/field readers that everything else uses.
    # schema checks a YAML tree against a JSON Schema: a reader's tool, like fields; dates writes dates out.
    # comments holds the comments settings (part of config) and the per-provider widget records.
    ("records and readers", frozenset({"config", "problems", "model", "yamlnodes", "fields", "schema", "dates", "comments"})),
    # Loaders turn files into records; registry loads data/pilots.yaml ("registry ► Registry").
    # cache reads and writes the build's memory under .cache/ (a checked pickle), used by loaders up;
    # searchfiles reads Pagefind's index files (for the build and for `check`) and makes them reproducible.
    ("loaders", frozenset({"content", "markup", "typography", "registry", "cache", "searchfiles"})),
    ("site and its checks", frozenset({"site"})),
    # Everything made from the Site: pages, feeds and sitemap, iCalendar files, schema.org JSON-LD.
    # bodies serves rendered Markdown to templates (cached, parallel); incremental decides which
    # pages an incremental build can keep; search makes the Pagefind index from the rendered pages.
    ("routes and renderers", frozenset({"routes", "render", "formats", "calendars", "structured", "bodies", "incremental",
                                        "search"})),
    ("output", frozenset({"output"})),
    # The build, and the checks of a built site that `build.py check` runs after it.
    ("pipeline and checks of the built site", frozenset({"pipeline", "check", "a11y"})),
    # What the commands do beyond a build: serve runs the build as a live preview; new writes a post file.
    ("commands", frozenset({"serve", "new"})),
    # isso starts the preview comment server for `build.py comments`.
    ("command line", frozenset({"cli", "isso"})),
]
LAYER_OF = {module: number for number, (_, modules) in enumerate(LAYERS) for module in modules}


def modules() -> dict[str, Path]:
    return {path.stem: path for path in sorted(PACKAGE.glob("*.py"))}


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_modules(tree: ast.Module) -> list[tuple[str, int]]:
    """(placepress module, line) for every import of one of the package's modules, wherever it is."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "placepress" and len(parts) > 1:
                    found.append((parts[1], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and not (node.module or "").startswith("placepress"):
                continue  # the standard library or a third-party package
            if node.level > 1:
                found.append(("<outside the package>", node.lineno))
                continue
            module = node.module or ""
            parts = module.split(".") if node.level else module.split(".")[1:]
            if parts and parts[0]:
                found.append((parts[0], node.lineno))
            else:  # `from . import a, b`: the names are modules
                found += [(alias.name, node.lineno) for alias in node.names]
    return found


def test_every_module_of_the_package_has_a_place_in_the_layer_table() -> None:
    found = set(modules()) - {"__init__"}
    assert found, f"no modules found in {PACKAGE}"
    assert sorted(found - set(LAYER_OF)) == [], "give each new module a layer in LAYERS"
    assert sorted(set(LAYER_OF) - found) == [], "LAYERS names a module that no longer exists"


def test_a_module_imports_only_from_its_own_layer_or_lower_ones() -> None:
    wrong = []
    seen = 0
    for name, path in modules().items():
        if name == "__init__" or name not in LAYER_OF:
            continue
        for target, line in imported_modules(parse(path)):
            seen += 1
            if target not in LAYER_OF:
                wrong.append(f"placepress/{path.name}:{line}: imports '{target}', which is not a module in LAYERS")
            elif LAYER_OF[target] > LAYER_OF[name]:
                wrong.append(f"placepress/{path.name}:{line}: {name} ({LAYERS[LAYER_OF[name]][0]}) imports "
                             f"{target} ({LAYERS[LAYER_OF[target]][0]}), a higher layer")
    assert seen > 10, "the import parser found almost no imports; it is probably broken"
    assert wrong == []


def test_the_package_init_imports_nothing_from_the_package() -> None:
    # `import placepress` must not pull the whole engine in, nor create cycles between layers.
    assert imported_modules(parse(PACKAGE / "__init__.py")) == []


def catches_everything(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True  # a bare `except:`
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = {kind.id if isinstance(kind, ast.Name) else kind.attr if isinstance(kind, ast.Attribute) else "" for kind in kinds}
    return bool(names & {"Exception", "BaseException"})


def test_no_module_catches_every_exception() -> None:
    # A bug in our code must surface as a traceback, not be turned into a Problem or swallowed.
    found = [f"placepress/{path.name}:{node.lineno}: {ast.unparse(node).splitlines()[0]}"
             for name, path in modules().items()
             for node in ast.walk(parse(path))
             if isinstance(node, ast.ExceptHandler) and catches_everything(node)]
    assert found == []


@pytest.mark.parametrize("source, caught", [
    ("try:\n    pass\nexcept:\n    pass\n", True),
    ("try:\n    pass\nexcept Exception as error:\n    pass\n", True),
    ("try:\n    pass\nexcept (ValueError, BaseException):\n    pass\n", True),
    ("try:\n    pass\nexcept builtins.Exception:\n    pass\n", True),
    ("try:\n    pass\nexcept (ValueError, KeyError):\n    pass\n", False),
])
def test_the_catch_all_check_recognises_every_spelling_of_catch_all(source: str, caught: bool) -> None:
    handler = next(node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ExceptHandler))
    assert catches_everything(handler) is caught


@pytest.mark.parametrize("source, expected", [
    ("from .site import Site", [("site", 1)]),
    ("from . import model, site as site_module", [("model", 1), ("site", 1)]),
    ("import placepress.render", [("render", 1)]),
    ("from placepress.output import write_site", [("output", 1)]),
    ("from placepress import cli", [("cli", 1)]),
    ("def f():\n    from .pipeline import build", [("pipeline", 2)]),
    ("import os\nfrom pathlib import Path", []),
])
def test_the_import_reader_finds_every_spelling_of_an_import_of_the_package(source: str, expected: list[tuple[str, int]]) -> None:
    assert imported_modules(ast.parse(source)) == expected
