"""Comments through an embedded widget: the settings, and what each provider needs on a page.

Nothing from the comments host loads until the reader agrees (static/js/comments.js);
these records say which script to load, with which attributes, and which host the
reader is agreeing to. Every thread is keyed by the post's stable id, never its URL,
so moving the site keeps its comments.
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


@dataclass(frozen=True)
class Widget:
    """What a page needs to show one thread: read by templates/_comments.html and comments.js."""

    provider: str
    label: str
    host: str
    """The host the reader's browser will contact, named on the consent button."""
    consent: bool
    mount_tag: str
    mount: dict[str, str]
    """Attributes of the element the widget renders into."""
    script: dict[str, Any]
    """src, attributes and globals for comments.js."""


def make_widget(config: CommentsConfig, thread_id: str, title: str, page_url: str) -> Widget:
    """The widget for one thread; `thread_id` is the post's stable id."""
    s = config.settings
    # A URL-shaped key for Remark42, which keys threads by URL: a reserved .invalid host that no
    # move of the site changes (its site_id already keeps sites apart on one server).
    stable_url = f"https://thread.invalid/{thread_id}"
    p = config.provider
    if p == "isso":
        base = s["url"].rstrip("/") + "/"
        # Voting off: its arrows are links with no text, which screen readers announce as "link".
        script = {"src": f"{base}js/embed.min.js", "attributes": {"data-isso": base, "data-isso-lang": "en",
                                                                   "data-isso-reply-notifications": "false", "data-isso-vote": "false"}}
        mount_tag, mount = "section", {"id": "isso-thread", "data-isso-id": thread_id, "data-title": title}
    elif p == "giscus":
        script = {"src": "https://giscus.app/client.js", "attributes": {
            "data-repo": s["repo"], "data-repo-id": s["repo_id"], "data-category": s["category"],
            "data-category-id": s["category_id"], "data-mapping": "specific", "data-term": thread_id, "data-strict": "1",
            "data-reactions-enabled": "0", "data-emit-metadata": "0", "data-input-position": "top",
            "data-theme": "preferred_color_scheme", "data-lang": s.get("lang", "en"), "data-loading": "lazy",
            "crossorigin": "anonymous"}}
        mount_tag, mount = "div", {"class": "giscus"}
    elif p == "utterances":
        attributes = {"repo": s["repo"], "issue-term": thread_id, "theme": "preferred-color-scheme", "crossorigin": "anonymous"}
        if "label" in s:
            attributes["label"] = s["label"]
        script = {"src": "https://utteranc.es/client.js", "attributes": attributes}
        mount_tag, mount = "div", {"class": "utterances-thread"}
    elif p == "disqus":
        script = {"src": f"https://{s['shortname']}.disqus.com/embed.js", "attributes": {},
                  "disqus": {"identifier": thread_id, "url": page_url, "title": title}}
        mount_tag, mount = "div", {"id": "disqus_thread"}
    elif p == "remark42":
        host = s["host"].rstrip("/")
        script = {"src": f"{host}/web/embed.js", "attributes": {},
                  "globals": {"remark_config": {"host": host, "site_id": s["site_id"], "url": stable_url, "page_title": title}}}
        mount_tag, mount = "div", {"id": "remark42"}
    else:  # cusdis
        host = s["host"].rstrip("/")
        script = {"src": f"{host}/js/cusdis.es.js", "attributes": {}}
        mount_tag, mount = "div", {"id": "cusdis_thread", "data-host": host, "data-app-id": s["app_id"],
                                   "data-page-id": thread_id, "data-page-url": page_url, "data-page-title": title}
    host = urlsplit(script["src"]).netloc
    return Widget(p, PROVIDERS[p].label, host, config.consent, mount_tag, mount, script)
