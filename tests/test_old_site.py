"""What a site brought over from another blog keeps: pages in folders, readers' comments from
the old site (content/comments/), and old addresses that lead on (data/redirects.yaml).

Each mistake in those files is a problem at its line, with exit 1 and the site left as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser import chromium, serve
from conftest import TinySite, run_build_py

POST = "content/posts/2010-04-23-total-place.md"
COMMENTS = "content/comments/posts/2010-04-23-total-place.yaml"
REDIRECTS = "data/redirects.yaml"


def problems(tiny: TinySite) -> list[str]:
    result = tiny.build()
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    return [line for line in result.err.splitlines() if not line.startswith("Found ")]


def built(tiny: TinySite) -> Path:
    result = tiny.build()
    assert result.code == 0, result.err
    return tiny.out


def a_post(tiny: TinySite) -> None:
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23", "Text.\n")
    tiny.write("content/pages/about.md", "---\ntitle: About\n---\nAbout us.\n")


# --- pages in folders ---------------------------------------------------------------------------

def test_a_page_in_a_folder_is_published_under_the_folder_and_links_to_it_resolve(tiny: TinySite):
    a_post(tiny)
    tiny.write("content/pages/about/history.md", "---\ntitle: Our history\n---\nSee [about us](../about.md).\n")
    tiny.write("content/pages/about/people/team.md", "---\ntitle: The team\nslug: who-we-are\n---\n[History](../history.md).\n")
    tiny.post("2010-04-24-link", "title: A link\ndate: 2010-04-24", "Read [our history](../pages/about/history.md).\n")
    out = built(tiny)
    assert 'href="/about/"' in (out / "about/history/index.html").read_text(encoding="utf-8")
    assert 'href="/about/history/"' in (out / "about/people/who-we-are/index.html").read_text(encoding="utf-8")
    assert 'href="/about/history/"' in (out / "2010/04/24/link/index.html").read_text(encoding="utf-8")


def test_a_page_folder_whose_name_will_not_work_in_an_address_is_reported(tiny: TinySite):
    a_post(tiny)
    tiny.write("content/pages/About Us/history.md", "---\ntitle: Our history\n---\nText.\n")
    assert problems(tiny) == ["content/pages/About Us/history.md:1: the folder 'About Us' will not work in an address; "
                              "rename it about-us"]


# --- comments from the old site ---------------------------------------------------------------

THREAD = """\
# Comments from the old site.
comments:
  - id: 11
    author: Jane Smith
    website: https://jane.example.net/
    date: 2010-04-24 09:15
    text: |
      <p>Thanks for this. Is the forum open to all?</p>
  - id: 13
    author: A Councillor
    date: 2010-04-25 18:00
    text: <p>A second thought.</p>
  - id: 12
    parent: 11
    author: CN4M
    date: 2010-04-24 12:30
    text: <p>Yes, everyone is welcome.</p>
"""


def test_comments_from_the_old_site_are_shown_under_the_post_in_threads_in_order_of_date(tiny: TinySite):
    a_post(tiny)
    tiny.write(COMMENTS, THREAD)
    page = (built(tiny) / "2010/04/23/total-place/index.html").read_text(encoding="utf-8")
    section = re.search(r'<section class="old-comments".*?</section>', page, re.S).group(0)
    assert '<h2 id="old-comments-heading">Comments from the old site</h2>' in section
    assert [int(n) for n in re.findall(r'<li id="comment-(\d+)">', section)] == [11, 12, 13]
    reply = re.search(r'<li id="comment-11">.*?<ol class="comment-list">(.*?)</ol>', section, re.S).group(1)
    assert 'id="comment-12"' in reply and "Yes, everyone is welcome." in reply
    assert '<a href="https://jane.example.net/" rel="nofollow ugc">Jane Smith</a></strong> on <time datetime="2010-04-24T09:15:00+01:00">' in section


def test_the_comments_of_a_page_are_shown_on_the_page(tiny: TinySite):
    a_post(tiny)
    tiny.write("content/comments/pages/about.yaml", THREAD)
    page = (built(tiny) / "about/index.html").read_text(encoding="utf-8")
    assert page.count('class="old-comment"') == 3


HOSTILE = """\
comments:
  - id: 1
    author: "<script>window.pwned = 'author'</script>Mallory"
    website: https://mallory.example.net/
    date: 2010-04-24 09:15
    text: |
      <p>Hello<script>window.pwned = 'script'</script>
      <img src="x" onerror="window.pwned = 'onerror'">
      <a href="javascript:window.pwned = 'link'">click me</a>
      <a href="https://news.example.net/" onclick="window.pwned = 'click'">a real link</a>
      <span style="background: url(https://tracker.example/pixel.png)">styled</span>
      <style>body { background: url(https://tracker.example/style.png) }</style>
      <svg><script>window.pwned = 'svg'</script><image href="https://tracker.example/svg.png"/></svg>
      <iframe src="https://tracker.example/frame"></iframe>
      <object data="https://tracker.example/object"></object>
      <form action="https://tracker.example/form"><input name="x"></form>
      </p>
"""


def test_hostile_html_in_old_comments_is_sanitised_to_a_small_allow_list(tiny: TinySite):
    a_post(tiny)
    tiny.write(COMMENTS, HOSTILE)
    page = (built(tiny) / "2010/04/23/total-place/index.html").read_text(encoding="utf-8")
    section = re.search(r'<section class="old-comments".*?</section>', page, re.S).group(0)
    for word in ("<script", "onerror", "onclick", "javascript:", "<style", "style=", "<svg", "<img", "<iframe", "<object",
                 "<form", "<input", "tracker.example"):
        assert word not in section, word
    assert '<a href="https://news.example.net/" rel="nofollow ugc">a real link</a>' in section
    assert "click me" in section and '<a rel="nofollow ugc">' not in section
    assert "&lt;script&gt;window.pwned = &#39;author&#39;&lt;/script&gt;Mallory" in section  # the name is text, shown as written


def test_hostile_old_comments_run_nothing_in_chromium_and_load_nothing_from_elsewhere(tiny: TinySite):
    a_post(tiny)
    tiny.write(COMMENTS, HOSTILE)
    out = built(tiny)
    with serve(out) as base, chromium() as browser:
        page = browser.new_page()
        dialogs, elsewhere = [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: elsewhere.append(request.url) if not request.url.startswith(base) else None)
        page.goto(base + "/2010/04/23/total-place/", wait_until="networkidle")
        for link in page.locator(".old-comments a").all():
            link.click(modifiers=["Control"], no_wait_after=True)  # a new tab, if anything: this page stays
        assert page.evaluate("window.pwned === undefined")
        assert dialogs == []
        assert [url for url in elsewhere if "tracker.example" in url] == []


@pytest.mark.parametrize("text, line, message", [
    ("comments:\n  - id: 1\n    author: Jane\n    date: 2010-04-24\n", 2,
     "the field 'text' is missing; every file here needs a line of text, e.g. 'title: Our new post'"),
    ("comments:\n  - id: 1\n    author: Jane\n    date: 24/04/2010\n    text: Hi\n", 4,
     "'date' must be a date written YYYY-MM-DD (e.g. 2010-04-23) or with a time (2010-04-23 18:30), found '24/04/2010'"),
    ("comments:\n  - id: 1\n    author: Jane\n    email: jane@example.org\n    date: 2010-04-24\n    text: Hi\n", 4,
     "unknown field 'email' in a comment"),
    ("comments:\n  - id: 1\n    author: Jane\n    website: example.org\n    date: 2010-04-24\n    text: Hi\n", 4,
     "'website' must be an address starting with https:// or http://, found 'example.org'"),
    ("comments:\n  - id: 1\n    author: Jane\n    date: 2010-04-24\n    text: Hi\n"
     "  - id: 1\n    author: Bob\n    date: 2010-04-25\n    text: Hi\n", 6,
     "the id 1 is used twice: here and on line 2; give each comment its own"),
    ("comments:\n  - id: 1\n    author: Jane\n    date: 2010-04-24\n    parent: 7\n    text: Hi\n", 5,
     "'parent' 7 is not the id of a comment in this file; give the id of the comment this one answers, or remove 'parent'"),
    ("comments:\n  - id: 1\n    author: Jane\n    date: 2010-04-24\n    parent: 2\n    text: Hi\n"
     "  - id: 2\n    author: Bob\n    date: 2010-04-25\n    parent: 1\n    text: Hi\n", 5,
     "'parent' 2 is the comment itself or one of its replies; give the id of the comment this one answers, or remove 'parent'"),
    ("replies:\n  - id: 1\n", 1,
     "the file must hold 'comments:' and under it a list of comments, each starting '- id:'"),
])
def test_a_mistake_in_a_comments_file_is_reported_at_its_line(tiny: TinySite, text: str, line: int, message: str):
    a_post(tiny)
    tiny.write(COMMENTS, text)
    found = problems(tiny)
    assert f"{COMMENTS}:{line}: {message}" in found, found


def test_comments_for_a_post_that_does_not_exist_are_reported_with_the_closest_name(tiny: TinySite):
    a_post(tiny)
    tiny.write("content/comments/posts/2010-04-23-total-plaice.yaml", THREAD)
    assert problems(tiny) == [
        "content/comments/posts/2010-04-23-total-plaice.yaml:1: these comments belong to "
        "content/posts/2010-04-23-total-plaice.md, which does not exist; name the file after its post or page "
        f"(did you mean '{POST}'?), or delete it"]


# --- old addresses ------------------------------------------------------------------------------

REDIRECTS_TEXT = """\
redirects:
  - from: /?p=123
    to: content/posts/2010-04-23-total-place.md
  - from: /?page_id=7
    to: content/pages/about.md
  - from: /about-us/
    to: content/pages/about.md
  - from: /feed/
    to: /feed.xml
  - from: /wp-content/uploads/2010/04/briefing.pdf
    to: /feed.xml
  - from: /old-page.html
    to: /
"""


def test_redirects_are_published_as_a_netlify_file_and_as_pages_where_a_path_can_hold_one(tiny: TinySite):
    a_post(tiny)
    tiny.write(REDIRECTS, REDIRECTS_TEXT)
    out = built(tiny)
    assert (out / "_redirects").read_text(encoding="utf-8").splitlines()[1:] == [
        "/ p=123 /2010/04/23/total-place/ 301",
        "/ page_id=7 /about/ 301",
        "/about-us/ /about/ 301",
        "/feed/ /feed.xml 301",
        "/wp-content/uploads/2010/04/briefing.pdf /feed.xml 301",
        "/old-page.html / 301",
    ]
    page = (out / "about-us/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/about/">' in page
    assert '<link rel="canonical" href="https://example.org/about/">' in page
    assert '<a href="/about/">https://example.org/about/</a>' in page
    assert (out / "feed/index.html").is_file() and (out / "old-page.html").is_file()
    assert not (out / "wp-content").exists()  # a PDF's address cannot be an HTML page
    assert "about-us" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_redirects_in_a_sub_path_site_carry_its_path(tiny: TinySite):
    tiny.write("pyproject.toml", (tiny.root / "pyproject.toml").read_text().replace(
        'url = "https://example.org/"', 'url = "https://example.github.io/blog/"'))
    a_post(tiny)
    tiny.write(REDIRECTS, "redirects:\n  - from: /about-us/\n    to: content/pages/about.md\n")
    out = built(tiny)
    assert (out / "_redirects").read_text(encoding="utf-8").splitlines()[1:] == ["/blog/about-us/ /blog/about/ 301"]
    assert 'url=/blog/about/"' in (out / "about-us/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("text, message", [
    ("redirects:\n  - from: /old/\n    to: content/posts/2010-04-23-total-plaice.md\n",
     f"2: 'to' names content/posts/2010-04-23-total-plaice.md, which does not exist (did you mean '{POST}'?)"),
    ("redirects:\n  - from: /old/\n    to: /no-such-page/\n",
     "2: 'to' names /no-such-page/, which the site does not have; give an address the build makes, or a content file"),
    ("redirects:\n  - from: old/\n    to: /\n",
     "2: 'from' must be an address from the site's root, starting with '/' and without '#' or spaces "
     "(e.g. /2010/04/old-post/ or /?p=123), found 'old/'"),
    ("redirects:\n  - from: /a/\n    to: /\n  - from: /a/\n    to: /feed.xml\n",
     "4: '/a/' is redirected twice: here and on line 2; keep one"),
    ("redirects:\n  - from: /about/\n    to: /\n",
     "2: /about/ is an address of the site itself; remove this redirect"),
    ("redirects:\n  - from: /a/\n    destination: /\n",
     "3: unknown field 'destination' in a redirect; a redirect has 'from' and 'to'"),
    ("redirects:\n  - from: /a/\n", "2: this redirect has no 'to'"),
    ("redirects: /a/\n", "1: the file must hold 'redirects:' and under it a list, each item "
     "'- from: /old/address/' with 'to: content/….md' below it"),
    ("- from: /a/\n  to: /\n", "1: the file must hold 'redirects:' and under it a list, each item "
     "'- from: /old/address/' with 'to: content/….md' below it"),
])
def test_a_mistake_in_the_redirects_is_reported_at_its_line(tiny: TinySite, text: str, message: str):
    a_post(tiny)
    tiny.write(REDIRECTS, text)
    assert problems(tiny) == [f"{REDIRECTS}:{message}"]


def test_a_redirect_to_a_draft_says_it_is_not_published(tiny: TinySite):
    a_post(tiny)
    tiny.post("2010-04-30-draft", "title: A draft\ndate: 2010-04-30\ndraft: true")
    tiny.write(REDIRECTS, "redirects:\n  - from: /old/\n    to: content/posts/2010-04-30-draft.md\n")
    assert problems(tiny) == [f"{REDIRECTS}:2: 'to' names content/posts/2010-04-30-draft.md, which is not published (a draft?)"]


def test_old_comments_and_redirect_pages_are_valid_html_accessible_and_pass_build_py_check(tiny: TinySite):

    from test_accessibility import violations
    from test_check import require_java

    require_java()
    a_post(tiny)
    tiny.write(COMMENTS, THREAD + HOSTILE.replace("comments:\n  - id: 1\n", "  - id: 1\n"))
    tiny.write(REDIRECTS, REDIRECTS_TEXT)
    out = built(tiny)
    done = run_build_py("--now", "2026-01-01", "check", "--root", tiny.root, cwd=tiny.root)
    assert done.returncode == 0, done.stderr
    with serve(out) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/2010/04/23/total-place/")
        assert violations(page) == []
        # The redirect page as published but for its refresh, which would leave it before axe could run.
        moved = (out / "about-us/index.html").read_text(encoding="utf-8")
        still = moved.replace('<meta http-equiv="refresh" content="0; url=/about/">\n', "")
        assert still != moved
        page.route(base + "/about-us/", lambda route: route.fulfill(body=still, content_type="text/html; charset=utf-8"))
        page.goto(base + "/about-us/")
        assert violations(page) == []


def test_on_a_host_without_redirects_an_old_query_address_is_sent_on_by_the_home_page_s_script(tiny: TinySite):
    a_post(tiny)
    tiny.write(REDIRECTS, REDIRECTS_TEXT)
    out = built(tiny)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script src="/js/old-addresses\.js\?v=\w+" data-addresses="/old-addresses\.json" defer></script>', home)
    assert "old-addresses" not in (out / "2010/04/23/total-place/index.html").read_text(encoding="utf-8")
    with serve(out) as base, chromium() as browser:  # a plain static server, as GitHub Pages is
        page = browser.new_page()
        page.goto(base + "/?p=123")
        page.wait_for_url(base + "/2010/04/23/total-place/")
        page.goto(base + "/?page_id=7#team")
        page.wait_for_url(base + "/about/#team")
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base + "/")  # no query string: the list is not even fetched
        assert not any("old-addresses.json" in url for url in requests)


def test_without_query_addresses_no_page_loads_the_script(tiny: TinySite):
    a_post(tiny)
    tiny.write(REDIRECTS, "redirects:\n  - from: /about-us/\n    to: content/pages/about.md\n")
    out = built(tiny)
    assert "old-addresses" not in (out / "index.html").read_text(encoding="utf-8")
    assert not (out / "old-addresses.json").exists()
