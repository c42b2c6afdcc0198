"""JSON Schema checks of a YAML data file, reported at the YAML line in an editor's words.

The jsonschema library finds the mistakes; this module says where they are
(the line of the offending node, which jsonschema cannot know) and what they
mean ("'status' must be one of: scheduled, cancelled, moved; found 'canceled'
(did you mean 'cancelled'?)", not "'canceled' is not one of [...]").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from .problems import Problem, did_you_mean
from .yamlnodes import Map, Node, Scalar, Seq, to_plain

_KIND = {"string": "text", "array": "a list", "object": "a set of fields", "integer": "a whole number",
         "number": "a number", "boolean": "true or false", "null": "nothing"}
_ORDINAL = {1: "1st", 2: "2nd", 3: "3rd"}


def load_schema(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def check_against_schema(root: Node, schema: dict[str, Any], path: str) -> list[Problem]:
    import jsonschema  # only when a data file has changed since the last build (see pipeline)

    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in validator.iter_errors(to_plain(root)):
        # A oneOf/anyOf failure is best explained by its closest sub-error.
        error = jsonschema.exceptions.best_match([error])
        problems.append(_problem(error, root, schema, path))
    return problems


def _problem(error, root: Node, schema: dict, path: str) -> Problem:
    """One jsonschema.ValidationError as a problem at its YAML line."""
    location = list(error.absolute_path)
    node, key_line = _find(root, location)
    where = describe_path(root, location)
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1]
        return Problem(path, node.line, f"{where} is missing the field '{missing}'")
    if kind == "additionalProperties":
        extras = [k for k in error.instance if k not in error.schema.get("properties", {})]
        allowed = error.schema.get("properties", {})
        name = extras[0] if extras else "?"
        line = _key_line(node, name) or node.line
        return Problem(path, line, f"unknown field '{name}' in {where}{did_you_mean(name, allowed)}")
    found = _quote(node)
    line = key_line or node.line
    if kind == "enum":
        choices = [str(c) for c in error.validator_value]
        hint = did_you_mean(str(error.instance), choices)
        return Problem(path, line, f"{where} must be one of: {', '.join(choices)}; found {found}{hint}")
    if kind == "type":
        expected = _KIND.get(str(error.validator_value), str(error.validator_value))
        return Problem(path, line, f"{where} must be {expected}, found {found}")
    if kind == "pattern":
        # `errorMessage` is the phrase that completes "must be …"; VS Code's YAML extension shows it too.
        expected = error.schema.get("errorMessage") or f"text matching {error.validator_value}"
        return Problem(path, line, f"{where} must be {expected}, found {found}")
    if kind == "anyOf":
        options = [e.schema.get("errorMessage") for e in error.context if e.validator == "pattern"]
        if options and all(options):
            return Problem(path, line, f"{where} must be {' or '.join(dict.fromkeys(options))}, found {found}")
    if kind == "minLength":
        return Problem(path, line, f"{where} is empty")
    if kind == "minItems":
        return Problem(path, line, f"{where} needs at least {error.validator_value} item{'s' if error.validator_value != 1 else ''}")
    if kind == "minimum":
        return Problem(path, line, f"{where} must be {error.validator_value} or more, found {found}")
    return Problem(path, line, f"{where}: {error.message}")


def _find(root: Node, location: Sequence[str | int]) -> tuple[Node, int]:
    """The node at `location` and the line of the key that holds it (0 for list items)."""
    node, key_line = root, 0
    for step in location:
        if isinstance(node, Map) and isinstance(step, str):
            entry = node.get(step)
            if entry is None:
                break
            node, key_line = entry.value, entry.line
        elif isinstance(node, Seq) and isinstance(step, int) and step < len(node.items):
            node, key_line = node.items[step], 0
        else:
            break
    return node, key_line


def _key_line(node: Node, key: str) -> int:
    entry = node.get(key) if isinstance(node, Map) else None
    return entry.line if entry else 0


def describe_path(root: Node, location: Sequence[str | int]) -> str:
    """areas[3].sources[0].title → "'title' of the 1st source of area 'kent'"."""
    top_keys: list[str] = []
    items: list[tuple[str, list[str]]] = []
    node: Node | None = root
    last_key = ""
    for step in location:
        if isinstance(step, int):
            item = node.items[step] if isinstance(node, Seq) and step < len(node.items) else None
            items.append((_item_name(last_key, step, item), []))
            node = item
        else:
            (items[-1][1] if items else top_keys).append(step)
            entry = node.get(step) if isinstance(node, Map) else None
            node = entry.value if entry else None
            last_key = step
    if not items:
        return f"'{'.'.join(top_keys)}'" if top_keys else "the file"
    name, keys = items[-1]
    text = f"'{'.'.join(keys)}' of {name}" if keys else name
    return " of ".join([text] + [outer for outer, _ in reversed(items[:-1])])


def _item_name(list_key: str, index: int, item: Node | None) -> str:
    singular = {"areas": "area", "programmes": "programme", "forums": "forum", "sub_pilots": "sub-pilot",
                "sources": "source", "facts": "fact", "themes": "theme", "covers": "place", "concerns": "id"}.get(list_key, "item")
    ident = item.get("id") if isinstance(item, Map) else None
    if ident and isinstance(ident.value, Scalar):
        return f"{singular} '{ident.value.text}'"
    number = index + 1
    ordinal = _ORDINAL.get(number if number < 20 else number % 10, f"{number}th")
    if 10 < number < 20:
        ordinal = f"{number}th"
    elif number >= 20:
        ordinal = f"{number}{ordinal[-2:]}"
    return f"the {ordinal} {singular}" + (f" in '{list_key}'" if singular == "item" else "")


def _quote(node: Node) -> str:
    if isinstance(node, Scalar):
        return f"'{node.text}'"
    return "a list" if isinstance(node, Seq) else "a set of fields"
