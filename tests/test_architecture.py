"""The engine's shape, read from its source with `ast` (nothing is imported or run).

Rule: imports go one way, as DESIGN.md draws the data flow. Each module of
placepress/ sits in one layer of LAYERS, lowest first; a module may import only
from modules in its own layer or a lower one. A new module must be given a layer
here, which is the moment to decide where it belongs.

Subpackages are families of modules with a rule of their own (SUBPACKAGES): an
importer (placepress/importers/…) may import its own family and the lowest layer
only, never the site, its routes or its renderer; and only the command line may
import an importer, so the build knows nothing of WordPress.
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
    # cache reads and writes the build's memory under .cache/ (a checked pickle), used by loaders up.
    ("loaders", frozenset({"content", "markup", "typography", "registry", "cache"})),
    ("site and its checks", frozenset({"site"})),
    # Everything made from the Site: pages, feeds and sitemap, iCalendar files, schema.org JSON-LD.
    # bodies serves rendered Markdown to templates (cached, parallel); incremental decides which
    # pages an incremental build can keep.
    ("routes and renderers", frozenset({"routes", "render", "formats", "calendars", "structured", "bodies", "incremental"})),
    ("output", frozenset({"output"})),
    # The build, and the checks of a built site that `build.py check` runs after it.
    ("pipeline and checks of the built site", frozenset({"pipeline", "check", "a11y"})),
    # What the commands do beyond a build: serve runs the build as a live preview; new writes a post file.
    ("commands", frozenset({"serve", "new"})),
    # isso starts the preview comment server for `build.py comments`.
    ("command line", frozenset({"cli", "isso"})),
]
LAYER_OF = {module: number for number, (_, modules) in enumerate(LAYERS) for module in modules}

# Subpackage → (the top-level modules it may import, the top-level modules that may import it).
SUBPACKAGES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # Importers write content files as an editor would: settings, problems, fields and YAML readers only.
    "importers": (LAYERS[0][1], frozenset({"cli"})),
}


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name under placepress ('site', 'importers.wordpress.wxr')."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if "__pycache__" in parts:
            continue
        found[".".join(parts)] = path
    return found


def family(module: str) -> str | None:
    """The subpackage a dotted module name belongs to, or None for a top-level module."""
    return module.split(".")[0] if "." in module or module in SUBPACKAGES else None


def layer_problems(name: str, tree: ast.Module, filename: str) -> list[str]:
    """Every import of `name` (a dotted module name) that breaks the rules."""
    wrong = []
    own = family(name)
    for target, line in imported_modules(tree, name):
        where = f"placepress/{filename}:{line}"
        target_family = family(target)
        if own is not None:
            allowed, _ = SUBPACKAGES[own]
            if target_family != own and target not in allowed:
                wrong.append(f"{where}: {name} imports {target}; {own} may import only its own modules and {', '.join(sorted(allowed))}")
        elif target_family is not None:
            if target_family not in SUBPACKAGES or name not in SUBPACKAGES[target_family][1]:
                wrong.append(f"{where}: {name} imports {target}; only the command line may import {target_family}")
        elif target not in LAYER_OF:
            wrong.append(f"{where}: imports '{target}', which is not a module in LAYERS")
        elif LAYER_OF[target] > LAYER_OF[name]:
            wrong.append(f"{where}: {name} ({LAYERS[LAYER_OF[name]][0]}) imports "
                         f"{target} ({LAYERS[LAYER_OF[target]][0]}), a higher layer")
    return wrong


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_modules(tree: ast.Module, module: str = "") -> list[tuple[str, int]]:
    """(placepress module, line) for every import of one of the package's modules, wherever it is;
    `module` is the importing module's dotted name (relative imports are resolved from its package).
    A module of a subpackage is named in full ('importers.wordpress.wxr'), a top-level one by its name."""
    found: list[tuple[str, int]] = []
    package = module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "placepress" and len(parts) > 1:
                    found.append((".".join(parts[1:]), node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and not (node.module or "").split(".")[0] == "placepress":
                continue  # the standard library or a third-party package
            if node.level - 1 > len(package):
                found.append(("<outside the package>", node.lineno))
                continue
            base = package[: len(package) - (node.level - 1)] if node.level else []
            parts = base + [p for p in (node.module or "").split(".") if p][0 if node.level else 1:]
            if parts and (PACKAGE.joinpath(*parts).is_dir() or not node.module and node.level):
                found += [(".".join([*parts, alias.name]), node.lineno) for alias in node.names]  # names are modules
            elif parts:
                found.append((".".join(parts), node.lineno))
            else:  # `from . import a, b` at the top: the names are modules
                found += [(alias.name, node.lineno) for alias in node.names]
    return found


def test_every_module_of_the_package_has_a_place_in_the_layer_table() -> None:
    found = {name for name in modules() if name != "__init__"}
    top = {name for name in found if "." not in name}
    assert top, f"no modules found in {PACKAGE}"
    assert sorted(top - set(LAYER_OF) - set(SUBPACKAGES)) == [], "give each new module a layer in LAYERS"
    assert sorted(set(LAYER_OF) - top) == [], "LAYERS names a module that no longer exists"
    assert sorted({name.split(".")[0] for name in found - top} - set(SUBPACKAGES)) == [], "give each new subpackage a rule in SUBPACKAGES"


def test_a_module_imports_only_from_its_own_layer_or_lower_ones() -> None:
    wrong = []
    seen = {"top": 0, "sub": 0}
    for name, path in modules().items():
        if name.rsplit(".", 1)[-1] == "__init__" and name != "__init__" or name == "__init__":
            continue
        tree = parse(path)
        seen["sub" if "." in name else "top"] += len(imported_modules(tree, name))
        wrong += layer_problems(name, tree, path.relative_to(PACKAGE).as_posix())
    assert seen["top"] > 10 and seen["sub"] > 10, "the import parser found almost no imports; it is probably broken"
    assert wrong == []


@pytest.mark.parametrize("name, source, broken", [
    ("importers.wordpress.writer", "from ...render import render_routes", True),
    ("importers.wordpress.writer", "import placepress.routes", True),
    ("importers.wordpress.writer", "from placepress.site import Site", True),
    ("importers.wordpress.writer", "def f():\n    from ... import pipeline", True),
    ("importers.wordpress.writer", "from ...config import Config\nfrom .report import Note\nfrom . import wxr", False),
    ("pipeline", "from .importers.wordpress.wxr import read_export", True),
    ("cli", "from .importers.wordpress.command import run_import", False),
])
def test_an_importer_may_import_only_its_family_and_the_lowest_layer(name: str, source: str, broken: bool) -> None:
    assert bool(layer_problems(name, ast.parse(source), "x.py")) is broken


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
    ("from .importers.wordpress.command import run_import", [("importers.wordpress.command", 1)]),
    ("import placepress.importers.wordpress.wxr", [("importers.wordpress.wxr", 1)]),
])
def test_the_import_reader_finds_every_spelling_of_an_import_of_the_package(source: str, expected: list[tuple[str, int]]) -> None:
    assert imported_modules(ast.parse(source)) == expected


def test_relative_imports_inside_a_subpackage_are_resolved_from_its_folder() -> None:
    source = "from ...config import Config\nfrom .report import Note\nfrom . import wxr\nfrom ....elsewhere import x"
    assert imported_modules(ast.parse(source), "importers.wordpress.writer") == [
        ("config", 1), ("importers.wordpress.report", 2), ("importers.wordpress.wxr", 3), ("<outside the package>", 4)]
