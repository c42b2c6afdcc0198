"""The second pass: each post or page as the files an editor would have written.

A body goes through WordPress's own steps in WordPress's order (code shortcodes, embeds on a line
of their own, automatic paragraphs unless it came from the block editor, the other shortcodes),
then becomes Markdown whose links and pictures name the imported files, relative to the file
they are in, so the build checks them like any other link.
"""

from __future__ import annotations

import html
import posixpath
import re

import frontmatter

from .archive import Tally, archive_text, comments_path
from .autop import autop, has_blocks
from .media import PICTURES, Library
from .naming import DRAFT, PUBLISHED, SCHEDULED, Entry, Index
from .oldsite import unsized
from .redirects import PATH as REDIRECTS, redirect_list
from .report import Counts, Note
from .shortcodes import Helpers, Picture, bare_video_links, cached_video_titles, code_blocks, convert_shortcodes, unconverted, video_link
from .tomarkdown import NEEDS_DESCRIPTION, Targets, to_markdown
from .when import minute
from .records import Item
from .yamlout import EditorDumper, Minute

_TAGS = re.compile(r"<[^>]*>")
_SHORTCODE = re.compile(r"\[/?[A-Za-z][^\]]*\]")


def plain(text: str) -> str:
    """HTML as one line of plain text, for a summary."""
    return " ".join(html.unescape(_SHORTCODE.sub(" ", _TAGS.sub(" ", text))).split())


class Plan:
    def __init__(self, index: Index, library: Library, put):
        self.index = index
        self.library = library
        self.put = put
        self.counts = Counts()
        self.tally = Tally()
        self.notes = index.notes

    def add(self, item: Item) -> None:
        entry = self.index.entries.get(item.post_id)
        if entry is None or entry.item.file != item.file or entry.item.line != item.line:
            return
        body, summary = self.body(entry, item)
        self.put(entry.source, render_file(self.front_matter(entry, item, summary), body))
        self._count(entry)
        where = f"{item.file}:{item.line}"
        comments = archive_text(entry.source, item.comments, self.index.zone, self.index.config.zone, self.tally, self.notes, where)
        if comments:
            self.put(comments_path(entry.source), comments.encode("utf-8"))

    def _count(self, entry: Entry) -> None:
        if entry.kind == "page":
            self.counts.pages += 1
        else:
            self.counts.posts += 1
            self.counts.scheduled += entry.state == SCHEDULED
        self.counts.drafts += entry.state == DRAFT

    def body(self, entry: Entry, item: Item) -> tuple[str, str]:
        helpers = Helpers(lambda attributes: self.gallery(item, attributes), cached_video_titles(item.meta).get)
        notes: list[str] = []
        targets = Targets(lambda href: self.link(entry, href, notes), lambda src: self.picture(entry, src),
                          lambda url: video_link(url, helpers), notes)
        text = item.content.replace("\r\n", "\n").replace("<!--nextpage-->", "\n<hr />\n")
        text = bare_video_links(code_blocks(text), helpers)
        text = convert_shortcodes(text if has_blocks(text) else autop(text), helpers)
        where = f"{item.file}:{item.line}"
        for name in unconverted(text):
            self.notes.append(Note("shortcode", where, f"[{name}] in {entry.source} has no equivalent here; it is left as text"))
        markdown = to_markdown(text, targets)
        self.notes.extend(Note("changed", where, f"{entry.source}: {note}") for note in dict.fromkeys(notes))
        summary = plain(item.excerpt) or (plain(item.content.split("<!--more", 1)[0]) if "<!--more" in item.content else "")
        return markdown, summary

    def front_matter(self, entry: Entry, item: Item, summary: str) -> dict:
        meta: dict = {"title": " ".join(entry.title.split())}
        if entry.kind == "post":
            meta["date"] = Minute(minute(entry.date))
        if entry.updated:
            meta["updated"] = Minute(minute(entry.updated))
        if summary:
            meta["summary"] = summary
        if entry.kind == "post":
            meta.update(self._terms(item))
            author = html.unescape(self.index.authors.get(item.creator, item.creator)).strip()
            if author:
                meta["author"] = " ".join(author.split())
        elif item.post_id in self.index.nav:
            meta["nav"] = self.index.nav[item.post_id]
        if entry.state == DRAFT:
            meta["draft"] = True
        if entry.kind == "post" and item.comment_status == "closed":
            meta["comments"] = False
        if item.sticky:
            self.notes.append(Note("warning", entry.source, "was a sticky post in WordPress; PlacePress has no sticky posts, so it is listed by its date"))
        meta.update(self.featured(entry, item))
        return meta

    def _terms(self, item: Item) -> dict:
        found: dict = {}
        for field, taxonomy, names in (("categories", "category", self.index.categories), ("tags", "post_tag", self.index.tags)):
            chosen = list(dict.fromkeys(names[t.slug] for t in item.terms if t.taxonomy == taxonomy and t.slug in names))
            if chosen:
                found[field] = chosen
        return found

    def featured(self, entry: Entry, item: Item) -> dict:
        thumbnail = item.meta_value("_thumbnail_id").strip()
        attachment = self.index.attachments.get(int(thumbnail)) if thumbnail.isdigit() else None
        if attachment is None:
            return {}
        path = self.library.fetch(attachment.key, attachment.item.attachment_url)
        if path is None or not path.startswith("content/images/"):
            return {}
        return {"image": posixpath.relpath(path, posixpath.dirname(entry.source)), "image_alt": attachment.alt or NEEDS_DESCRIPTION}

    def link(self, entry: Entry, href: str, notes: list[str]) -> str:
        address = self.index.site.address(href)
        key = self.index.site.media_key(href)
        if key is not None and posixpath.splitext(key)[1].lower() in PICTURES:
            return href  # a picture is published only in the sizes the build makes: a text link keeps its address
        if key is not None:
            file = self._upload(key, href)
            return posixpath.relpath(file, posixpath.dirname(entry.source)) if file else href
        if address is None:
            return href
        path, query = address
        number = next((query[k] for k in ("p", "page_id", "attachment_id") if query.get(k, "").isdigit()), "")
        target = self.index.entries.get(int(number)) if number else self.index.entries.get(self.index.by_path.get(path, -1))
        if target is not None and target.state == PUBLISHED:
            return posixpath.relpath(target.source, posixpath.dirname(entry.source))
        if target is not None:
            notes.append(f"a link to '{target.title}', which is not published, keeps its old address {href}")
        return href

    def _upload(self, key: str, url: str) -> str | None:
        return self._resolve(key, url)[1]

    def _resolve(self, key: str, url: str) -> tuple[str, str | None]:
        """(the upload chosen, its imported file) for an upload's address; a size WordPress made
        (-300x200) means its original."""
        original = unsized(key)
        # Since WordPress 5.3 a big upload is kept as NAME-scaled.jpg, and its sizes are named after NAME.
        scaled = posixpath.splitext(original)[0] + "-scaled" + posixpath.splitext(original)[1] if original else None
        candidates = [c for c in (original, scaled, key) if c]
        known = [c for c in candidates if c in self.index.by_key or self.library.available(c)]
        if known:
            return known[0], self.library.fetch(known[0], _with_key(url, key, known[0]))
        if self.library.downloader is not None and original:
            found = self.library.fetch(original, _with_key(url, key, original))
            if found:
                return original, found
            self.library.why.pop(original, None)  # the size WordPress linked to is tried next
        return key, self.library.fetch(key, url.split("?", 1)[0])

    def picture(self, entry: Entry, src: str) -> tuple[str, str]:
        key = self.index.site.media_key(src)
        if key is None:
            return src, ""
        chosen, file = self._resolve(key, src.split("?", 1)[0])
        attachment = self.index.attachments.get(self.index.by_key.get(chosen, -1))
        alt = attachment.alt if attachment else ""
        if file is None or not file.startswith("content/images/"):
            return src, alt
        return posixpath.relpath(file, posixpath.dirname(entry.source)), alt

    def gallery(self, item: Item, attributes: dict[str, str]) -> list[Picture]:
        wanted = attributes.get("ids") or attributes.get("include") or ""
        excluded = {int(n) for n in re.findall(r"\d+", attributes.get("exclude", ""))}
        if wanted:
            numbers = [int(n) for n in re.findall(r"\d+", wanted)]
        else:
            children = [a for a in self.index.attachments.values() if a.item.parent == item.post_id]
            numbers = [a.item.post_id for a in sorted(children, key=lambda a: (a.item.menu_order, a.item.post_id))]
        chosen = [self.index.attachments[n] for n in numbers if n in self.index.attachments and n not in excluded]
        return [Picture(a.item.attachment_url, a.alt, a.caption) for a in chosen if re.search(r"\.(jpe?g|png|gif|webp)$", a.key, re.I)]

    def finish(self) -> None:
        """Redirects, and what became of every upload."""
        redirects = redirect_list(self.index, self.library)
        text = redirects.text()
        if text:
            self.put(REDIRECTS, text.encode("utf-8"))
        self.counts.redirects = len(redirects.entries)
        self.counts.comments, self.counts.comment_files = self.tally.kept, self.tally.files
        self.counts.comments_skipped = dict(self.tally.skipped)
        found = [path for path in self.library.found.values() if path]
        self.counts.pictures = sum(p.startswith("content/images/") for p in found)
        self.counts.documents = len(found) - self.counts.pictures
        for key, (url, why) in sorted(self.library.why.items()):
            self.notes.append(Note("media", url, why))
        for key, path in sorted(self.library.renamed.items()):
            if self.library.found.get(key):
                self.notes.append(Note("changed", key, f"renamed to {path}, a name that works in an address"))
        for attachment in self.index.attachments.values():
            if attachment.key not in self.library.found:
                self.notes.append(Note("skipped", f"{attachment.item.file}:{attachment.item.line}",
                                       f"the upload {attachment.key} is not used by any imported post or page"))


def _with_key(url: str, key: str, candidate: str) -> str:
    return url.split("?", 1)[0].replace(key.rsplit("/", 1)[-1], candidate.rsplit("/", 1)[-1]) if key != candidate else url.split("?", 1)[0]


def render_file(meta: dict, body: str) -> bytes:
    """A content file, front matter through python-frontmatter, in the order an editor reads it."""
    post = frontmatter.Post(body, **meta)
    text = frontmatter.dumps(post, Dumper=EditorDumper, sort_keys=False, width=10_000, allow_unicode=True)
    return (text + "\n").encode("utf-8")
