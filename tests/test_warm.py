"""serve's warm rebuilds: the build's memory kept between builds by one process
(placepress/warm.py) gives, after any sequence of edits, the same preview as a clean build.

The random edits, mistakes and damage are those of tests/test_incremental.py; here each build
is `Preview.rebuild()` on one Preview kept for the whole sequence, as `build.py serve` keeps it.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, note, settings
from hypothesis.stateful import run_state_machine_as_test

from test_incremental import COMPILED, EXPLORE, NOW, IncrementalSite, Project, assert_same_as_clean, tree
from placepress.incremental import BuildCache
from placepress.problems import ProblemsFound
from placepress.content import list_sources, relist
from placepress.serve import Preview
from placepress.watch import WATCHED


class WarmPreview(IncrementalSite):
    """IncrementalSite, built by one long-lived Preview into its folder under .cache/. Each
    rebuild is told the paths changed since the last one, as serve's watcher tells them, but
    every third is told nothing (None), as after the watcher fell back to polling."""

    OPTIONS = {"preview": True}

    def __init__(self) -> None:
        super().__init__()
        self.preview = Preview(self.project.root, self.now)
        # Compiled as in the clean builds (COMPILED): what each example's first rebuild would
        # compile again is a pure function of the templates' sources and files.
        self.preview.cache.compiled = COMPILED
        self.out = self.preview.folder
        self.seen: tuple[dict, set[str]] | None = None
        self.builds = 0

    def build_site(self) -> None:
        self.preview.now = self.now
        self.builds += 1
        now = sources(self.project.root)
        told = None if self.seen is None or self.builds % 3 == 0 else changes(self.seen, now)
        self.seen = now
        note(f"the paths told: {sorted(told) if told is not None else None}")
        problems = self.preview.rebuild(changed=told)
        if problems:
            raise ProblemsFound(problems)

    build_into_the_other_folder = None
    """The preview has one folder."""

    change_the_site_by_hand = None
    """The preview's folder is the process's own (warm.py): a change made there by hand is put
    right by the next process, not the next rebuild (the last test below)."""


def sources(root: Path) -> tuple[dict[str, tuple[bytes, int, int]], set[str]]:
    """Every file and folder of what a build reads, each file with its bytes, size and time."""
    files, folders = {}, set()
    for name in WATCHED:
        for parent, names, leaves in os.walk(root / name):
            folders.update(Path(parent, leaf).relative_to(root).as_posix() for leaf in names)
            for leaf in leaves:
                path = Path(parent, leaf)
                info = path.stat()
                files[path.relative_to(root).as_posix()] = (path.read_bytes(), info.st_size, info.st_mtime_ns)
        if (root / name).is_file():
            info = (root / name).stat()
            files[name] = ((root / name).read_bytes(), info.st_size, info.st_mtime_ns)
    return files, folders


def changes(before: tuple[dict, set[str]], after: tuple[dict, set[str]]) -> frozenset[str]:
    """What file system events would tell: each file written, made or removed, each folder made or removed."""
    (old, old_folders), (new, new_folders) = before, after
    return frozenset({path for path in old.keys() | new.keys() if old.get(path) != new.get(path)} | (old_folders ^ new_folders))


@pytest.mark.heavy(24)
def test_a_warm_preview_is_byte_identical_to_a_clean_preview_build_after_every_random_edit() -> None:
    run_state_machine_as_test(WarmPreview, settings=settings(
        max_examples=EXPLORE or 25, derandomize=not EXPLORE, stateful_step_count=10, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]))


def test_a_warm_rebuild_of_one_edited_post_renders_only_the_pages_that_show_it(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    preview = Preview(project.root, NOW)
    assert preview.rebuild() == []
    before = tree(preview.folder)
    post = project.posts[3]
    post.paragraphs[1] = "A later paragraph, rewritten in the warm process."
    project.sync()
    assert preview.rebuild() == []
    after = tree(preview.folder)
    changed = {name for name in after if after[name] != before.get(name)}
    # The search index names its files after their content: the post's record is a new file.
    index = {name for name in changed if name.startswith("pagefind/")}
    assert len([name for name in index if name.startswith("pagefind/fragment/")]) == 1
    assert changed - index == {"2010/03/01/hulme-3/index.html", "feed.xml", "category/housing/feed.xml"}
    assert_same_as_clean(project.root, preview.folder, preview=True)


def test_after_an_edit_to_a_body_alone_the_warm_process_looks_again_only_at_the_pages_that_read_it(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    preview = Preview(project.root, NOW)
    assert preview.rebuild() == []
    assert preview.cache.changed is None  # the first build: everything is looked at
    post = project.posts[3]
    post.paragraphs[1] = "A later paragraph, rewritten in the warm process."
    project.sync()
    assert preview.rebuild() == []
    # The site and its routes were the last build's: only the edited body's pages were fingerprinted.
    assert preview.cache.changed == {f"content/posts/{post.stem}.md"}
    assert_same_as_clean(project.root, preview.folder, preview=True)

    post.title = "A title changed in the front matter"  # changes the site: every page is looked at
    project.sync()
    assert preview.rebuild() == []
    assert preview.cache.changed is None
    assert_same_as_clean(project.root, preview.folder, preview=True)

    assert preview.rebuild() == []  # nothing changed since: nothing to look at again
    assert preview.cache.changed == frozenset()
    assert preview.report.rendered == 0


def test_what_the_warm_process_kept_is_saved_for_the_next_one_when_it_stops(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    first = Preview(project.root, NOW)
    assert first.rebuild() == []
    project.posts[3].paragraphs[1] = "Edited while the first preview ran."
    project.sync()
    assert first.rebuild() == []
    unsaved = Preview(project.root, NOW)  # a new process, before the first has saved anything
    assert unsaved.rebuild() == []
    assert unsaved.report.rendered == unsaved.report.pages  # it had no record of the preview

    first.cache.flush()
    second = Preview(project.root, NOW)
    assert second.rebuild() == []
    assert second.report.rendered == 0
    assert_same_as_clean(project.root, second.folder, preview=True)


def test_the_warm_process_saves_its_record_of_the_forums_and_of_the_markdown_bodies(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    preview = Preview(project.root, NOW)
    assert preview.rebuild() == []
    preview.cache.flush()
    on_disk = BuildCache(project.root / ".cache", preview.folder)  # what the next process reads
    assert on_disk.forums() and on_disk.forums() == preview.cache.forums()
    assert on_disk.markdown_keys() and on_disk.markdown_keys() == preview.cache.markdown_keys()


def test_deleting_cache_while_the_preview_runs_gives_the_whole_preview_again(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    preview = Preview(project.root, NOW)
    assert preview.rebuild() == []
    shutil.rmtree(project.root / ".cache")
    assert preview.rebuild() == []
    assert_same_as_clean(project.root, preview.folder, preview=True)


def test_the_warm_process_trusts_its_own_record_of_the_preview_folder_and_the_next_process_checks_it(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    preview = Preview(project.root, NOW)
    assert preview.rebuild() == []
    (preview.folder / "stray.html").write_text("<p>left by hand</p>", encoding="utf-8")
    project.posts[3].paragraphs[1] = "Edited while the preview runs."
    project.sync()
    assert preview.rebuild() == []
    # Its folder is its own: the process does not list it again on every save.
    assert (preview.folder / "stray.html").is_file()
    preview.cache.flush()
    following = Preview(project.root, NOW)  # the next `build.py serve` lists and checks it all
    assert following.rebuild() == []
    assert not (preview.folder / "stray.html").exists()
    assert_same_as_clean(project.root, following.folder, preview=True)


# --- the content listed from the paths the watcher told ---------------------------------------

def write(root: Path, relative: str, text: str = "---\ntitle: A\n---\n") -> None:
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_text(text, encoding="utf-8")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    for relative in ("content/posts/2010-04-23-a.md", "content/posts/2010-04-24-b.md", "content/pages/about.md",
                     "content/pages/about/history.md", "content/pages/about/people/board.md"):
        write(tmp_path, relative)
    return tmp_path


EDITS = {  # each: what it does, and the paths a watcher tells for it
    "a post edited": (lambda r: write(r, "content/posts/2010-04-23-a.md", "---\ntitle: Edited\n---\nMore.\n"),
                      {"content/posts/2010-04-23-a.md"}),
    "a post added": (lambda r: write(r, "content/posts/2010-04-25-c.md"), {"content/posts/2010-04-25-c.md"}),
    "a post removed": (lambda r: (r / "content/posts/2010-04-24-b.md").unlink(), {"content/posts/2010-04-24-b.md"}),
    "a post renamed": (lambda r: (r / "content/posts/2010-04-24-b.md").rename(r / "content/posts/2010-04-26-b.md"),
                       {"content/posts/2010-04-24-b.md", "content/posts/2010-04-26-b.md"}),
    "a page in a folder edited": (lambda r: write(r, "content/pages/about/people/board.md", "---\ntitle: Board\n---\n"),
                                  {"content/pages/about/people/board.md"}),
    "a page added to a folder": (lambda r: write(r, "content/pages/about/aims.md"), {"content/pages/about/aims.md"}),
    "an editor's leftover": (lambda r: write(r, "content/posts/.2010-04-23-a.md.swp"), {"content/posts/.2010-04-23-a.md.swp"}),
    "a page in a hidden folder": (lambda r: write(r, "content/pages/.drafts/x.md"), {"content/pages/.drafts/x.md"}),
    "a file that is not Markdown": (lambda r: write(r, "content/pages/about/notes.txt"), {"content/pages/about/notes.txt"}),
    "a picture and a document": (lambda r: (write(r, "content/images/a.png", "x"), write(r, "content/documents/b.pdf", "x")),
                                 {"content/images/a.png", "content/documents/b.pdf", "content/images", "content/documents"}),
    "a template and the settings": (lambda r: (write(r, "templates/post.html", "x"), write(r, "pyproject.toml", "x")),
                                    {"templates/post.html", "pyproject.toml", "templates"}),
}
FOLDER_EDITS = {  # a path that stands for a folder, and whatever it held: only a new listing tells
    "a folder of pages added": (lambda r: write(r, "content/pages/team/index.md"), {"content/pages/team"}),
    "a folder of pages removed": (lambda r: shutil.rmtree(r / "content/pages/about"), {"content/pages/about"}),
    "a folder of pages renamed": (lambda r: (r / "content/pages/about").rename(r / "content/pages/who"),
                                  {"content/pages/about", "content/pages/who"}),
    "a folder inside the posts": (lambda r: write(r, "content/posts/old/2009-01-01-x.md"), {"content/posts/old"}),
    "the posts folder removed": (lambda r: shutil.rmtree(r / "content/posts"), {"content/posts"}),
    "the content folder renamed": (lambda r: (r / "content").rename(r / "content-old"), {"content"}),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_the_content_listed_from_the_told_paths_is_the_content_listed_anew(content: Path, edit: str) -> None:
    before = list_sources(content)
    change, told = EDITS[edit]
    change(content)
    assert relist(content, before, frozenset(told)) == list_sources(content)


@pytest.mark.parametrize("edit", sorted(FOLDER_EDITS))
def test_a_folder_made_removed_or_renamed_asks_for_a_new_listing(content: Path, edit: str) -> None:
    before = list_sources(content)
    change, told = FOLDER_EDITS[edit]
    change(content)
    assert relist(content, before, frozenset(told)) is None


def test_the_listing_from_told_paths_looks_at_nothing_else(content: Path) -> None:
    before = list_sources(content)
    write(content, "content/posts/2010-04-23-a.md", "---\ntitle: Edited, and not told\n---\n")
    assert relist(content, before, frozenset()) == before != list_sources(content)


def test_a_rebuild_told_which_paths_changed_builds_what_a_full_listing_would(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    settled = time.time_ns() - 10 * BuildCache.RACY_NS  # else every file is read again, as one maybe edited twice in a tick
    for post in (project.root / "content/posts").iterdir():
        os.utime(post, ns=(settled, settled))
    preview = Preview(project.root, NOW)
    assert preview.rebuild() == []
    project.posts[3].paragraphs[1] = "A paragraph rewritten, and told."
    project.posts[4].paragraphs[1] = "Another paragraph rewritten, and not told."
    touched = project.sync()
    told = frozenset({f"content/posts/{project.posts[3].stem}.md"})
    assert set(touched) > told
    assert preview.rebuild(changed=told) == []
    page = (preview.folder / "2010/03/01/hulme-3/index.html").read_text(encoding="utf-8")
    assert "A paragraph rewritten, and told." in page
    assert "Another paragraph rewritten, and not told." not in tree_text(preview.folder)  # the untold file was not looked at
    assert preview.rebuild(changed=frozenset(touched)) == []
    assert_same_as_clean(project.root, preview.folder, preview=True)


def tree_text(folder: Path) -> str:
    return "".join(data.decode("utf-8", "replace") for data in tree(folder).values())
