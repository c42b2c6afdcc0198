"""The engine's shape, read from its source with `ast` (nothing is imported or run).

Rule: imports go one way, as DESIGN.md draws the data flow. Each module of
placepress/ sits in one layer of LAYERS, lowest first; a module may import only
from modules in its own layer or a lower one. A new module must be given a layer
here, which is the moment to decide where it belongs.

A family of modules can instead have a rule of its own (FAMILIES): an importer
(placepress/importers/…) may import its own family and the lowest layer only,
never the site, its routes or its renderer; and only the command line may import
it, so the build knows nothing of WordPress.
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
    # comments holds the comments settings (part of config); the widget made from them is in widgets.
    # files says which files are the project's (not editors' leftovers) and whether their names work in addresses.
    # pictures.model holds the picture records and settings (part of config).
    # spool holds the record of a page that a worker process wrote to a file (render to output).
    # folders says where a site is built and whether a folder may be replaced by one (for cli and output).
    # workers forks the processes that render bodies, pages and pictures on both cores.
    ("records and readers", frozenset({"config", "problems", "model", "yamlnodes", "fields", "schema", "dates", "comments",
                                       "files", "pictures.model", "spool", "folders", "workers"})),
    # Loaders turn files into records; registry loads data/pilots.yaml ("registry ► Registry").
    # cache reads and writes the build's memory under .cache/ (a checked pickle), used by loaders up.
    # The pictures stage loads content/images/ (library, with encode and svg) and gives the markup of
    # a picture (html), which the Markdown renderer and the templates use. searchfiles reads
    # Pagefind's index files (for the build and for `check`) and makes them reproducible.
    # old_comments loads readers' comments from the old site (content/comments/), sanitised;
    # redirects loads data/redirects.yaml and says how each kind of host is told of it.
    # stamp says from one small file whether a build has anything to do (the engine unimported).
    # packs keeps rendered bodies (markup's records) in pack files under .cache/markdown/.
    ("loaders", frozenset({"content", "markup", "typography", "registry", "cache", "old_comments", "redirects", "stamp", "searchfiles",
                           "packs",
                           "pictures.library", "pictures.encode", "pictures.svg", "pictures.html"})),
    # revisions compares the forums with what was published before (the one rule of `updated`).
    ("site and its checks", frozenset({"site", "revisions"})),
    # Everything made from the Site: pages, feeds and sitemap, iCalendar files, schema.org JSON-LD.
    # bodies serves rendered Markdown to templates (cached, parallel); incremental decides which
    # pages an incremental build can keep; search makes the Pagefind index from the rendered pages.
    # widgets makes what a page needs to show a comments thread, from the settings.
    # published makes the files published beside the pages: pictures' sizes, redirects.
    ("routes and renderers", frozenset({"routes", "render", "formats", "calendars", "structured", "bodies", "incremental",
                                        "widgets", "published", "search"})),
    ("output", frozenset({"output"})),
    # The build, and the checks of a built site that `build.py check` runs after it.
    # warm is the build's cache kept in memory by a process that builds again and again (serve).
    ("pipeline and checks of the built site", frozenset({"pipeline", "check", "a11y", "warm"})),
    # What the commands do beyond a build: serve runs the build as a live preview (watch tells it
    # which files changed); new writes a post file.
    ("commands", frozenset({"serve", "new", "watch"})),
    # isso starts the preview comment server for `build.py comments`.
    ("command line", frozenset({"cli", "isso"})),
]
LAYER_OF = {module: number for number, (_, modules) in enumerate(LAYERS) for module in modules}

# A subpackage with a rule of its own → (the modules it may import besides its own, the modules that may import it).
FAMILIES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # Importers write content files as an editor would: settings, problems, fields and YAML readers only.
    "importers": (LAYERS[0][1], frozenset({"cli"})),
}


def family(module: str) -> str | None:
    """The family (FAMILIES) a dotted module name belongs to, or None."""
    first = module.split(".")[0]
    return first if first in FAMILIES else None


def layer_problems(name: str, tree: ast.Module, where: str) -> list[str]:
    """Every import in module `name` that breaks the rules; `where` is its file, for the messages."""
    wrong = []
    for target, line in imported_modules(tree, name):
        own, theirs = family(name), family(target)
        if own is not None:
            allowed = FAMILIES[own][0]
            if theirs != own and target not in allowed:
                wrong.append(f"{where}:{line}: {name} imports {target}; {own} may import only its own modules and {', '.join(sorted(allowed))}")
        elif theirs is not None:
            if name not in FAMILIES[theirs][1]:
                wrong.append(f"{where}:{line}: {name} imports {target}; only {', '.join(sorted(FAMILIES[theirs][1]))} may import {theirs}")
        elif target not in LAYER_OF:
            wrong.append(f"{where}:{line}: imports '{target}', which is not a module in LAYERS")
        elif LAYER_OF[target] > LAYER_OF[name]:
            wrong.append(f"{where}:{line}: {name} ({LAYERS[LAYER_OF[name]][0]}) imports "
                         f"{target} ({LAYERS[LAYER_OF[target]][0]}), a higher layer")
    return wrong


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name within it ('site', 'pictures.html');
    packages' __init__ files are kept apart (see the test of them)."""
    return {".".join(path.relative_to(PACKAGE).with_suffix("").parts): path
            for path in sorted(PACKAGE.rglob("*.py")) if path.name != "__init__.py"}


def is_module(parts: list[str]) -> bool:
    return bool(parts) and PACKAGE.joinpath(*parts).with_suffix(".py").is_file()


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_modules(tree: ast.Module, module: str = "") -> list[tuple[str, int]]:
    """(placepress module, line) for every import of one of the package's modules, wherever it is.
    `module` is the importing module's dotted name ('pictures.library'): relative imports are
    resolved from its package."""
    package = module.split(".")[:-1] if module else []
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "placepress" and len(parts) > 1:
                    found.append((".".join(parts[1:]), node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and not (node.module or "").startswith("placepress"):
                continue  # the standard library or a third-party package
            if node.level - 1 > len(package):
                found.append(("<outside the package>", node.lineno))
                continue
            written = (node.module or "").split(".") if node.module else []
            base = written[1:] if node.level == 0 else package[:len(package) - (node.level - 1)] + written
            if is_module(base):
                found.append((".".join(base), node.lineno))
            else:  # `from . import a, b` or `from .pictures import html`: the names are modules
                found += [(".".join(base + [alias.name]) if is_module(base + [alias.name]) else ".".join(base) or alias.name,
                           node.lineno) for alias in node.names]
    return found


def test_every_module_of_the_package_has_a_place_in_the_layer_table() -> None:
    found = set(modules()) - {"__init__"}
    assert found, f"no modules found in {PACKAGE}"
    assert sorted(m for m in found - set(LAYER_OF) if family(m) is None) == [], "give each new module a layer in LAYERS"
    assert sorted(set(LAYER_OF) - found) == [], "LAYERS names a module that no longer exists"
    assert all(any(family(m) == name for m in found) for name in FAMILIES), "FAMILIES names a subpackage that no longer exists"


def test_a_module_imports_only_from_its_own_layer_or_lower_ones() -> None:
    wrong = []
    seen = {"layered": 0, "families": 0}
    for name, path in modules().items():
        if name == "__init__":
            continue
        tree = parse(path)
        seen["families" if family(name) else "layered"] += len(imported_modules(tree, name))
        wrong += layer_problems(name, tree, f"placepress/{path.relative_to(PACKAGE).as_posix()}")
    assert seen["layered"] > 10 and seen["families"] > 10, "the import parser found almost no imports; it is probably broken"
    assert wrong == []


@pytest.mark.parametrize("name, source, broken", [
    ("importers.wordpress.writer", "from ...render import render_routes", True),
    ("importers.wordpress.writer", "import placepress.routes", True),
    ("importers.wordpress.writer", "from placepress.site import Site", True),
    ("importers.wordpress.writer", "def f():\n    from ... import pipeline", True),
    ("importers.wordpress.writer", "from ...pictures.library import load_pictures", True),
    ("importers.wordpress.writer", "from ...config import Config\nfrom .report import Note\nfrom . import wxr", False),
    ("pipeline", "from .importers.wordpress.wxr import read_export", True),
    ("cli", "from .importers.wordpress.command import run_import", False),
])
def test_an_importer_may_import_only_its_family_and_the_lowest_layer(name: str, source: str, broken: bool) -> None:
    assert bool(layer_problems(name, ast.parse(source), "x.py")) is broken


def test_no_package_init_imports_anything_from_the_package() -> None:
    # `import placepress` must not pull the whole engine in, nor create cycles between layers;
    # nor may importing one module of a subpackage import the rest of it.
    inits = sorted(PACKAGE.rglob("__init__.py"))
    assert len(inits) >= 2
    for init in inits:
        module = ".".join(init.relative_to(PACKAGE).parent.parts + ("__init__",))
        assert imported_modules(parse(init), module) == [], init


def catches_everything(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True  # a bare `except:`
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = {kind.id if isinstance(kind, ast.Name) else kind.attr if isinstance(kind, ast.Attribute) else "" for kind in kinds}
    return bool(names & {"Exception", "BaseException"})


def test_no_module_catches_every_exception() -> None:
    # A bug in our code must surface as a traceback, not be turned into a Problem or swallowed.
    found = [f"placepress/{path.relative_to(PACKAGE).as_posix()}:{node.lineno}: {ast.unparse(node).splitlines()[0]}"
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


@pytest.mark.parametrize("source, module, expected", [
    ("from ..cache import sha", "pictures.library", [("cache", 1)]),
    ("from .model import Picture", "pictures.encode", [("pictures.model", 1)]),
    ("from .pictures.html import picture_element", "markup", [("pictures.html", 1)]),
    ("from .pictures import html, model", "markup", [("pictures.html", 1), ("pictures.model", 1)]),
    ("from ..site import Site", "markup", [("<outside the package>", 1)]),
    ("from ...site import Site", "pictures.html", [("<outside the package>", 1)]),
    ("from ...config import Config", "importers.wordpress.writer", [("config", 1)]),
    ("from .report import Note\nfrom . import wxr", "importers.wordpress.writer",
     [("importers.wordpress.report", 1), ("importers.wordpress.wxr", 2)]),
    ("from .importers.wordpress.command import run_import", "cli", [("importers.wordpress.command", 1)]),
])
def test_relative_imports_are_resolved_from_the_importing_module_s_package(source: str, module: str,
                                                                          expected: list[tuple[str, int]]) -> None:
    assert imported_modules(ast.parse(source), module) == expected


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


def test_the_settings_are_read_without_importing_any_renderer() -> None:
    # config (and what it imports) sits below the renderers: reading pyproject.toml must not pull
    # in the comments widget, Jinja or the routes, directly or through another module.
    seen, stack = set(), ["config"]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack += [target for target, _ in imported_modules(parse(modules()[name]), name) if target in LAYER_OF]
    renderers = LAYERS[LAYER_OF["render"]][1]
    assert "comments" in seen and "widgets" in renderers
    assert sorted(seen & renderers) == []
    # …and what makes a widget for a page is not kept in a settings module beside the settings.
    assert [name for name in sorted(seen) if "def make_widget" in modules()[name].read_text(encoding="utf-8")] == []


def test_the_build_cache_policy_lives_beside_the_incremental_plan_and_cache_py_knows_no_records() -> None:
    assert "class BuildCache" in (PACKAGE / "incremental.py").read_text(encoding="utf-8")
    assert "class BuildCache" not in (PACKAGE / "pipeline.py").read_text(encoding="utf-8")
    assert imported_modules(parse(PACKAGE / "cache.py")) == []
