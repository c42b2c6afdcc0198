"""YAML as an editor would write it: fields in order, times as `2010-04-23 18:30`, text blocks as `|`.

Lists are written as `build.py new` writes them (`- item` under its key). libyaml's emitter is
used where PyYAML has it: a 5,000-post import writes thousands of files, and the pure-Python
emitter was a quarter of its time; both write the same text.
"""

from __future__ import annotations

import yaml


class Minute(str):
    """A time written plainly: '2010-04-23 18:30' (without seconds YAML reads it as text, never quoted)."""


class Block(str):
    """Text of several lines, written as a literal block (`|`)."""


class EditorDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """The safe dumper with our two kinds of value; the class is ours, so adding representers changes no one else's."""


EditorDumper.add_representer(Minute, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value)))
EditorDumper.add_representer(Block, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|"))


def dump(data) -> str:
    return yaml.dump(data, Dumper=EditorDumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000)
