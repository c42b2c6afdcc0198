"""SVG pictures: published byte for byte, once they are known to be only a picture.

Shown through <img>, an SVG can run nothing and load nothing; but a reader who opens its
address directly gets a document of the site's own origin, where a script would run and an
outside reference would tell another server who is reading. So an SVG with a script, an event
handler, a `javascript:` address or a reference to anything outside itself (href, src, url(),
@import) is a problem at its line, as are entity declarations (the "billion laughs").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
_LOCAL = re.compile(r"^#|^data:image/(png|jpeg|gif|webp);", re.I)
_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.I)
_IMPORT = re.compile(r"@import\s+(?:url\(\s*)?['\"]?([^'\");\s]*)['\"]?\)?[^;]*;?", re.I)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


@dataclass(frozen=True)
class SvgFacts:
    width: int
    height: int
    problems: tuple[tuple[int, str], ...]
    """(line, message) for each thing that keeps it from being published."""


class _Reader:
    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.parser.EntityDeclHandler = self.entity
        self.parser.ExternalEntityRefHandler = lambda *args: 0
        self.problems: list[tuple[int, str]] = []
        self.root: tuple[str, dict[str, str]] | None = None
        self.style: tuple[int, list[str]] | None = None
        """The line a <style> element starts on, and its text so far."""
        self.data = b""

    @property
    def line(self) -> int:
        return self.parser.CurrentLineNumber

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if self.root is None:
            self.root = (name, attributes)
        if local == "script":
            self.problems.append((self.line, "the SVG holds a <script>; remove it (a picture needs none)"))
        if local == "style":
            self.style = (self.line, [])
        started = self.parser.CurrentByteIndex
        for attribute, value in attributes.items():
            local_name = attribute.rpartition(" ")[2]
            self.check_attribute(local_name, value, self.attribute_line(started, local_name))

    def attribute_line(self, started: int, name: str) -> int:
        """The line of an attribute, which may be below the line its element starts on."""
        found = re.compile(rb"[\s:]" + re.escape(name.encode()) + rb"\s*=").search(self.data, started)
        return self.data.count(b"\n", 0, found.start()) + 1 if found else self.line

    def check_attribute(self, name: str, value: str, line: int) -> None:
        if name.lower().startswith("on"):
            self.problems.append((line, f"the SVG has an event handler '{name}'; remove it (a picture needs none)"))
        elif "javascript:" in value.lower().replace(" ", ""):
            self.problems.append((line, f"the SVG's '{name}' holds a javascript: address; remove it"))
        elif name in ("href", "src") and not _LOCAL.match(value.strip()):
            self.outside(value.strip(), line)
        else:
            self.check_style(value, line)

    def check_style(self, text: str, line: int) -> None:
        """CSS (a style attribute, or a <style> element's text starting on `line`)."""
        for found in _IMPORT.finditer(text):
            self.problems.append((line + text.count("\n", 0, found.start()),
                                  f"the SVG's style imports '{found.group(1)}' from outside it; put the styles in the SVG itself"))
        for found in _URL.finditer(_IMPORT.sub(lambda m: "\n" * m.group(0).count("\n"), text)):
            if not _LOCAL.match(found.group(1).strip()):
                self.outside(found.group(1).strip(), line + text.count("\n", 0, found.start()))

    def outside(self, target: str, line: int) -> None:
        self.problems.append((line, f"the SVG refers to '{target}' outside itself; a published picture may refer only to "
                                    "its own parts ('#id'): embed what it needs, or remove the reference"))

    def end(self, name: str) -> None:
        if self.style is not None and name.endswith(" style"):
            line, parts = self.style
            self.check_style("".join(parts), line)
            self.style = None

    def text(self, data: str) -> None:
        if self.style is not None:  # expat may hand the text over in pieces
            self.style[1].append(data)

    def entity(self, name: str, *args) -> None:
        self.problems.append((self.line, f"the SVG declares an entity '{name}'; remove the <!DOCTYPE …> declarations (a picture needs none)"))
        raise _Stop


class _Stop(Exception):
    pass


def read_svg(data: bytes) -> SvgFacts:
    """Pure: the size an SVG is shown at, and what keeps it from being published."""
    reader = _Reader()
    reader.data = data
    try:
        reader.parser.Parse(data, True)
    except expat.ExpatError as error:
        return SvgFacts(0, 0, (*reader.problems, (error.lineno, f"the SVG is not well-formed XML ({expat.ErrorString(error.code)}, "
                                                                 f"column {error.offset + 1}); export it again")))
    except _Stop:
        return SvgFacts(0, 0, tuple(reader.problems))
    if reader.root is None or reader.root[0] != f"{SVG_NS} svg":
        found = reader.root[0].rpartition(" ")[2] if reader.root else "nothing"
        return SvgFacts(0, 0, (*reader.problems, (1, f"the file is not an SVG picture (its root element is <{found}>, not <svg> "
                                                     "in the SVG namespace)")))
    size = _size(reader.root[1])
    if size is None:
        return SvgFacts(0, 0, (*reader.problems, (1, "the SVG has no size: give its <svg> element a viewBox "
                                                     "(e.g. viewBox=\"0 0 640 400\") or a width and height in pixels")))
    return SvgFacts(*size, tuple(reader.problems))


def _size(attributes: dict[str, str]) -> tuple[int, int] | None:
    width, height = (_LENGTH.match(attributes.get(name, "")) for name in ("width", "height"))
    if width and height:
        return max(1, round(float(width.group(1)))), max(1, round(float(height.group(1))))
    box = attributes.get("viewBox", "").replace(",", " ").split()
    try:
        numbers = [float(n) for n in box]
    except ValueError:
        return None
    if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0:
        return max(1, round(numbers[2])), max(1, round(numbers[3]))
    return None
