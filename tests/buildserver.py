"""Runs `build.py` for the tests, each run in a new process forked from this one.

The tests start build.py some six hundred times. Each fresh interpreter spent about a tenth
of a second importing PlacePress and its libraries before doing anything; this process imports
them once, and each run is forked from it: a process of its own, with the arguments, folder,
environment and output the test gave, which runs build.py's own code as `python build.py` would
and exits with its code. Only the import is shared, never the state of a build: nothing is run
here before a fork.

What still needs a fresh interpreter starts one (tests/test_stamp.py counts the modules a build
imports; tests/test_output.py builds under two hash seeds).

Protocol, one JSON line each way: {"args", "cwd", "env", "stdout", "stderr"} in (the last two
name files for the run's output), {"code": exit code} out.
"""

from __future__ import annotations

import atexit
import json
import os
import runpy
import sys
import traceback

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD_PY = os.path.join(PROJECT, "build.py")

# What `python build.py` finds first on its path: the project (build.py's own folder).
sys.path[0] = PROJECT

# The modules every build imports; those of `check`, `serve` and the importer load in the run.
import frontmatter  # noqa: E402,F401
import jinja2  # noqa: E402,F401
import markdown  # noqa: E402,F401
import yaml  # noqa: E402,F401

import placepress.cli  # noqa: E402,F401
import placepress.pipeline  # noqa: E402,F401


def run(request: dict) -> int:
    """In the forked process: become `python build.py ARGS` and return its exit code."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        out = os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, fd)
        os.close(out)
    sys.argv = [BUILD_PY, *request["args"]]
    try:
        runpy.run_path(BUILD_PY, run_name="__main__")
        return 0
    except SystemExit as stop:  # as the interpreter treats it at the end of a script
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1


def serve() -> None:
    answers = os.fdopen(os.dup(1), "w")
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                answers.close()  # the test waits on this pipe, not on what the run may leave running
                code = run(request)
            finally:
                atexit._run_exitfuncs()  # what an interpreter does as it exits
                for stream in (sys.stdout, sys.stderr):
                    try:
                        stream.flush()
                    except Exception:
                        pass
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        answers.write(json.dumps({"code": os.waitstatus_to_exitcode(status)}) + "\n")
        answers.flush()


if __name__ == "__main__":
    serve()
