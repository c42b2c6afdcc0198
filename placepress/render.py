"""Routes to bytes through Jinja2, and template mistakes to problems.

Templates are compiled before anything is rendered, so a syntax error in one
is reported once at its line. A mistake found while rendering is reported at
the template's line, naming the content file that was being rendered; the
same mistake on a thousand posts is one problem, not a thousand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used, for start-up time
    import jinja2

import dataclasses
import functools
import os
import re
from pathlib import Path
from typing import Callable, Mapping, Protocol
from urllib.parse import quote

from . import config as config_module, model, registry as registry_module, site as site_module, structured
from .bodies import Bodies
from .cache import sha
from .files import is_leftover
from .widgets import make_widget
from .workers import forked_pool, shares
from .markup import Body
from .pictures.html import Cover, picture_html, published_alt
from .problems import Problem, did_you_mean
from .dates import long_date, time_range
from .routes import Route, output_path
from .site import Site
from .spool import Spooled, spool

# Mistakes a template can make that Python reports as ordinary exceptions.
# They are the template's only when raised from a template's own line.
def _template_mistakes() -> tuple[type[BaseException], ...]:
    import jinja2

    return (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError)
_RECORDS = {cls.__name__: cls for cls in (model.Post, model.Page, site_module.Term, site_module.Site, config_module.Config,
                                           registry_module.Forum, registry_module.Area, registry_module.Programme,
                                           registry_module.Venue, registry_module.Sourced)}


def make_environment(templates: Path, site: Site, assets: Mapping[str, str], bodies: Bodies,
                     forum_bodies: Mapping[str, Body] | None = None, compiled: Path | None = None,
                     kept_code: dict | None = None) -> jinja2.Environment:
    """`compiled`: a folder for Jinja's compiled templates, so unchanged ones are not compiled again;
    `kept_code`: their code, kept in memory from build to build by a long-lived process (with
    no folder, in memory only)."""
    import jinja2  # here, not at the top: a build with no page to render never needs it

    cache = checked_bytecode_cache(compiled, kept_code) if compiled is not None or kept_code is not None else None
    env = _environment_class()(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=cache,
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates do not change during a build: asking the disk before every page cost a fifth
        # of the rendering time. (A new environment is made for each build, serve's too.)
        auto_reload=False,
    )
    config = site.config

    def url(path: str) -> str:
        return config.path_url(path)

    def absolute(path: str) -> str:
        return config.absolute_url(path)

    def asset(path: str) -> str:
        # The content hash makes browsers fetch a changed file and cache the rest for good.
        return f"{url(path)}?v={assets[path]}" if path in assets else url(path)

    env.globals.update(site=site, config=config, url=url, absolute_url=absolute, asset=asset, url_of=site.url_of)
    # Not `forum_bodies or {}`: asking whether a lazy mapping is empty renders every forum.
    env.globals.update(registry_helpers(site, url, forum_bodies if forum_bodies is not None else {}))
    env.globals.update(picture_helpers(bodies, url))

    def comments_from_the_old_site(record) -> tuple:
        bodies.uses(f"comments:{record.source}")
        return site.old_comments.get(record.source, ())

    env.globals["comments_from_the_old_site"] = comments_from_the_old_site

    def comments_widget(record, page_url: str):
        """The thread for a post or page, or None: off for the site, or `comments: false`."""
        if not (config.comments.enabled and record.comments):
            return None
        return make_widget(config.comments, record.id, record.title, absolute(page_url))

    env.globals["comments_widget"] = comments_widget
    env.globals.update(json_ld=structured.json_ld, organization_data=lambda: structured.organization_data(site),
                       posting_data=functools.partial(structured.posting_data, site),
                       event_data=functools.partial(structured.event_data, site))
    env.filters.update(long_date=long_date, iso=lambda moment: moment.isoformat(), time_range=time_range)
    env.know_helpers()
    return env


@functools.cache
def _environment_class() -> type[jinja2.Environment]:
    import jinja2

    class Environment(jinja2.Environment):
        def make_globals(self, d):
            """Each template's globals as one plain dict, where Jinja makes a ChainMap over the
            environment's. Each page, and each `{% from … import %}` on it, copies or compares
            them: a quarter of the time a post page takes, as a ChainMap. Our globals are all
            set before the first template is loaded, so a copy made then is complete."""
            return {**self.globals, **(d or {})}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.named: dict[str, frozenset[str] | None] = {}
            """What each template this environment parsed names (template_names), found in the
            tree it was compiled from: an edited template is parsed once, not twice (13 ms of
            the 33 that compiling post.html takes)."""

        def _parse(self, source, name, filename):  # Jinja's one parser, for compile() and parse()
            tree = super()._parse(source, name, filename)
            if name is not None:
                self.named[name] = _referenced(tree)
            return tree

        plain: dict[int, object] = {}
        """Each helper in the globals that takes no context, by id (Context.call); held here, so
        no other object can have that id while the environment lives."""

        def know_helpers(self) -> None:
            """Once every global is set: which helpers a template may call straight away, those
            Jinja does not have to hand the context, the environment or the evaluation context
            (jinja2.pass_context and the like mark a function, or its __call__, with this attribute)."""
            self.plain = {
                id(value): value for name, value in self.globals.items()
                if name not in jinja2.defaults.DEFAULT_NAMESPACE and callable(value)
                and not hasattr(value, "jinja_pass_arg") and not hasattr(value.__call__, "jinja_pass_arg")}

    class CodeGenerator(jinja2.compiler.CodeGenerator):
        def _output_child_pre(self, node, frame, finalize) -> None:
            """`{{ value }}` in an escaped template yields `environment.escaped(value)`, text,
            where Jinja's code yields `escape(value)`, a Markup made of the same text: what a page
            outputs is joined into one string, and making Markup objects (about sixty a post
            page) was a tenth of the time a page takes to render."""
            if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
                self.write("environment.escaped(")
                if finalize.src is not None:
                    self.write(finalize.src)
            else:
                super()._output_child_pre(node, frame, finalize)

    Environment.code_generator_class = CodeGenerator
    Environment.escaped = staticmethod(text_escaper())

    class Context(jinja2.runtime.Context):
        def call(self, function, /, *args, **kwargs):
            """Our own helpers (`url`, `body_of`, …) called straight away. Jinja's call first
            asks each callable, in four lookups, whether it wants the context; a post page
            calls our helpers about thirty times, and 1,000 post pages took a fifth longer to
            render that way (434 ms against 349, the median of 10 in one process)."""
            if id(function) not in self.environment.plain:
                if type(function) is not jinja2.runtime.Macro:
                    return super().call(function, *args, **kwargs)
                # A macro (post_summary: ten on a listing page) takes the evaluation context, as
                # Jinja's call finds out in the same four lookups: 2 of the 18 µs a call took.
                args = (self.eval_ctx, *args)
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return function(*args, **kwargs)
            except StopIteration:  # as Jinja does: a generator's end is not let out of a template
                return self.environment.undefined("value was undefined because a callable raised a StopIteration exception")

    Environment.context_class = Context
    return Environment


def replaced(text: str) -> str:
    """markupsafe's replacements, in its order: for a markupsafe without _escape_inner."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")


def text_escaper() -> Callable[[object], str]:
    """A function giving the text of markupsafe.escape(value), found the same way: a string's
    characters escaped, an object's own __html__ as it is, anything else as str() escaped."""
    import markupsafe

    escape_text = getattr(markupsafe, "_escape_inner", replaced)  # its escaping, without the Markup around it

    def escaped(value) -> str:
        if type(value) is str:
            return escape_text(value)
        if hasattr(value, "__html__"):
            return value.__html__()
        return escape_text(str(value))

    return escaped


def _referenced(tree) -> frozenset[str] | None:
    """The templates Jinja's tree of one names (extends, includes, imports); None when it names
    one by an expression, and so may draw on any."""
    from jinja2 import meta

    found = set(meta.find_referenced_templates(tree))
    return None if None in found else frozenset(found)


COMPILED = "jinja, output as text"
"""The cache's key for Jinja's compiled templates: a new one whenever our CodeGenerator writes
other code, so that none compiled by the old one is loaded."""


def checked_bytecode_cache(folder: Path | None, kept: dict | None = None):
    """Jinja's compiled templates kept under `folder` (if any), each behind our checksum.

    Jinja's own FileSystemBytecodeCache hands the file to marshal unchecked, and a damaged
    file can crash the interpreter; read_cache rejects it first, and Jinja compiles again.
    `kept` holds the code objects by template and source checksum, so that a long-lived
    process neither reads nor unmarshals them again (code is never changed by running it;
    a Template, which caches what its imports made, is not kept)."""
    import io

    import jinja2

    from .cache import read_cache, write_cache

    class CheckedBytecodeCache(jinja2.BytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            if kept is not None and (bucket.key, bucket.checksum) in kept:
                bucket.code = kept[bucket.key, bucket.checksum]
                return
            data = read_cache(folder / f"{bucket.key}.pickle", COMPILED) if folder is not None else None
            if isinstance(data, bytes):
                bucket.load_bytecode(io.BytesIO(data))
                self.keep(bucket)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            if folder is None:
                self.keep(bucket)
                return
            buffer = io.BytesIO()
            bucket.write_bytecode(buffer)
            write_cache(folder / f"{bucket.key}.pickle", COMPILED, buffer.getvalue())
            self.keep(bucket)

        def keep(self, bucket: jinja2.bccache.Bucket) -> None:
            if kept is not None and bucket.code is not None:
                kept[bucket.key, bucket.checksum] = bucket.code

    return CheckedBytecodeCache()


def picture_helpers(bodies: Bodies, url: Callable[[str], str]) -> dict[str, Callable]:
    """body_of(record): its rendered body; cover(record): the picture that represents it;
    picture(cover): that picture's markup, loaded at once (it is the first on its page)."""
    from markupsafe import Markup

    def body_of(record):
        return bodies.view(record.source)

    def cover(record) -> Cover | None:
        shown = body_of(record).pictures
        source = record.image_source or (shown[0][0] if shown else "")
        picture = bodies.picture(source) if source else None
        if picture is None:
            return None
        alt = record.image_alt or next((alt for s, alt in shown if s == source and alt.strip()), "")
        return Cover(picture, published_alt(alt), any(s == source for s, _ in shown))

    def picture(shown: Cover) -> Markup:
        return Markup(picture_html(shown.picture, shown.alt, url, eager=True))

    return {"body_of": body_of, "cover": cover, "picture": picture}


def registry_helpers(site: Site, url: Callable[[str], str], forum_bodies: Mapping[str, Body]) -> dict[str, Callable]:
    registry = site.registry

    def pilot_url(ident: str) -> str:
        owner = registry.owner_of(ident)
        return url(f"/pilots/{owner.id}/") + ("" if owner.id == ident else f"#{ident}")

    def pilot_name(ident: str) -> str:
        for programme in registry.programmes:
            if programme.id == ident:
                return programme.name
            for sub in programme.sub_pilots:
                if sub.id == ident:
                    return f"{sub.name} ({programme.name})"
        return next(a.name for a in registry.areas if a.id == ident)

    def map_url(forum) -> str:
        # A search link, not an embedded map: nothing loads from OpenStreetMap until the reader asks.
        return "https://www.openstreetmap.org/search?query=" + quote(", ".join(p.text for p in forum.venue.parts))

    return {"pilot_url": pilot_url, "pilot_name": pilot_name, "map_url": map_url,
            "forum_body": lambda forum: forum_bodies[forum.id]}


def compile_templates(env: jinja2.Environment, root: Path) -> list[Problem]:
    import jinja2

    problems = []
    for name in env.list_templates(filter_func=is_template):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            problems.append(Problem(_relative(error.filename, root, name), error.lineno, f"template syntax error: {error.message}"))
    return problems


def template_names(env: jinja2.Environment, name: str) -> frozenset[str] | None:
    """The templates `name` extends, includes or imports; None when it names one by an expression
    (or cannot be read), and so may draw on any."""
    import jinja2

    if name in getattr(env, "named", {}):  # parsed by this environment already (compiled, when edited)
        return env.named[name]
    try:
        return _referenced(env.parse(env.loader.get_source(env, name)[0]))
    except (jinja2.TemplateError, OSError, UnicodeDecodeError):
        return None


def template_closures(named: Mapping[str, frozenset[str] | None], digests: Mapping[str, str]) -> dict[str, str]:
    """For each template, a digest of it and of every template it extends, includes or imports,
    at any depth: a page made with it can change only when one of those does. `named`: what each
    template names (template_names); one that may name any stands for every template.
    `digests`: every file of the templates folder by name, with a digest of its bytes."""
    closures = {}
    for name in named:
        seen, todo = {name}, [name]
        while todo:
            refs = named.get(todo.pop(), frozenset())  # a file that is missing or not a template names none
            if refs is None:
                seen = set(digests)
                break
            todo += refs - seen
            seen |= refs
        closures[name] = sha(*(f"{member}:{digests.get(member, 'absent')}" for member in sorted(seen)))
    return closures


def is_template(name: str) -> bool:
    """A page template, not an editor's leftover beside one (`.#post.html`, `post.html~`)."""
    return name.endswith(_TEMPLATE_SUFFIXES) and not is_leftover(name.rpartition("/")[2])


class Plan(Protocol):
    """What an incremental build knows: which pages cannot have changed, and what each page read."""

    def unchanged(self, route: Route) -> bool: ...

    def start(self, route: Route) -> None: ...

    def finish(self, route: Route) -> object:
        """What the plan records of a page once rendered; handed to adopt when a worker rendered it."""

    def adopt(self, route: Route, recorded: object, as_written: bool = False) -> None: ...

    def as_written(self, route: Route, data: bytes) -> bool: ...


PARALLEL_FROM = 200
"""Below this many pages to render, starting a second process costs more than it saves."""


def render_routes(env: jinja2.Environment, routes: list[Route], root: Path, plan: Plan | None = None,
                  bodies: Bodies | None = None, spool: Path | None = None
                  ) -> tuple[dict[str, bytes | Spooled | None], list[Problem]]:
    """Every route rendered (the plan, if any, records what each page read; None: a page rendered
    as the file there, Plan.as_written); template mistakes grouped into one problem each. Many
    pages are rendered on both cores (given `bodies`, whose mistakes found while rendering come
    back from the other process); given a `spool` folder too, the workers write their pages
    there and hand back Spooled records (spool.py)."""
    if len(routes) >= PARALLEL_FROM and bodies is not None and (os.cpu_count() or 1) > 1:
        pages, failures = _render_in_workers(env, routes, root, plan, bodies, spool)
    else:
        pages, failures, _ = _render(env, routes, root, plan)
    grouped: dict[tuple[str, int, str], list[str]] = {}
    for key, source in failures:
        grouped.setdefault(key, []).append(source)
    return pages, [_grouped(key, sources) for key, sources in grouped.items()]


def _render(env, routes: list[Route], root: Path, plan: Plan | None
            ) -> tuple[dict[str, bytes | None], list[tuple[tuple[str, int, str], str]], dict[str, object]]:
    """Pages (None: rendered as the file the last build wrote, Plan.as_written), failures (each
    with the page it happened on, in order) and what the plan recorded of each page (Plan.finish)."""
    import jinja2

    mistakes = _template_mistakes()
    pages: dict[str, bytes | None] = {}
    failures = []
    recorded = {}
    for route in routes:
        if plan is not None:
            plan.start(route)
        try:
            text = env.get_template(route.template).render(route.context, page_url=route.url)
        except jinja2.TemplateNotFound as error:
            # A template the build needs is missing, or one names another that is not there.
            where = template_line(error, Path(env.loader.searchpath[0]), root) or (f"templates/{route.template}", 0)
            failures.append(((*where, f"template not found: '{error.name}'"), route.source or route.url))
            continue
        except mistakes as error:
            where = template_line(error, Path(env.loader.searchpath[0]), root)
            if where is None:
                raise
            failures.append(((*where, friendly(error)), route.source or route.url))
            continue
        data = text.encode("utf-8")
        if plan is not None:
            recorded[route.url] = plan.finish(route)
            if plan.as_written(route, data):  # the very file the last build wrote, still there: keep it
                data = None
        pages[route.url] = data
    return pages, failures, recorded


# What the worker processes render with: set in the parent just before it forks them, so they
# inherit the environment with its templates compiled, the site and every rendered body.
_shared: dict[str, object] = {}


def _render_in_workers(env, routes: list[Route], root: Path, plan: Plan | None, bodies: Bodies, spool: Path | None):
    if spool is not None:
        spool.mkdir(parents=True, exist_ok=True)
    _shared.update(env=env, routes=routes, root=root, plan=plan, bodies=bodies, known=len(bodies.problems), spool=spool)
    pages: dict[str, bytes | Spooled] = {}
    failures = []
    by_url = {route.url: route for route in routes}
    try:
        with forked_pool() as pool:
            # In order, as each share comes back (the same report as one process gives), while
            # the workers render the next ones.
            for chunk_pages, chunk_failures, chunk_recorded, problems, written in pool.map(
                    _render_chunk, shares(len(routes), max(1, len(routes) // 16), 16)):
                pages.update(chunk_pages)
                failures += chunk_failures
                bodies.problems += [problem for problem in problems if problem not in bodies.problems]
                bodies.adopt_written(written)
                if plan is not None:
                    for url, recorded in chunk_recorded.items():
                        plan.adopt(by_url[url], recorded, as_written=chunk_pages[url] is None)
    finally:
        _shared.clear()
    return pages, failures


def _render_chunk(indices: range):
    routes, bodies = _shared["routes"], _shared["bodies"]
    pages, failures, recorded = _render(_shared["env"], [routes[i] for i in indices], _shared["root"], _shared["plan"])
    folder = _shared["spool"]
    if folder is not None:  # each page where it goes in the site (spool.py)
        pages = {url: None if data is None else spool(str(folder), output_path(url), data) for url, data in pages.items()}
    # A body rendered again while its page rendered (its links' URLs changed) is written here.
    return pages, failures, recorded, bodies.problems[_shared["known"]:], bodies.flush()


def _grouped(key: tuple[str, int, str], sources: list[str]) -> Problem:
    path, line, message = key
    others = len(sources) - 1
    more = f" and {others} other page{'s' if others > 1 else ''}" if others else ""
    return Problem(path, line, f"{message} (while rendering {sources[0]}{more})")


def template_line(error: BaseException, templates: Path, root: Path) -> tuple[str, int] | None:
    """The innermost template file and line in the traceback, or None if no template raised it."""
    import jinja2

    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return _relative(error.filename, root, error.name or ""), error.lineno
    found = None
    tb = error.__traceback__
    folder = templates.resolve()
    while tb is not None:
        # Jinja rewrites the traceback so that a template's frames carry its file and line. The
        # file is named as the loader found it, relative when the project folder is ('.'), so
        # it is resolved before it is compared.
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(_TEMPLATE_SUFFIXES) and Path(filename).resolve().is_relative_to(folder):
            found = (_relative(filename, root, ""), tb.tb_lineno)
        tb = tb.tb_next
    return found


_TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")


_WHOLES = {"Config": "'config' (the settings)", "Site": "'site'"}


def friendly(error: BaseException) -> str:
    """Jinja's message, with Python's object names put in an editor's words."""
    import jinja2

    message = str(error) if isinstance(error, jinja2.TemplateError) else f"{type(error).__name__}: {error}"
    match = re.search(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '(\w+)'", message)
    if match and match.group(1) in _RECORDS:
        kind, name = match.groups()
        choices = [f.name for f in dataclasses.fields(_RECORDS[kind])]
        what = _WHOLES.get(kind, f"a {kind.lower()}")
        return f"{what} has no field '{name}'{did_you_mean(name, choices)}"
    return message


def _relative(filename: str, root: Path, fallback: str) -> str:
    try:
        return Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return fallback or filename
