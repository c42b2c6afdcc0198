"""`build.py new "Title"`: start a post, as a draft, with its front matter filled in.

The file is named YYYY-MM-DD-slug.md like every other post. python-frontmatter writes the
front matter, so a title with a colon or quotes is still valid YAML. The post is a draft:
`make serve` shows it with a banner, and a build publishes it only once the editor
removes `draft: true`. Its one paragraph tells the editor what to do, and the build refuses
to publish a post that still has it (content.NEW_POST_TEXT), so it never reaches readers.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import frontmatter

from .config import load_config
from .content import NEW_POST_TEXT
from .fields import slugify

POSTS = "content/posts"
BODY = (f"{NEW_POST_TEXT} While the line `draft: true` above is there, `make serve` shows the post "
        "with a banner and the site does not publish it. The build will not publish this paragraph. "
        "To show a picture, put it in `content/images/` and write "
        "`![what the picture shows](../images/your-picture.jpg)` on a line of its own.")
ADVICE = ("Started a draft post: write it in the file above. `make serve` previews it as you type "
          "(or `.venv/bin/python build.py serve`); remove the line `draft: true` to publish it.")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(text: str) -> date | None:
    """'2010-04-23' as a date; None for anything else, a time included."""
    if not _DAY.match(text.strip()):
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:  # 2010-02-30
        return None


def check_project(root: Path) -> str | None:
    """Why `root` is not a project folder to add a post to, or None when it is."""
    if (root / "pyproject.toml").is_file():
        return None
    return f"{root} has no pyproject.toml, so it is not a PlacePress project; run this in the project folder or give --root DIR"


def check_title(title: str) -> str | None:
    """Why `title` cannot name a post file, or None when it can."""
    if slugify(title):
        return None
    return (f"the title '{title}' has no letters a-z or digits to make the file name from; "
            "give a title with some (you can change it in the file afterwards)")


def post_path(title: str, day: date) -> str:
    """'content/posts/2010-04-23-total-place.md', from the project folder."""
    return f"{POSTS}/{day.isoformat()}-{slugify(title)}.md"


def render_post(title: str, day: date, categories: list[str]) -> str:
    """Pure: the text of the new post's file."""
    post = frontmatter.Post(BODY, title=title, date=day, categories=list(categories), tags=[], draft=True)
    # Fields in the order an editor reads them, each on one line however long the title:
    # PyYAML would sort them and fold a title longer than 80 characters.
    return frontmatter.dumps(post, sort_keys=False, width=10_000) + "\n"


def create_post(root: Path, title: str, day: date, categories: list[str]) -> str:
    """Write the new post; its path from the project folder. FileExistsError if it exists."""
    relative = post_path(title, day)
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as file:  # "x": never overwrite
        file.write(render_post(title, day, categories))
    return relative


def local_day(root: Path, now: datetime) -> date:
    """`now`'s day in the site's time zone (Europe/London when the settings have problems:
    the build reports those)."""
    config, _ = load_config(root)
    return now.astimezone(config.zone).date()
