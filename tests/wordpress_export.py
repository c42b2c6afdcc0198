"""Small WordPress exports written for the importer's tests, and where the shared fixtures are.

`export()` wraps items in a WXR channel the way WordPress's Tools → Export does; `item()` writes
one <item> with WordPress's fields, every value in CDATA as WordPress writes them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import PROJECT

SITE = "https://old.example.org"
# The GPL fixtures live beside the repository, never in it: ../shared/wxr from /work/main, or
# WXR_FIXTURES / /work/shared/wxr from a worktree.
_CANDIDATES = (os.environ.get("WXR_FIXTURES", ""), str(PROJECT.parent / "shared" / "wxr"), "/work/shared/wxr")


def fixtures() -> Path:
    """The shared WXR fixtures folder; the test is skipped (with the reason) where it is absent."""
    for candidate in _CANDIDATES:
        if candidate and (Path(candidate) / "wordpress-importer").is_dir():
            return Path(candidate)
    pytest.skip("the shared WordPress export fixtures (../shared/wxr/) are not on this machine")


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def export(*items: str, version: str = "1.2", site: str = SITE, head: str = "") -> str:
    authors = ("<wp:author><wp:author_id>1</wp:author_id><wp:author_login>jane</wp:author_login>"
               "<wp:author_email>jane@example.org</wp:author_email>"
               f"<wp:author_display_name>{cdata('Jane Smith')}</wp:author_display_name></wp:author>")
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/{version}/"
>
<channel>
	<title>Old blog</title>
	<link>{site}</link>
	<wp:wxr_version>{version}</wp:wxr_version>
	<wp:base_site_url>{site}</wp:base_site_url>
	<wp:base_blog_url>{site}</wp:base_blog_url>
	{authors}
	{head}
{"".join(items)}
</channel>
</rss>
"""


def item(post_id: int, title: str = "A post", content: str = "Some text.", *, post_type: str = "post",
         status: str = "publish", name: str | None = None, date: str = "2010-04-23 18:30:00",
         date_gmt: str | None = None, modified: str | None = None, parent: int = 0, menu_order: int = 0,
         password: str = "", sticky: bool = False, excerpt: str = "", creator: str = "jane",
         link: str | None = None, terms: tuple[tuple[str, str, str], ...] = (), meta: tuple[tuple[str, str], ...] = (),
         comments: tuple[str, ...] = (), attachment_url: str = "") -> str:
    """One <item>; date_gmt defaults to `date` one hour earlier (British Summer Time)."""
    if name is None:
        name = title.lower().replace(" ", "-")
    if date_gmt is None:
        date_gmt = _minus_hour(date)
    if link is None:
        link = f"{SITE}/{date[:4]}/{date[5:7]}/{date[8:10]}/{name}/" if post_type == "post" else f"{SITE}/?page_id={post_id}"
    categories = "".join(f'<category domain="{domain}" nicename="{slug}">{cdata(label)}</category>' for domain, slug, label in terms)
    metas = "".join(f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key><wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
                    for key, value in meta)
    modified = modified or date
    return f"""
	<item>
		<title>{cdata(title)}</title>
		<link>{link}</link>
		<dc:creator>{cdata(creator)}</dc:creator>
		<guid isPermaLink="false">{SITE}/?p={post_id}</guid>
		<content:encoded>{cdata(content)}</content:encoded>
		<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:post_date>{cdata(date)}</wp:post_date>
		<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>
		<wp:post_modified>{cdata(modified)}</wp:post_modified>
		<wp:post_modified_gmt>{cdata(_minus_hour(modified))}</wp:post_modified_gmt>
		<wp:comment_status>open</wp:comment_status>
		<wp:post_name>{cdata(name)}</wp:post_name>
		<wp:status>{cdata(status)}</wp:status>
		<wp:post_parent>{parent}</wp:post_parent>
		<wp:menu_order>{menu_order}</wp:menu_order>
		<wp:post_type>{cdata(post_type)}</wp:post_type>
		<wp:post_password>{cdata(password)}</wp:post_password>
		<wp:is_sticky>{1 if sticky else 0}</wp:is_sticky>
		{f"<wp:attachment_url>{cdata(attachment_url)}</wp:attachment_url>" if attachment_url else ""}
		{categories}{metas}{"".join(comments)}
	</item>"""


def comment(comment_id: int, text: str, *, author: str = "Ann Reader", url: str = "", approved: str = "1",
            parent: int = 0, kind: str = "", date: str = "2010-04-24 09:15:00", email: str = "ann@example.net",
            ip: str = "192.0.2.44") -> str:
    return f"""
		<wp:comment>
			<wp:comment_id>{comment_id}</wp:comment_id>
			<wp:comment_author>{cdata(author)}</wp:comment_author>
			<wp:comment_author_email>{cdata(email)}</wp:comment_author_email>
			<wp:comment_author_url>{url}</wp:comment_author_url>
			<wp:comment_author_IP>{ip}</wp:comment_author_IP>
			<wp:comment_date>{cdata(date)}</wp:comment_date>
			<wp:comment_date_gmt>{cdata(_minus_hour(date))}</wp:comment_date_gmt>
			<wp:comment_content>{cdata(text)}</wp:comment_content>
			<wp:comment_approved>{cdata(approved)}</wp:comment_approved>
			<wp:comment_type>{cdata(kind)}</wp:comment_type>
			<wp:comment_parent>{parent}</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>"""


def _minus_hour(stamp: str) -> str:
    from datetime import datetime, timedelta

    if stamp.startswith("0000"):
        return stamp
    return (datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S") - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
