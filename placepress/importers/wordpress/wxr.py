"""Reading a WordPress export (WXR 1.0, 1.1, 1.2), one item at a time.

lxml's iterparse reads the file as a stream: each <item> is turned into a record and then
cleared, so memory stays flat however big the export. The parser never fetches anything
(no network, no DTD), never expands an entity, and an export that declares a DOCTYPE is refused:
WordPress never writes one, and it is how entity bombs and external entities come in.

Only elements in WordPress's own namespaces count: a `wp:` prefix bound to some other URI is
someone else's element. Commenters' e-mail and IP addresses are never read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ...problems import Problem
from .records import Channel, Comment, Item, Term
from .stream import CleanStream

VERSIONS = ("1.0", "1.1", "1.2")
_WP = re.compile(r"^http://wordpress\.org/export/1\.[0-2]/$")
_EXCERPT = re.compile(r"^http://wordpress\.org/export/1\.[0-2]/excerpt/$")
_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_DC = "http://purl.org/dc/elements/1.1/"
_PACKED = {b"PK": ".zip", b"\x1f\x8b": ".gz"}
_KEPT_META = ("_thumbnail_id", "_wp_attachment_image_alt", "_wp_attached_file", "_wp_old_slug", "_menu_item_object",
              "_menu_item_object_id")


class ExportError(Exception):
    """A mistake that ends the import: the file is not XML, not an export, or not one we know."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def read_export(path: Path, shown: str, channel: Channel, with_bodies: bool = True) -> Iterator[Item]:
    """Every item of one export file, in file order; `channel` is filled in as it goes.

    `shown` is the name used in messages. Raises ExportError for a fatal mistake."""
    from lxml import etree

    with path.open("rb") as raw:
        packed = _PACKED.get(raw.read(4)[:2])
        if packed:
            raise ExportError(Problem(shown, 0, f"this is a {packed} file, not an export: unpack it and give the .xml file(s) inside"))
        raw.seek(0)
        stream = CleanStream(raw)
        channel.repairs = stream.repairs
        events = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                                 load_dtd=False, remove_comments=True, remove_pis=True, huge_tree=True)
        try:
            yield from _walk(events, shown, channel, with_bodies)
        except etree.XMLSyntaxError as error:
            line, column = error.position if error.position else (error.lineno or 0, 0)
            raise ExportError(Problem(shown, line, f"this is not well-formed XML (column {column}): {_xml_words(error.msg)}; "
                                      "export the site again, or open the file in a text editor at that line")) from None


def _walk(events, shown: str, channel: Channel, with_bodies: bool) -> Iterator[Item]:
    depth = 0
    for event, element in events:
        if event == "start":
            depth += 1
            if depth == 1:
                _check_root(element, shown)
            elif depth == 2 and (_local(element) != "channel" or _namespace(element)):
                raise ExportError(Problem(shown, element.sourceline or 0, _NOT_EXPORT + f" (found <{_local(element)}> where <channel> should be)"))
            continue
        depth -= 1
        if depth != 2:
            continue
        if _local(element) == "item" and not _namespace(element):
            item = read_item(element, shown, with_bodies)
            if item is not None:
                yield item
        else:
            _read_channel_child(element, channel)
        element.clear(keep_tail=False)
        parent = element.getparent()
        while parent is not None and element.getprevious() is not None:
            del parent[0]


_NOT_EXPORT = "this is not a WordPress export: it should be an RSS file with a <channel>, made by Tools → Export"


def _check_root(element, shown: str) -> None:
    doctype = element.getroottree().docinfo.doctype
    if doctype:
        raise ExportError(Problem(shown, 1, "the file declares a DOCTYPE, which WordPress exports never do; "
                                            "refusing it, as it could make the reader fetch files or expand entities"))
    if _local(element) != "rss" or _namespace(element):
        raise ExportError(Problem(shown, element.sourceline or 1, _NOT_EXPORT + f" (it starts with <{_local(element)}>)"))


def _xml_words(message: str) -> str:
    # libxml2 ends with ", line N, column M", which our own prefix already says.
    return re.sub(r",? line \d+, column \d+$", "", message).strip()


def _local(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _namespace(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _is_wp(element, name: str) -> bool:
    return _local(element) == name and bool(_WP.match(_namespace(element)))


def _text(element) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _read_channel_child(element, channel: Channel) -> None:
    local, namespace = _local(element), _namespace(element)
    if not namespace and local in ("title", "link"):
        setattr(channel, local, _text(element).strip())
    elif not _WP.match(namespace):
        return
    elif local == "wxr_version":
        channel.version, channel.version_line = _text(element).strip(), element.sourceline or 0
    elif local in ("base_site_url", "base_blog_url"):
        setattr(channel, local, _text(element).strip())
    elif local == "author":
        fields = _wp_fields(element)
        login = fields.get("author_login", "").strip()
        if login:
            channel.authors[login] = fields.get("author_display_name", "").strip() or login
    elif local in ("category", "tag", "term"):
        term = _channel_term(local, _wp_fields(element))
        if term is not None:
            channel.terms.append(term)


def _wp_fields(element) -> dict[str, str]:
    return {_local(child): _text(child) for child in element if _WP.match(_namespace(child))}


def _channel_term(kind: str, fields: dict[str, str]) -> Term | None:
    if kind == "category":
        term = Term("category", fields.get("category_nicename", ""), fields.get("cat_name", ""), fields.get("category_parent", ""))
    elif kind == "tag":
        term = Term("post_tag", fields.get("tag_slug", ""), fields.get("tag_name", ""))
    else:
        term = Term(fields.get("term_taxonomy", ""), fields.get("term_slug", ""), fields.get("term_name", ""), fields.get("term_parent", ""))
    term = Term(term.taxonomy.strip(), term.slug.strip(), term.name.strip(), term.parent.strip(), _number(fields.get("term_id")))
    return term if term.slug and term.taxonomy else None


def read_item(element, shown: str, with_bodies: bool = True) -> Item | None:
    """One <item> as a record; None when it has no wp:post_id (not an item WordPress wrote)."""
    values, terms, meta, comments = _item_parts(element, with_bodies)
    if not values.get("post_id", "").strip().isdigit():
        return None
    text = {key: value.strip() for key, value in values.items() if key not in ("content", "excerpt", "post_password")}
    return Item(
        file=shown, line=element.sourceline or 0, post_id=int(text["post_id"]), post_type=text.get("post_type") or "post",
        status=text.get("status", ""), title=text.get("title", ""), link=text.get("link", ""), creator=text.get("creator", ""),
        content=values.get("content", ""), excerpt=values.get("excerpt", ""), post_date=text.get("post_date", ""),
        post_date_gmt=text.get("post_date_gmt", ""), modified=text.get("post_modified", ""), modified_gmt=text.get("post_modified_gmt", ""),
        name=text.get("post_name", ""), parent=_number(text.get("post_parent")), menu_order=_number(text.get("menu_order")),
        password=values.get("post_password", ""), sticky=text.get("is_sticky") == "1", comment_status=text.get("comment_status", ""),
        attachment_url=text.get("attachment_url", ""), terms=tuple(terms), meta=tuple(meta), comments=tuple(comments))


def _item_parts(element, with_bodies: bool) -> tuple[dict[str, str], list[Term], list[tuple[str, str]], list[Comment]]:
    """An item's simple fields by name, its terms, the meta we keep and its comments."""
    values: dict[str, str] = {}
    terms: list[Term] = []
    meta: list[tuple[str, str]] = []
    comments: list[Comment] = []
    for child in element:
        local, namespace = _local(child), _namespace(child)
        if _WP.match(namespace):
            if local == "postmeta":
                pair = _meta(child)
                if pair[0] in _KEPT_META or pair[0].startswith("_oembed_"):
                    meta.append(pair)
            elif local == "comment":
                if with_bodies:
                    comments.append(_comment(child))
            else:
                values.setdefault(local, _text(child))
        elif local == "encoded" and (namespace == _CONTENT or _EXCERPT.match(namespace)):
            values["content" if namespace == _CONTENT else "excerpt"] = _text(child) if with_bodies else ""
        elif namespace == _DC and local == "creator":
            values["creator"] = _text(child)
        elif not namespace and local in ("title", "link"):
            values[local] = _text(child)
        elif not namespace and local == "category" and child.get("domain"):
            terms.append(Term(child.get("domain", ""), (child.get("nicename") or "").strip(), _text(child).strip()))
    return values, terms, meta, comments


def _meta(element) -> tuple[str, str]:
    fields = _wp_fields(element)
    return fields.get("meta_key", "").strip(), fields.get("meta_value", "")


def _comment(element) -> Comment:
    # Only the fields we keep are read: never comment_author_email or comment_author_IP.
    fields = {_local(child): child for child in element if _WP.match(_namespace(child))}

    def value(name: str) -> str:
        return _text(fields.get(name))

    return Comment(id=_number(value("comment_id")), author=value("comment_author").strip(), url=value("comment_author_url").strip(),
                   date=value("comment_date").strip(), date_gmt=value("comment_date_gmt").strip(), content=value("comment_content"),
                   approved=value("comment_approved").strip(), type=value("comment_type").strip(), parent=_number(value("comment_parent")))


def _number(text: str | None) -> int:
    text = (text or "").strip()
    return int(text) if text.isdigit() else 0


def check_version(channel: Channel) -> None:
    """After the whole file is read: is it an export, of a version we know?"""
    if channel.version is None:
        raise ExportError(Problem(channel.file, 0, "this is not a WordPress export: it has no <wp:wxr_version>; "
                                                   "make one with Tools → Export in WordPress"))
    if channel.version not in VERSIONS:
        raise ExportError(Problem(channel.file, channel.version_line,
                                  f"unknown WordPress export version '{channel.version}'; this importer reads {', '.join(VERSIONS)}"))
