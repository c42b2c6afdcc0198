"""Every place in every shipped template, broken on purpose: a problem at that line, never a traceback.

For each `{{ … }}` and `{% … %}` of each template, a statement with a fault is put just before
the tag, on its line, and the example site (with a draft, a scheduled post, a page with
comments and forums of every status, built as the preview so that all of them are shown; then the same
site with other comment providers, and with nothing published) is rendered through the build's
own functions. Each kind of fault must come back as one problem
at that template and line, naming the page being rendered. A traceback (an exception out of
`render_routes`) fails the test; so does a place that no page of the fixture reaches, since
a fault there could not be seen.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
from datetime import datetime, timezone

import pytest

from conftest import PROJECT
from placepress import pipeline
from placepress.incremental import BuildCache
from placepress.comments import CommentsConfig
from placepress.content import load_documents
from placepress.render import compile_templates, make_environment, render_routes
from placepress.routes import make_routes

TEMPLATES = sorted(p.name for p in (PROJECT / "templates").glob("*.html"))
NOW = datetime(2010, 5, 1, 12, tzinfo=timezone.utc)

# Each kind of fault as a statement (it runs wherever the tag's own code would run, in or out
# of a block) and what the problem must say.
FAULTS = {
    "unknown attribute": ("{% if site.no_such_field %}{% endif %}", "'site' has no field 'no_such_field'"),
    "unknown filter": ("{% if site | no_such_filter %}{% endif %}", "No filter named 'no_such_filter'"),
    "a call on nothing": ("{% if no_such_function() %}{% endif %}", "'no_such_function' is undefined"),
    "wrong type": ("{% if site.now + 1 %}{% endif %}", "TypeError: unsupported operand type(s) for +: 'datetime.datetime' and 'int'"),
}

EXTRA_PROGRAMME = """\
  - id: another-programme
    name: Another programme
    summary: A programme with no start date recorded.
    sources:
      - title: A source with an address
        url: https://example.org/source
        date: 2010-04
areas:
"""
PROVIDERS = (CommentsConfig("disqus", True, {"shortname": "example"}),
             CommentsConfig("giscus", False, {"repo": "a/b", "repo_id": "1", "category": "c", "category_id": "2"}))
# Reached by no page, by design: base.html's default content, which every page replaces.
_BASE = (PROJECT / "templates/base.html").read_text(encoding="utf-8").split("\n")
NEVER_RENDERED = {("base.html", _BASE.index("{% block content %}{% endblock %}") + 1)}

EXTRA_FORUMS = """
  - id: forum-cancelled
    title: A cancelled forum
    start: 2010-06-01 18:00
    end: 2010-06-01 20:00
    venue:
      name: {text: Friends Meeting House, confidence: likely}
    description: Cancelled, with a [link](https://example.org/).
    concerns: [manchester-warrington, gm-skills]
    booking: https://example.org/book
    status: cancelled
    updated: 2010-04-24
  - id: forum-moved
    title: A moved forum
    start: 2010-07-01 18:00
    end: 2010-07-01 20:00
    venue:
      name: {text: Town Hall, confidence: confirmed}
    status: moved
    updated: 2010-04-24
  - id: forum-past
    title: A past forum
    start: 2009-03-01 18:00
    end: 2009-03-01 20:00
    venue:
      name: {text: Town Hall, confidence: confirmed}
    status: scheduled
    updated: 2009-02-01
"""


def tag_positions(text: str) -> list[tuple[int, int]]:
    """(offset, line) of every `{{` and `{%` outside `{# … #}` comments."""
    blanked = re.sub(r"\{#.*?#\}", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    return [(m.start(), text.count("\n", 0, m.start()) + 1) for m in re.finditer(r"\{[{%]", blanked)]


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("faults")
    for name in ("content", "data", "static", "templates"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "pyproject.toml", root / "pyproject.toml")
    registry = (root / "data/pilots.yaml").read_text(encoding="utf-8").replace("\nareas:\n", "\n" + EXTRA_PROGRAMME, 1)
    (root / "data/pilots.yaml").write_text(registry + EXTRA_FORUMS, encoding="utf-8")
    (root / "pyproject.toml").write_text((PROJECT / "pyproject.toml").read_text(encoding="utf-8")
                                         .replace("posts_per_page = 10", "posts_per_page = 1"), encoding="utf-8")
    posts = root / "content/posts"
    (posts / "2010-04-25-a-draft.md").write_text(
        "---\ntitle: A draft\ndate: 2010-04-25 09:30\nupdated: 2010-04-26\nauthor: Jane Smith\ntags: [drafts]\ndraft: true\n---\nText.\n", encoding="utf-8")
    (posts / "2010-06-01-later.md").write_text(
        "---\ntitle: Later\ndate: 2010-06-01\ncategories: [economy]\npilots: [lewisham, gm-skills]\n---\nLater.\n", encoding="utf-8")
    # A picture that represents a page and a post without being in their text (og:image, a cover).
    cover = "image: ../images/2010/pilot-areas-by-region.png\nimage_alt: A bar chart of the pilot areas by region"
    (root / "content/pages/talk.md").write_text(
        f"---\ntitle: Talk\nnav: 9\ncomments: true\nupdated: 2010-04-20\ndraft: true\n{cover}\n---\nTalk to us.\n", encoding="utf-8")
    (posts / "2010-04-26-covered.md").write_text(f"---\ntitle: Covered\ndate: 2010-04-26\n{cover}\n---\nText.\n", encoding="utf-8")
    # Comments from an old site, one with a website and a reply, on a post and on a page; an old
    # address with a query string (the home and 404 pages then load old-addresses.js).
    thread = ("comments:\n  - id: 1\n    author: Jane\n    website: https://jane.example.net/\n    date: 2010-04-24 09:15\n"
              "    text: <p>Hello.</p>\n  - id: 2\n    parent: 1\n    author: Bob\n    date: 2010-04-24 10:00\n    text: Hi.\n")
    for owner in ("posts/2010-04-26-covered", "pages/talk"):
        (root / f"content/comments/{owner}.yaml").parent.mkdir(parents=True, exist_ok=True)
        (root / f"content/comments/{owner}.yaml").write_text(thread, encoding="utf-8")
    (root / "data/redirects.yaml").write_text("redirects:\n  - from: /?p=1\n    to: content/posts/2010-04-26-covered.md\n",
                                              encoding="utf-8")
    site, index, _, problems = pipeline.read_site(root, NOW, tuple(load_documents(root)), preview=True)
    assert problems == []
    bodies = pipeline.make_bodies(root, site, index, BuildCache(None, root / "site"))
    forum_bodies = pipeline.render_forum_bodies(site)
    assets = {name: hashlib.sha256(data).hexdigest()[:10] for name, data in pipeline.read_static(root / "static").items()}
    empty = dataclasses.replace(site, posts=(), categories=(), tags=(),
                                registry=dataclasses.replace(site.registry, forums=tuple(f for f in site.registry.forums if f.end < NOW)))
    variants = [site, *(dataclasses.replace(site, config=dataclasses.replace(site.config, comments=c)) for c in PROVIDERS), empty]
    # Compiled templates on disk and, as serve keeps them, in memory: only the broken one is compiled again.
    compiled = (root / ".cache/templates", {})
    return root, [(variant, make_routes(variant)) for variant in variants], bodies, forum_bodies, assets, compiled


def render_with(fixture, name: str, text: str) -> list[str]:
    """The problems of rendering the fixture with templates/NAME replaced by `text`, up to the
    first page that has any (or of every page when none has)."""
    root, variants, bodies, forum_bodies, assets, compiled = fixture
    templates = root / "templates"
    original = (templates / name).read_text(encoding="utf-8")
    (templates / name).write_text(text, encoding="utf-8")
    problems = []
    try:
        for site, routes in variants:
            # Pages from the template being broken first: the fault is most often reached there.
            routes = sorted(routes, key=lambda route: route.template != name)
            env = make_environment(templates, site, assets, bodies, forum_bodies, *compiled)
            problems = compile_templates(env, root)
            for route in routes if not problems else ():
                _, problems = render_routes(env, [route], root)
                if problems:
                    break
            if problems:
                break
    finally:
        (templates / name).write_text(original, encoding="utf-8")
    return [str(p) for p in problems]


def test_the_fixture_renders_without_problems(fixture):
    root = fixture[0]
    assert render_with(fixture, "base.html", (root / "templates/base.html").read_text(encoding="utf-8")) == []


def test_every_template_has_tags_to_break():
    assert len(TEMPLATES) >= 16
    for name in TEMPLATES:
        assert tag_positions((PROJECT / "templates" / name).read_text(encoding="utf-8")), name


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_fault_at_any_tag_of_a_template_is_a_problem_at_its_line(fixture, name):
    text = (fixture[0] / "templates" / name).read_text(encoding="utf-8")
    wrong = []
    for offset, line in tag_positions(text):
        if (name, line) in NEVER_RENDERED:
            continue
        for kind, (fault, words) in FAULTS.items():
            found = render_with(fixture, name, text[:offset] + fault + text[offset:])
            if len(found) != 1 or not found[0].startswith(f"templates/{name}:{line}: ") or words not in found[0] \
                    or "(while rendering " not in found[0]:
                wrong.append(f"{kind} before the tag at {name}:{line}, column {offset - text.rfind(chr(10), 0, offset)}: {found}")
    assert wrong == []
