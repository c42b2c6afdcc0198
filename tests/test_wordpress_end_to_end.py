"""An import, then the build's side of it: comments from the old site shown without running
anything hostile, old addresses published, pages in their folders."""

from __future__ import annotations

from browser import chromium, serve
from conftest import TinySite
from test_wordpress_import import run
from wordpress_export import SITE, comment, export, item

HOSTILE = [
    '<script>window.hacked = "script"</script>Plain words survive.',
    '<img src="x" onerror="window.hacked = \'onerror\'" alt="x">',
    '<a href="javascript:window.hacked=\'link\'">a javascript: link</a>',
    '<a href="https://example.net/" onclick="window.hacked=\'click\'">a real link</a>',
    '<style>body { display: none }</style><p style="background: url(javascript:alert(1))">styled</p>',
    '<svg onload="window.hacked=\'svg\'"><script>window.hacked=\'svg script\'</script></svg>',
    '<iframe src="javascript:parent.hacked=\'frame\'"></iframe><object data="javascript:1"></object>',
    '<form action="https://evil.example/"><input name="q"><button>Send</button></form>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.hacked=\'mxss\'">',
]


def test_hostile_comments_run_nothing_in_chromium(tiny: TinySite, capsys) -> None:
    comments = tuple(comment(n, text, date=f"2010-04-24 09:{n:02d}:00") for n, text in enumerate(HOSTILE, start=1))
    code, _ = run(tiny, export(item(1, "Total Place", "Body.", name="total-place", comments=comments)), capsys=capsys)
    assert code == 0
    built = tiny.build()
    assert built.code == 0, built.err
    with serve(tiny.out) as address, chromium() as browser:
        page = browser.new_page(java_script_enabled=True)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(address + "/2010/04/23/total-place/")
        assert page.get_by_text("Comments from the old site").count() >= 1
        assert page.get_by_text("Plain words survive.").count() == 1
        for link in page.get_by_text("a javascript: link").all():
            link.click(no_wait_after=True)  # would run the script, were its href kept
        page.get_by_text("styled").hover()
        page.mouse.move(10, 10)
        page.wait_for_timeout(500)
        assert page.evaluate("window.hacked") is None
        assert dialogs == []
        comments = page.content().split("Comments from the old site", 1)[1]
        for forbidden in (" onerror=", " onclick=", " onload=", '="javascript:', "<script", "<iframe", "<object", "<form", "<svg", "<style"):
            assert forbidden not in comments, forbidden
        real = page.locator("a", has_text="a real link").first
        assert set((real.get_attribute("rel") or "").split()) >= {"nofollow", "ugc"}


def test_old_addresses_are_published_for_netlify_and_as_pages(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(12, "Total Place", name="total-place", link=f"{SITE}/archives/12"),
                     item(7, "About us", post_type="page", name="about", link=f"{SITE}/about-us/")), capsys=capsys)
    built = tiny.build()
    assert built.code == 0, built.err
    redirects = (tiny.out / "_redirects").read_text()
    assert "/2010/04/23/total-place/" in redirects and "p=12" in redirects
    page = (tiny.out / "about-us" / "index.html").read_text()
    assert 'http-equiv="refresh"' in page and "/about/" in page


def test_a_page_under_another_is_published_in_its_folder(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(10, "History", post_type="page", name="history", parent=11),
                     item(11, "About", post_type="page", name="about")), capsys=capsys)
    built = tiny.build()
    assert built.code == 0, built.err
    assert (tiny.out / "about" / "history" / "index.html").is_file()
    assert "History" in (tiny.out / "about" / "history" / "index.html").read_text()


def test_an_old_query_address_of_an_import_leads_to_its_post_in_chromium(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(12, "Total Place", name="total-place"), item(7, "About", post_type="page", name="about")), capsys=capsys)
    built = tiny.build()
    assert built.code == 0, built.err
    with serve(tiny.out) as address, chromium() as browser:
        page = browser.new_page()
        for old, new in (("/?p=12", "/2010/04/23/total-place/"), ("/?page_id=7", "/about/")):
            page.goto(address + old)
            page.wait_for_url(address + new, timeout=10_000)
