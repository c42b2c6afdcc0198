"""WordPress shortcodes: the ones with an equivalent become plain HTML; the others stay as text.

A shortcode is `[name attributes]`, `[name attributes /]` or `[name attributes]content[/name]`;
`[[name]]` is how an author showed one literally. What becomes what:

- `[caption]` → a <figure> with its <figcaption> (WordPress's captioned picture);
- `[gallery]` → a list of its pictures (by `ids`, else the pictures attached to the post);
- `[embed]`, `[video]`, `[audio]`, `[youtube]`, `[vimeo]` and a bare YouTube or Vimeo address on a
  line of its own → a link, with the video's title where WordPress cached it: no third-party frame
  loads before a reader chooses to go there;
- `[code]`, `[sourcecode]` (SyntaxHighlighter, WordPress.com) → a code block;
- anything else that looks like a shortcode is left in the text as it was and reported, since
  no one can know what a plugin that is gone used to show there.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable, Sequence
from urllib.parse import parse_qs, urlsplit

CONVERTED = ("caption", "wp_caption", "gallery", "embed", "video", "audio", "youtube", "vimeo")
CODE = ("code", "sourcecode", "source")
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)""")
_LOOKS_LIKE = re.compile(r"\[(/?)([A-Za-z][\w-]*)(\s[^\[\]]*?|=[^\[\]]*?)?(/?)\]")
_BARE_URL = re.compile(r"^(\s*)(https?://[^\s<>\"]+)(\s*)$", re.M)
_TITLE = re.compile(r"""\btitle=(["'])(.*?)\1""", re.S)


def shortcode_pattern(names: Sequence[str]) -> re.Pattern:
    """`[name …]`, `[name … /]` or `[name …]…[/name]` for these names; group 1 and 6 are the
    doubled brackets of an escaped one, 2 the name, 3 the attributes, 5 the content."""
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"\[(\[?)({alternatives})(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)(?:(/)\]|\](?:(.*?)\[/\2\])?)(\]?)", re.S | re.I)


_CONVERTED = shortcode_pattern(CONVERTED)
_CODE = shortcode_pattern(CODE)
_IN_PARAGRAPH = re.compile(r"<p>\s*(\[(?:" + "|".join(CONVERTED) + r")\b[^\]]*\](?:.*?\[/(?:caption|wp_caption|embed|video|audio)\])?)\s*</p>", re.S | re.I)


def parse_attributes(text: str) -> dict[str, str]:
    """`id="x" align=left "positional"`: named ones by lowercase name, positional by number."""
    text = text.strip()
    if text.startswith("="):  # WordPress.com's [youtube=https://…]
        return {"0": text[1:].strip()}
    found: dict[str, str] = {}
    position = 0
    for match in _ATTRIBUTE.finditer(text):
        groups = match.groups()
        for name_at in (0, 2, 4):
            if groups[name_at]:
                found[groups[name_at].lower()] = groups[name_at + 1]
                break
        else:
            found[str(position)] = next(g for g in groups[6:] if g is not None)
            position += 1
    return found


@dataclass(frozen=True)
class Picture:
    """A picture a gallery shows: its address, its description and its caption."""

    url: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Helpers:
    """What converting a shortcode needs to know of the rest of the export."""

    gallery: Callable[[dict[str, str]], list[Picture]]
    """The pictures of a [gallery] with these attributes, in order."""
    video_title: Callable[[str], str]
    """The title WordPress cached for a video's address, or ''."""


def code_blocks(text: str) -> str:
    """[code] and [sourcecode] as <pre><code>, before automatic paragraphs can touch the code."""
    def replace(match: re.Match) -> str:
        if match.group(1) and match.group(6):
            return match.group(0)[1:-1]
        language = parse_attributes(match.group(3)).get("language") or parse_attributes(match.group(3)).get("lang", "")
        code = html.escape(html.unescape((match.group(5) or "").strip("\n")), quote=False)
        kind = f' class="language-{html.escape(language)}"' if re.fullmatch(r"[\w+-]+", language or "") else ""
        return f"<pre><code{kind}>{code}</code></pre>"

    return _CODE.sub(replace, text)


def bare_video_links(text: str, helpers: Helpers) -> str:
    """A YouTube or Vimeo address alone on its line (WordPress embedded it) becomes a link."""
    def replace(match: re.Match) -> str:
        video = video_of(match.group(2))
        return match.group(1) + (video_link(match.group(2), helpers) if video else match.group(2)) + match.group(3)

    return _BARE_URL.sub(replace, text)


def convert_shortcodes(text: str, helpers: Helpers) -> str:
    """The shortcodes with an equivalent, as HTML; a paragraph holding only one is unwrapped."""
    text = _IN_PARAGRAPH.sub(r"\1", text)

    def replace(match: re.Match) -> str:
        if match.group(1) and match.group(6):
            return match.group(0)[1:-1]  # [[caption]] shows "[caption]"
        name = match.group(2).lower()
        attributes = parse_attributes(match.group(3))
        content = match.group(5) or ""
        return _CONVERTERS[name](attributes, content, helpers)

    return _CONVERTED.sub(replace, text)


def unconverted(text: str) -> list[str]:
    """Names of what still looks like a shortcode in `text` (for the report), in order, once each."""
    names: list[str] = []
    for match in _LOOKS_LIKE.finditer(text):
        closing, name, attributes, _ = match.groups()
        pluginish = "=" in (attributes or "") or "_" in name or "-" in name or f"[/{name}]" in text or closing
        if pluginish and name not in names:
            names.append(name)
    return names


def _caption(attributes: dict[str, str], content: str, helpers: Helpers) -> str:
    picture = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", content, re.S | re.I)
    if not picture:
        return content
    caption = picture.group(2).strip() or attributes.get("caption", "")
    return f"<figure>{picture.group(1)}<figcaption>{caption}</figcaption></figure>"


def _gallery(attributes: dict[str, str], content: str, helpers: Helpers) -> str:
    pictures = helpers.gallery(attributes)
    if not pictures:
        return ""
    items = "".join(f'<li><img src="{html.escape(p.url)}" alt="{html.escape(p.alt)}"'
                    + (f' title="{html.escape(p.caption)}"' if p.caption else "") + " /></li>" for p in pictures)
    return f'<ul class="gallery">{items}</ul>'


def _embed(attributes: dict[str, str], content: str, helpers: Helpers) -> str:
    url = html.unescape(content.strip() or attributes.get("src", "") or attributes.get("0", ""))
    if not url:
        return ""
    return f"<p>{video_link(url, helpers)}</p>" if video_of(url) else f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>'


def _media(kinds: tuple[str, ...], word: str):
    def convert(attributes: dict[str, str], content: str, helpers: Helpers) -> str:
        url = next((attributes[k] for k in ("src", *kinds) if attributes.get(k)), "")
        if not url:
            return ""
        if video_of(url):
            return f"<p>{video_link(url, helpers)}</p>"
        name = urlsplit(url).path.rsplit("/", 1)[-1] or url
        return f'<p><a href="{html.escape(url)}">{word}: {html.escape(name)}</a></p>'
    return convert


def _site_video(attributes: dict[str, str], content: str, helpers: Helpers) -> str:
    url = attributes.get("0", "") or attributes.get("id", "") or content.strip()
    return _embed({}, url, helpers)


_CONVERTERS = {
    "caption": _caption, "wp_caption": _caption, "gallery": _gallery, "embed": _embed,
    "video": _media(("mp4", "m4v", "webm", "ogv", "wmv", "flv"), "Video"),
    "audio": _media(("mp3", "ogg", "oga", "wav", "m4a", "flac", "wma"), "Audio"),
    "youtube": _site_video, "vimeo": _site_video,
}


def video_of(url: str) -> tuple[str, str] | None:
    """('YouTube', id) or ('Vimeo', id) for a video's address, else None."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    path = parts.path.strip("/").split("/")
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path[0] == "watch":
            found = parse_qs(parts.query).get("v", [""])[0]
            return ("YouTube", found) if found else None
        if path[0] in ("embed", "v", "shorts", "live") and len(path) > 1 and path[1]:
            return "YouTube", path[1]
    if host == "youtu.be" and path[0]:
        return "YouTube", path[0]
    if host in ("vimeo.com", "player.vimeo.com"):
        number = next((part for part in path if part.isdigit()), "")
        return ("Vimeo", number) if number else None
    if not parts.scheme and url.strip().isdigit():  # [vimeo 123456]
        return "Vimeo", url.strip()
    return None


def video_link(url: str, helpers: Helpers) -> str:
    """A link to the video on its own site, named by its cached title when there is one."""
    service, identity = video_of(url) or ("", "")
    address = f"https://www.youtube.com/watch?v={identity}" if service == "YouTube" else f"https://vimeo.com/{identity}"
    title = helpers.video_title(identity)
    text = f"Video: {title} ({service})" if title else f"Watch the video on {service}"
    return f'<a href="{html.escape(address)}">{html.escape(text)}</a>'


def cached_video_titles(meta: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Video id → title, from the oEmbed HTML WordPress cached in the post's meta."""
    titles: dict[str, str] = {}
    for key, value in meta:
        if not key.startswith("_oembed_") or key.startswith("_oembed_time_"):
            continue
        source = re.search(r"""\bsrc=(["'])(.*?)\1""", value)
        title = _TITLE.search(value)
        video = video_of(html.unescape(source.group(2))) if source else None
        if video and title and title.group(2).strip():
            titles.setdefault(video[1], html.unescape(title.group(2)).strip())
    return titles
