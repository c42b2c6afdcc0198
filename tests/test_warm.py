"""serve's warm rebuilds: the build's memory kept between builds by one process
(placepress/warm.py) gives, after any sequence of edits, the same preview as a clean build.

The random edits, mistakes and damage are those of tests/test_incremental.py; here each build
is `Preview.rebuild()` on one Preview kept for the whole sequence, as `build.py serve` keeps it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from test_incremental import EXPLORE, NOW, IncrementalSite, Project, assert_same_as_clean, tree
from placepress.incremental import BuildCache
from placepress.problems import ProblemsFound
from placepress.serve import Preview


class WarmPreview(IncrementalSite):
    """IncrementalSite, built by one long-lived Preview into its folder under .cache/."""

    OPTIONS = {"preview": True}

    def __init__(self) -> None:
        super().__init__()
        self.preview = Preview(self.project.root, self.now)
        self.out = self.preview.folder

    def build_site(self) -> None:
        self.preview.now = self.now
        problems = self.preview.rebuild()
        if problems:
            raise ProblemsFound(problems)

    build_into_the_other_folder = None
    """The preview has one folder."""

    change_the_site_by_hand = None
    """The preview's folder is the process's own (warm.py): a change made there by hand is put
    right by the next process, not the next rebuild (the last test below)."""


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
