"""YAML read into a small tree that remembers line numbers.

PyYAML quietly keeps the last of two equal keys and turns `title: 2024` into
an int. Editors deserve better: we compose the node graph ourselves, report
duplicate keys with both lines, and let each field decide how to read its
scalar (a title is always the text that was written).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import yaml

from .problems import Problem

try:  # the C composer is about ten times faster; fall back when libyaml is absent
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

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


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Node | None, list[Problem]]:
    """Parse YAML text whose first line is line `first_line` of `path`.

    Returns the root node (None for an empty document) and the problems found.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, path, first_line)]
    except yaml.YAMLError as error:  # reader errors: control characters and the like
        return None, [Problem(path, first_line, f"YAML could not be read: {error}")]
    if root is None:
        return None, []
    problems: list[Problem] = []
    return _convert(root, path, first_line - 1, problems), problems


def _syntax_problem(error: yaml.MarkedYAMLError, path: str, first_line: int) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = first_line + (mark.line if mark else 0)
    what = error.problem or error.context or "the YAML is not valid"
    where = f" (column {mark.column + 1})" if mark else ""
    hint = _HINTS.get(what, "")
    return Problem(path, line, f"YAML syntax error: {what}{where}{hint}")


_HINTS = {
    "mapping values are not allowed here": "; a value containing ': ' must be put in quotes",
    "found character '\\t' that cannot start any token": "; indent with spaces, not tabs",
    "could not find expected ':'": "; each field needs 'name: value'",
}


def _convert(node: yaml.Node, path: str, offset: int, problems: list[Problem]) -> Node:
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.ScalarNode):
        tag = node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else "str"
        return Scalar(str(node.value), tag, line)
    if isinstance(node, yaml.SequenceNode):
        return Seq(tuple(_convert(item, path, offset, problems) for item in node.value), line)
    return _convert_map(node, path, offset, problems)


def _convert_map(node: yaml.MappingNode, path: str, offset: int, problems: list[Problem]) -> Map:
    seen: dict[str, int] = {}
    entries: list[Entry] = []
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1 + offset
        if not isinstance(key_node, yaml.ScalarNode):
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
    """Plain Python values (dict, list, str, int, float, bool, None) for schema checks.

    Timestamps stay strings: the schema says which format they must have.
    """
    if node is None:
        return None
    if isinstance(node, Map):
        return {entry.key: to_plain(entry.value) for entry in node.entries}
    if isinstance(node, Seq):
        return [to_plain(item) for item in node.items]
    return _plain_scalar(node)


def _plain_scalar(node: Scalar):
    if node.tag == "int":
        return int(node.text.replace("_", ""), 0) if node.text.lstrip("+-").isdigit() else node.text
    if node.tag == "float":
        try:
            return float(node.text.replace("_", ""))
        except ValueError:
            return node.text
    if node.tag == "bool":
        return node.text.lower() in ("true", "yes", "on", "y")
    if node.tag == "null":
        return None
    return node.text
