"""The script docs/moving-from-wordpress.md gives for hosts without redirects (GitHub Pages), in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser import chromium, serve
from conftest import PROJECT


def documented_script() -> str:
    guide = (PROJECT / "docs/moving-from-wordpress.md").read_text(encoding="utf-8")
    return re.search(r"```html\n(<script.*?</script>)\n```", guide, re.S).group(1)


@pytest.mark.parametrize("query, landing", [("?p=123", "/2010/04/23/total-place/"), ("?page_id=7", "/about/"),
                                            ("?p=999", "/"), ("?s=forum", "/")])
def test_an_old_query_address_is_sent_on_by_the_documented_script(tmp_path: Path, query: str, landing: str) -> None:
    site = tmp_path / "site"
    for page in ("", "2010/04/23/total-place/", "about/"):
        (site / page).mkdir(parents=True, exist_ok=True)
        (site / page / "index.html").write_text(f"<!doctype html><title>{page or 'home'}</title>{documented_script() if not page else ''}")
    (site / "_redirects").write_text("/  p=123  /2010/04/23/total-place/  301!\n/  page_id=7  /about/  301!\n/feed/  /feed.xml  301\n")
    with serve(site) as address, chromium() as browser:
        page = browser.new_page()
        page.goto(address + "/" + query)
        if landing != "/":
            page.wait_for_url(address + landing, timeout=5000)
        else:
            page.wait_for_timeout(300)
        assert page.url.removeprefix(address) in (landing, landing + query)
