"""The records that cross modules: what an editor wrote, checked and typed."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Ref:
    """A word an editor wrote that must name something elsewhere, with its line."""

    name: str
    line: int


def distinct_names(refs: tuple[Ref, ...]) -> list[str]:
    """The names, each once, in the order first written (a post may name a term on two lines)."""
    if len(refs) < 2:  # most posts' terms; called for each term field of every post, on every build
        return [refs[0].name] if refs else []
    names = [ref.name for ref in refs]
    if len(set(names)) < len(names):
        names = list(dict.fromkeys(names))
    return names


@dataclass(frozen=True)
class Post:
    source: str
    """The Markdown file, relative to the project root."""
    title: str
    date: datetime
    """Publication time, aware, in the site's time zone."""
    updated: datetime | None
    summary: str
    categories: tuple[Ref, ...]
    tags: tuple[Ref, ...]
    author: str
    slug: str
    draft: bool
    pilots: tuple[Ref, ...]
    comments: bool
    body: str
    body_line: int
    """The line of the file on which `body` starts."""
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    image: str = ""
    """The picture that represents the post, as written ('../images/2010/room.jpg'), or ''."""
    image_alt: str = ""
    """Its description; '' when not given (the text's own description of it is used)."""

    @property
    def id(self) -> str:
        """Stable across moves of the site: the date and slug, not the URL."""
        return f"{self.date:%Y-%m-%d}-{self.slug}"

    @property
    def image_source(self) -> str:
        return image_source(self.source, self.image)


@dataclass(frozen=True)
class Page:
    source: str
    title: str
    slug: str
    summary: str
    nav: int | None
    """Position in the site navigation (lower first); None keeps it out."""
    updated: datetime | None
    draft: bool
    comments: bool
    body: str
    body_line: int
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    image: str = ""
    image_alt: str = ""

    @property
    def folder(self) -> str:
        """The folders the page sits in under content/pages/, as an address: '' or 'about/'."""
        inner = posixpath.dirname(self.source.removeprefix("content/pages/"))
        return inner + "/" if inner else ""

    @property
    def path(self) -> str:
        """Its address: '/about/', '/about/history/'."""
        return f"/{self.folder}{self.slug}/"

    @property
    def id(self) -> str:
        """Stable across moves of the site; a page in a folder has the folder in it ('page-about-history')."""
        return "page-" + (self.folder.replace("/", "-") + self.slug)

    @property
    def image_source(self) -> str:
        return image_source(self.source, self.image)


def image_source(source: str, image: str) -> str:
    """The file a front matter `image` names, from the project root ('' for none)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), image)) if image else ""
