"""How a mistake in the user's input is recorded and reported.

A Problem is an editor's mistake (content, data, settings, templates), never a
bug in PlacePress. Loaders return problems instead of raising, so one run can
report every mistake at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    """The file at fault, relative to the project root, with forward slashes."""
    line: int
    """1-based line in that file; 0 when the file as a whole is at fault."""
    message: str
    """What is wrong, in words an editor understands, with the fix."""

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"


def report_order(problem: Problem) -> tuple[int, str, int, str]:
    """Causes first: the settings and the data files that content refers to come before the
    content and templates, whose problems may follow from theirs; then by file and line."""
    rank = 0 if problem.path == "pyproject.toml" else 1 if problem.path.startswith("data/") else 2
    return rank, problem.path, problem.line, problem.message


class ProblemsFound(Exception):
    """Raised at a gate when the input had problems; carries all of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=report_order)
        super().__init__(f"{len(self.problems)} problem(s)")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix, or '' when nothing is close."""
    import difflib  # here: only a build with a problem to report needs it

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def format_report(problems: Iterable[Problem], github: bool = False, outcome: str = "site not written") -> str:
    """All problems, causes first (report_order), one a line, then a summary line.

    With github=True each problem is also given as a GitHub Actions
    annotation so it shows on the changed line of a pull request.
    """
    ordered = sorted(set(problems), key=report_order)
    lines = [str(p) for p in ordered]
    if github:
        lines += [_annotation(p) for p in ordered]
    files = len({p.path for p in ordered})
    noun = "problem" if len(ordered) == 1 else "problems"
    where = "file" if files == 1 else "files"
    lines.append(f"Found {len(ordered)} {noun} in {files} {where}; {outcome}.")
    return "\n".join(lines)


def format_warnings(warnings: Iterable[Problem], github: bool = False) -> str:
    """What was accepted but should be finished, one a line as `path:line: warning: message`."""
    ordered = sorted(set(warnings))
    lines = [str(Problem(w.path, w.line, f"warning: {w.message}")) for w in ordered]
    if github:
        lines += [_annotation(w, "warning") for w in ordered]
    return "\n".join(lines)


def _annotation(problem: Problem, kind: str = "error") -> str:
    # GitHub's workflow-command syntax needs %, CR and LF escaped in the message.
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    line = f",line={problem.line}" if problem.line else ""
    return f"::{kind} file={problem.path}{line}::{message}"
