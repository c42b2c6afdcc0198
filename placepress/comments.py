"""The comments settings: [tool.placepress.comments] in pyproject.toml, read with the rest of
the settings (config.py). What a page needs to show a thread is made from them by widgets.py,
a renderer, which the settings never import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .problems import Problem, did_you_mean

SECTION = "tool.placepress.comments"


@dataclass(frozen=True)
class Provider:
    label: str
    required: dict[str, str]
    """Setting → what it is, for the message when it is missing."""
    optional: dict[str, str] = field(default_factory=dict)


PROVIDERS = {
    "none": Provider("no comments", {}),
    "isso": Provider("Isso", {"url": "the address of your Isso server, e.g. https://example.org/comments/"}),
    "giscus": Provider("giscus (GitHub Discussions)", {
        "repo": "the GitHub repository, owner/name", "repo_id": "the repository's id from giscus.app",
        "category": "the Discussions category", "category_id": "the category's id from giscus.app"},
        {"lang": "the widget's language (default en)"}),
    "utterances": Provider("utterances (GitHub issues)", {"repo": "the GitHub repository, owner/name"},
                           {"label": "a label for the issues it opens"}),
    "disqus": Provider("Disqus", {"shortname": "your site's Disqus shortname"}),
    "remark42": Provider("Remark42", {"host": "the address of your Remark42 server", "site_id": "the site id set on that server"}),
    "cusdis": Provider("Cusdis", {"host": "the address of the Cusdis server, e.g. https://cusdis.com", "app_id": "your Cusdis app id"}),
}
COMMON = {"provider", "consent"}


@dataclass(frozen=True)
class CommentsConfig:
    provider: str = "none"
    """Which service shows comments: isso, giscus, utterances, disqus, remark42, cusdis or none."""
    consent: bool = True
    """Ask the reader before anything loads from the comments host. Set false only for a site
    that asks for consent in some other way."""
    settings: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    """The provider's own settings (see PROVIDERS)."""

    @property
    def enabled(self) -> bool:
        return self.provider != "none"


def parse_comments(table: Any, lines: dict[str, int], path: str) -> tuple[CommentsConfig, list[Problem]]:
    """[tool.placepress.comments]: `lines` maps each key to its line, '' to the header's."""
    header = lines.get("", 0)
    if not isinstance(table, dict):
        return CommentsConfig(), [Problem(path, header, "'comments' must be a table: [tool.placepress.comments]")]
    provider = table.get("provider", "none")
    if not isinstance(provider, str) or provider not in PROVIDERS:
        hint = did_you_mean(str(provider), PROVIDERS)
        return CommentsConfig(), [Problem(path, lines.get("provider", header),
                                          f"comments 'provider' must be one of: {', '.join(PROVIDERS)}; found '{provider}'{hint}")]
    spec = PROVIDERS[provider]
    allowed = COMMON | set(spec.required) | set(spec.optional)
    problems = []
    for key, value in table.items():
        line = lines.get(key, header)
        if key not in allowed:
            problems.append(Problem(path, line, f"unknown comments setting '{key}' for provider '{provider}'{did_you_mean(key, allowed)}"))
        elif key == "consent" and not isinstance(value, bool):
            problems.append(Problem(path, line, "comments 'consent' must be true or false"))
        elif key != "consent" and not isinstance(value, str):
            problems.append(Problem(path, line, f"comments '{key}' must be text in quotes"))
        elif key != "consent" and not value.strip():
            problems.append(Problem(path, line, f"comments '{key}' is empty; {(spec.required | spec.optional).get(key, 'give a value')}"))
        elif key != "consent":
            message = _check_value(key, value)
            if message:
                problems.append(Problem(path, line, message))
    for key, what in spec.required.items():
        if key not in table:
            problems.append(Problem(path, header, f"comments provider '{provider}' needs the setting '{key}': {what}"))
    settings = {k: v for k, v in table.items() if k not in COMMON and isinstance(v, str)}
    return CommentsConfig(provider, table.get("consent", True) is not False, settings), problems


def _check_value(key: str, value: str) -> str | None:
    if key in ("url", "host"):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return f"comments '{key}' must be a full address starting with https://, found '{value}'"
    if key == "repo" and not re.fullmatch(r"[\w.-]+/[\w.-]+", value):
        return f"comments 'repo' must be written owner/name, found '{value}'"
    if key == "shortname" and not re.fullmatch(r"[a-z0-9-]+", value):
        return f"comments 'shortname' may use lowercase letters, digits and hyphens, found '{value}'"
    return None
