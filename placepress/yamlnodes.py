"""YAML read into a small tree that remembers line numbers.

PyYAML quietly keeps the last of two equal keys and turns `title: 2024` into
an int. Editors deserve better: we compose the node graph ourselves, report
duplicate keys with both lines, and let each field decide how to read its
scalar (a title is always the text that was written).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used, for start-up time
    import yaml

import re
from dataclasses import dataclass
from typing import Union

from .problems import Problem


def _loader():
    """libyaml's composer when PyYAML was built with it (ten times faster), else PyYAML's own.
    Imported here: a build whose content files are all unchanged never parses YAML."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"


@dataclass(frozen=True)
class Scalar:
    text: str
    """The value as written, without quotes."""
    tag: str
    """YAML's reading of it: 'str', 'int', 'float', 'bool', 'null', 'timestamp'."""
    line: int


@dataclass(frozen=True)
class Seq:
    items: tuple["Node", ...]
    line: int


@dataclass(frozen=True)
class Entry:
    key: str
    line: int
    value: "Node"


@dataclass(frozen=True)
class Map:
    entries: tuple[Entry, ...]
    line: int

    def get(self, key: str) -> Entry | None:
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None


Node = Union[Scalar, Seq, Map]

KIND_WORDS = {Scalar: "a single value", Seq: "a list", Map: "a set of fields"}


def parse_yaml(text: str, path: str, first_line: int = 1, aliases: bool = False) -> tuple[Node | None, list[Problem]]:
    """Parse YAML text whose first line is line `first_line` of `path`.

    Returns the root node (None for an empty document) and the problems found. Aliases
    (`*name`, repeating an `&name` anchor) are refused unless `aliases` is true (for data files
    that use them to avoid repeating a list); even then, what they stand for is bounded.
    """
    try:
        import yaml

        root = yaml.compose(text, Loader=_loader())
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, text, path, first_line)]
    except yaml.reader.ReaderError as error:  # a control character or another one YAML refuses
        return None, [_unprintable_problem(error, text, path, first_line)]
    if root is None:
        return None, []
    problems = _refused(text, path, first_line, aliases)
    if not problems and aliases and _expanded_size(root, {}) > MAX_VALUES:
        problems = [_alias_problem(text, path, first_line, f"through its aliases this file stands for more than {MAX_VALUES:,} "
                                                           "values; write the values out in full instead")]
    if problems:
        return None, problems
    return _convert(root, path, first_line - 1, problems), problems


MAX_VALUES = 100_000
"""What the aliases of a data file may stand for, in values: thousands of times what ours need."""
MAX_DEPTH = 50
"""Lists and fields nested deeper than this are refused: no file of ours needs more than a few
levels, and each level costs a step of recursion."""


def parse_list_file(text: str, path: str, key: str, shape: str) -> tuple[Map | None, Seq | None, list[Problem]]:
    """A YAML file that holds `key:` with a list under it: the file's mapping and that list, and
    the problems; (None, None, …) when it holds no such list ("the file must hold 'key:' and
    under it `shape`")."""
    root, problems = parse_yaml(text, path)
    if root is None:
        return None, None, problems
    entry = root.get(key) if isinstance(root, Map) else None
    if entry is None or not isinstance(entry.value, Seq):
        line = entry.line if entry else getattr(root, "line", 1)
        return None, None, problems + [Problem(path, line, f"the file must hold '{key}:' and under it {shape}")]
    return root, entry.value, problems


def _refused(text: str, path: str, first_line: int, aliases: bool) -> list[Problem]:
    """Aliases where they are not allowed, and nesting deeper than MAX_DEPTH.

    A few lines of aliases to aliases stand for billions of values ("billion laughs"), and
    reading them kept a build busy for minutes: front matter never needs them, so they are
    refused before anything is expanded. The events are read only when the text could hold
    either (a '*', or many brackets or lines), so most files pay nothing."""
    if "*" not in text and text.count("[") + text.count("{") < MAX_DEPTH and text.count("\n") < MAX_DEPTH:
        return []
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=_loader()):
        line = first_line + event.start_mark.line
        if isinstance(event, yaml.AliasEvent) and not aliases:
            return [Problem(path, line, f"'*{event.anchor}' repeats a value marked '&{event.anchor}' elsewhere (a YAML alias); "
                                        "aliases are not allowed in this file: write the value out in full")]
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return [Problem(path, line, f"lists and fields are nested more than {MAX_DEPTH} levels deep here; "
                                            "no field needs so many")]
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return []


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values the tree has once every alias is written out, counted in time linear in
    the file: a node shared through aliases is counted once and remembered."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if node.id == "scalar":
        size = 1
    elif node.id == "sequence":
        size = 1 + sum(_expanded_size(item, sizes) for item in node.value)
    else:
        size = 1 + sum(_expanded_size(key, sizes) + _expanded_size(value, sizes) for key, value in node.value)
    sizes[id(node)] = size
    return size


def _alias_problem(text: str, path: str, first_line: int, message: str) -> Problem:
    import yaml

    first = next(e for e in yaml.parse(text, Loader=_loader()) if isinstance(e, yaml.AliasEvent))
    return Problem(path, first_line + first.start_mark.line, message)


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, path: str, first_line: int) -> Problem:
    mark = error.problem_mark or error.context_mark
    what = error.problem or error.context or "the YAML is not valid"
    began = error.context_mark
    if error.context in _BEGUN_WORDS and began and mark and _past_end_of_line(began, mark, text):
        # The scanner ran off the line where a quoted value, a list or a field name began,
        # looking for its end: the mistake is on that first line, not where it gave up.
        # (Within the line the composer's own words are more exact, e.g. a missing ',' in a list.)
        mark, what = began, _BEGUN_WORDS[error.context]
    line = first_line + (mark.line if mark else 0)
    where = f" (column {mark.column + 1})" if mark else ""
    opened = _unclosed_quote_before(text, mark.line) if mark else None
    if opened is not None and opened < mark.line:
        # A quote left open swallows the lines after it up to the next quote in the file, and the
        # parser stops far below: the line where the quote opened is the one to fix.
        line, what, where = first_line + opened, "a quoted value is never closed", ""
    if mark is not None and opened is None:
        what = _in_words(what, text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else "", mark.column)
    hint = _HINTS.get(what, "")
    return Problem(path, line, f"YAML syntax error: {what}{where}{hint}")


_INDENT = ("this line is not indented like the lines above it: the fields of one record line up under each other, "
           "and each item of a list starts with '- ' in the same column")
_AFTER_QUOTE = re.compile(r"""^\s*(?:-\s+)?[^\s'"#][^:#]*:\s+(['"]).*?\1\s*\S""")


def _in_words(what: str, line: str, column: int) -> str:
    """The parser's words for the usual slips, put in an editor's (both libyaml's and PyYAML's)."""
    found = line[column:column + 1]
    if what in ("did not find expected key", "expected <block end>, but found '<scalar>'") and _AFTER_QUOTE.match(line):
        return "there is more text after the closing quote; put the whole value in quotes"
    if what in ("did not find expected key", "did not find expected '-' indicator") or what.startswith("expected <block end>"):
        return _INDENT
    if what == "found character that cannot start any token" or what.startswith("found character '"):
        if found == "\t":
            return "found a tab character that violates indentation"
        return f"a value cannot start with '{found}'; put the value in quotes" if found else what
    if what in ("found undefined alias", "did not find expected alphabetic or numeric character") \
            or what.startswith("expected alphabetic or numeric character") or what.startswith("found undefined alias"):
        return "a value that starts with '*' or '&' must be put in quotes"
    if what == "block sequence entries are not allowed in this context":
        return "a list item ('- ') cannot follow a value on the same field; put the list on the lines below the field name"
    return what


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+|[^\s#'"][^:#]*:\s+)(['"])(.*)$""")


def _unclosed_quote_before(text: str, stop: int) -> int | None:
    """The last line at or before `stop` (0-based) whose value opens a quote it does not close."""
    lines = text.splitlines()
    for number in range(min(stop, len(lines) - 1), -1, -1):
        match = _QUOTED_VALUE.match(lines[number])
        if not match:
            continue
        quote, rest = match.groups()
        rest = rest.replace("''", "") if quote == "'" else re.sub(r'\\.', "", rest)
        if quote not in rest:
            return number
    return None


def _past_end_of_line(began: yaml.Mark, gave_up: yaml.Mark, text: str) -> bool:
    # Front matter comes without its last newline, so at the end of the text the scanner
    # gives up at the end of that same line (both loaders count columns in characters).
    # splitlines() breaks lines where YAML does.
    if gave_up.line > began.line:
        return True
    lines = text.splitlines()
    return began.line >= len(lines) or gave_up.column >= len(lines[began.line].rstrip())


def _unprintable_problem(error: yaml.reader.ReaderError, text: str, path: str, first_line: int) -> Problem:
    # error.character is the code point; error.position is a UTF-8 byte offset with libyaml but
    # a character index with PyYAML. Both readers stop at the first character they refuse, so
    # the first one of its kind in the text is the one, whichever loader ran.
    at = max(text.find(chr(error.character)), 0)
    line = first_line + text.count("\n", 0, at)
    column = at - text.rfind("\n", 0, at)
    return Problem(path, line, f"the character U+{error.character:04X} (column {column}) cannot be used in YAML; delete it")


# The same for PyYAML and libyaml. ("while scanning a double-quoted scalar" is not here:
# PyYAML says it of a bad '\\' escape, not of a missing quote.)
_BEGUN_WORDS = {
    "while scanning a simple key": "this line has no ':' after the field name",
    "while scanning a quoted scalar": "a quoted value is never closed",
    "while parsing a flow sequence": "a list opened with '[' is never closed with ']'",
    "while parsing a flow mapping": "a '{' is never closed with '}'",
}

# Both PyYAML's and libyaml's wordings: which one an editor sees depends on the install.
_QUOTE = "; a value containing ': ' must be put in quotes"
_TABS = "; indent with spaces, not tabs"
_HINTS = {
    "mapping values are not allowed here": _QUOTE,
    "mapping values are not allowed in this context": _QUOTE,
    "found character '\\t' that cannot start any token": _TABS,
    "found a tab character that violates indentation": _TABS,
    "found a tab character where an indentation space is expected": _TABS,
    "could not find expected ':'": "; each field needs 'name: value'",
    "this line has no ':' after the field name": "; each field needs 'name: value'",
}


def _convert(node: yaml.Node, path: str, offset: int, problems: list[Problem]) -> Node:
    line = node.start_mark.line + 1 + offset
    if node.id == "scalar":  # yaml.ScalarNode, without importing yaml here
        tag = node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else "str"
        return Scalar(str(node.value), tag, line)
    if node.id == "sequence":
        return Seq(tuple(_convert(item, path, offset, problems) for item in node.value), line)
    return _convert_map(node, path, offset, problems)


def _convert_map(node: yaml.MappingNode, path: str, offset: int, problems: list[Problem]) -> Map:
    seen: dict[str, int] = {}
    entries: list[Entry] = []
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1 + offset
        if key_node.id != "scalar":
            problems.append(Problem(path, key_line, "a field name must be a single word, not a list or a set of fields"))
            continue
        key = str(key_node.value)
        if key in seen:
            problems.append(Problem(path, key_line, f"'{key}' is given twice (first on line {seen[key]}); keep one"))
            continue
        seen[key] = key_line
        entries.append(Entry(key, key_line, _convert(value_node, path, offset, problems)))
    return Map(tuple(entries), node.start_mark.line + 1 + offset)


def to_plain(node: Node | None):
    """Plain Python values (dict, list, str, None) for schema checks and records.

    One rule with front matter: a value is the text as written. `name: 2010` is the name
    "2010", not a number, and `text: yes` is "yes"; a field that wants a number or true/false
    says so in its schema (none of the registry's do), and dates stay text whose format the
    schema checks. Only an empty value (`~`, `null`, nothing) is None.
    """
    if node is None:
        return None
    if isinstance(node, Map):
        return {entry.key: to_plain(entry.value) for entry in node.entries}
    if isinstance(node, Seq):
        return [to_plain(item) for item in node.items]
    return None if node.tag == "null" else node.text
