"""Comments through an embedded widget: what each provider needs on a page.

Nothing from the comments host loads until the reader agrees (static/js/comments.js);
these records say which script to load, with which attributes, and which host the
reader is agreeing to. Every thread is keyed by the post's stable id, never its URL,
so moving the site keeps its comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .comments import PROVIDERS, CommentsConfig


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
