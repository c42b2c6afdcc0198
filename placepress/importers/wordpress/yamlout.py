"""YAML as an editor would write it: fields in order, times as `2010-04-23 18:30`, text blocks as `|`."""

from __future__ import annotations

import yaml


class Minute(str):
    """A time written plainly ('2010-04-23 18:30'), not quoted as PyYAML would quote a string like it."""


class Block(str):
    """Text of several lines, written as a literal block (`|`)."""


class EditorDumper(yaml.SafeDumper):
    """SafeDumper with our two kinds of value; the class is ours, so adding representers changes no one else's."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)  # list items indented under their key, as in the contracts


EditorDumper.add_representer(Minute, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value)))
EditorDumper.add_representer(Block, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|"))


def dump(data) -> str:
    return yaml.dump(data, Dumper=EditorDumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000)
