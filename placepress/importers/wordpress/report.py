"""The import's report: what came across, and every item left out or changed, with why.

Notes are gathered in sections and printed sorted, so two runs over the same export print the
same report. Nothing here ever holds an e-mail or IP address: the reader never reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SECTIONS = {
    "skipped": "Not imported",
    "media": "Pictures and documents not imported (the text keeps their old address)",
    "changed": "Imported with a change",
    "shortcode": "Shortcodes left as text",
    "kept": "Files left as they are",
    "warning": "Worth a look",
}


@dataclass(frozen=True, order=True)
class Note:
    section: str
    where: str
    """'export.xml:120' or a file of the project."""
    message: str


@dataclass
class Counts:
    posts: int = 0
    pages: int = 0
    drafts: int = 0
    scheduled: int = 0
    comments: int = 0
    comment_files: int = 0
    pictures: int = 0
    documents: int = 0
    redirects: int = 0
    comments_skipped: dict[str, int] = field(default_factory=dict)


def format_report(counts: Counts, notes: list[Note], files: dict[str, int], dry_run: bool) -> str:
    """The whole report as text; `files` counts files by outcome (written, unchanged, kept)."""
    lines = ["Would import:" if dry_run else "Imported:"]
    lines.append(f"  {counts.posts} posts ({counts.drafts} drafts, {counts.scheduled} scheduled), {counts.pages} pages")
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(counts.comments_skipped.items()))
    lines.append(f"  {counts.comments} comments in {counts.comment_files} files" + (f"; not imported: {skipped}" if skipped else ""))
    lines.append(f"  {counts.pictures} pictures, {counts.documents} documents, {counts.redirects} old addresses redirected")
    for section, title in SECTIONS.items():
        chosen = sorted({n for n in notes if n.section == section}, key=_natural)
        if chosen:
            lines.append(f"{title} ({len(chosen)}):")
            lines += [f"  {n.where}: {n.message}" for n in chosen]
    outcome = ", ".join(f"{n} {what}" for what, n in files.items() if n)
    lines.append(f"Files: {outcome or 'none'} ({'nothing written: --dry-run' if dry_run else 'all at once'}).")
    return "\n".join(lines)


def _natural(note: Note) -> tuple:
    """export.xml:9 before export.xml:10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", note.where)), note.message
