"""The publishing set-up: the GitHub Pages workflow and netlify.toml.

The workflow is checked three ways: against GitHub's workflow schema (check-jsonschema's
vendored copy), by zizmor's security audits, and by rule, read with PyYAML. Both tools
run offline, from this interpreter's own bin folder. When one is missing the test is
skipped on a developer's machine and fails under CI=true (see browser.require).
"""

from __future__ import annotations

import json
import re
import subprocess
import sysconfig
import tomllib
from pathlib import Path

import pytest
import yaml

from browser import require
from conftest import PROJECT

WORKFLOW = PROJECT / ".github" / "workflows" / "publish.yml"
NETLIFY = PROJECT / "netlify.toml"
SCRIPTS = Path(sysconfig.get_path("scripts"))
PINNED = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
# 'wasm-unsafe-eval': the search page compiles Pagefind's WebAssembly (tests/test_search.py shows
# that search fails without it and works with exactly this policy).
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
       "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


def tool(name: str) -> Path:
    path = SCRIPTS / name
    require(path.exists(), f"{name} is not installed in {SCRIPTS}; install the project's 'test' extra")
    return path


def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True, cwd=PROJECT, timeout=120)


def load_workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    found = workflow.get("on", workflow.get(True))
    return {found: None} if isinstance(found, str) else dict(found)


def steps_of(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def all_steps(workflow: dict) -> list[tuple[str, dict]]:
    return [(name, step) for name, job in workflow["jobs"].items() for step in job.get("steps", [])]


# --- third-party checks ---------------------------------------------------------------

def test_the_workflow_is_valid_against_githubs_workflow_schema():
    checker = tool("check-jsonschema")
    done = run(checker, "--builtin-schema", "vendor.github-workflows", WORKFLOW.relative_to(PROJECT))
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing_of_high_severity_in_the_workflow():
    zizmor = tool("zizmor")
    done = run(zizmor, "--offline", "--no-exit-codes", "--format", "json", WORKFLOW.relative_to(PROJECT))
    assert done.returncode == 0, done.stderr
    findings = json.loads(done.stdout)
    high = [f"{f['ident']}: {f['desc']} (line {f['locations'][0]['concrete']['location']['start_point']['row'] + 1})"
            for f in findings if f["determinations"]["severity"] == "High"]
    assert high == []


# --- the workflow, by rule ------------------------------------------------------------

def test_the_workflow_runs_on_push_to_main_pull_requests_a_daily_schedule_and_by_hand():
    on = triggers(load_workflow())
    assert set(on) == {"push", "pull_request", "schedule", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]
    crons = [entry["cron"] for entry in on["schedule"]]
    assert len(crons) == 1
    minute, hour, day, month, weekday = crons[0].split()
    assert (day, month, weekday) == ("*", "*", "*"), "the rebuild must run every day"
    assert minute.isdigit() and hour.isdigit(), "once a day, at a fixed time"


def evaluate(condition: str, event: str, ref: str) -> bool:
    """A GitHub `if:` made only of github.event_name, github.ref, strings, ==, !=, &&, || and
    parentheses, evaluated as Python. Anything else in it fails the test."""
    values = {"github.event_name": event, "github.ref": ref}
    tokens = re.findall(r"\s*(github\.event_name|github\.ref|'[^']*'|==|!=|&&|\|\||\(|\))", condition)
    assert "".join(tokens).replace(" ", "") == re.sub(r"\s+", "", condition), f"unexpected expression: {condition}"
    words = {"&&": "and", "||": "or"}
    python = " ".join(repr(values[t]) if t in values else words.get(t, t) for t in (t.strip() for t in tokens))
    return eval(python, {"__builtins__": {}})  # only the whitelisted tokens above reach here


@pytest.mark.parametrize("event, ref, deploys", [
    ("push", "refs/heads/main", True),
    ("schedule", "refs/heads/main", True),
    ("workflow_dispatch", "refs/heads/main", True),
    ("pull_request", "refs/pull/7/merge", False),
    ("pull_request", "refs/heads/main", False),
    ("workflow_dispatch", "refs/heads/a-branch", False),
    ("push", "refs/heads/a-branch", False),
])
def test_the_deploy_job_runs_only_for_main_on_push_schedule_or_dispatch(event, ref, deploys):
    deploy = load_workflow()["jobs"]["deploy"]
    assert evaluate(deploy["if"], event, ref) is deploys


def test_the_deploy_job_needs_the_build_and_deploys_to_the_pages_environment():
    jobs = load_workflow()["jobs"]
    deploy = jobs["deploy"]
    needs = deploy["needs"]
    assert (needs if isinstance(needs, list) else [needs]) == ["build"]
    environment = deploy["environment"]
    assert (environment["name"] if isinstance(environment, dict) else environment) == "github-pages"
    assert deploy["concurrency"]["group"] == "pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/configure-pages", "actions/deploy-pages"]
    upload = [s for s in steps_of(load_workflow(), "build") if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1 and upload[0]["with"]["path"].rstrip("/") == "site"


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version_in_a_comment():
    uses = [step["uses"] for _, step in all_steps(load_workflow()) if "uses" in step]
    assert uses, "the workflow uses no actions?"
    assert [u for u in uses if not PINNED.match(u)] == []
    lines = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if line.strip().startswith(("uses:", "- uses:"))]
    assert [line for line in lines if not re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line)] == []


def test_the_build_job_runs_make_test_then_make_site_then_make_check():
    commands = [step.get("run", "") for step in steps_of(load_workflow(), "build")]

    def position(target: str) -> int:
        found = [i for i, script in enumerate(commands) if re.search(rf"^\s*{target}\s*$", script, re.MULTILINE)]
        assert len(found) == 1, f"'{target}' should be run by exactly one step"
        return found[0]

    assert position("make test") < position("make site") < position("make check")


def test_the_site_is_built_even_after_a_failed_test_so_problems_reach_the_pull_request():
    # A content mistake fails the tests first; the build's annotations only appear if it runs.
    build = next(s for s in steps_of(load_workflow(), "build") if re.search(r"^\s*make site\s*$", s.get("run", ""), re.MULTILINE))
    assert "!cancelled()" in build.get("if", "")
    upload = next(s for s in steps_of(load_workflow(), "build") if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert "cancelled" not in upload.get("if", "") and "always" not in upload.get("if", ""), "never upload after a failure"


def test_the_top_level_permissions_grant_nothing_beyond_reading():
    permissions = load_workflow()["permissions"]
    assert permissions in ({}, "read-all") or (isinstance(permissions, dict) and set(permissions.values()) <= {"read", "none"})


def test_only_the_deploy_job_can_write_to_pages_or_mint_an_id_token():
    jobs = load_workflow()["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    for name, job in jobs.items():
        if name != "deploy":
            assert set(job.get("permissions", {}).values()) <= {"read", "none"}, name


def test_checkout_does_not_keep_the_token_on_disk():
    checkouts = [step for _, step in all_steps(load_workflow()) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(step.get("with", {}).get("persist-credentials") is False for step in checkouts)


def test_no_run_script_expands_a_template_expression():
    # ${{ }} in a script is pasted in before the shell sees it; untrusted text there is a command.
    scripts = {f"{job}: {step.get('name', step['run'][:30])}": step["run"] for job, step in all_steps(load_workflow()) if "run" in step}
    assert [name for name, script in scripts.items() if "${{" in script] == []


def test_the_build_does_not_fix_the_date_so_the_daily_rebuild_sees_the_day():
    workflow = load_workflow()
    environments = [workflow.get("env", {})] + [job.get("env", {}) for job in workflow["jobs"].values()]
    environments += [step.get("env", {}) for _, step in all_steps(workflow)]
    assert not any("SOURCE_DATE_EPOCH" in env for env in environments)
    assert not any("--now" in step.get("run", "") for _, step in all_steps(workflow))


def test_pip_and_the_build_cache_are_cached():
    steps = steps_of(load_workflow(), "build")
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["cache"] == "pip"
    assert python["with"]["cache-dependency-path"] == "pyproject.toml"
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"].rstrip("/") == ".cache"
    for folder in ("content/", "data/", "templates/", "static/", "pyproject.toml"):
        assert folder in cache["with"]["key"], folder
    assert cache["with"]["restore-keys"].strip()


# --- netlify.toml ---------------------------------------------------------------------

def load_netlify() -> dict:
    return tomllib.loads(NETLIFY.read_text(encoding="utf-8"))


def headers_for(config: dict, path: str) -> dict:
    return next(rule["values"] for rule in config["headers"] if rule["for"] == path)


def test_netlify_builds_with_build_py_and_publishes_the_site_folder():
    build = load_netlify()["build"]
    assert build["publish"] == "site"
    assert "build.py build" in build["command"]


def test_netlify_sends_the_strict_content_security_policy_on_every_page():
    every = headers_for(load_netlify(), "/*")
    assert every["Content-Security-Policy"] == CSP
    assert every["X-Content-Type-Options"] == "nosniff"
    assert every["Referrer-Policy"] == "strict-origin-when-cross-origin"
    for feature in ("camera", "microphone", "geolocation", "interest-cohort"):
        assert f"{feature}=()" in every["Permissions-Policy"], feature


def test_netlify_serves_calendars_and_feeds_with_their_types_and_404_html_for_missing_pages():
    config = load_netlify()
    assert headers_for(config, "/forums.ics")["Content-Type"].startswith("text/calendar")
    assert headers_for(config, "/feed.xml")["Content-Type"].startswith("application/atom+xml")
    assert "immutable" in headers_for(config, "/css/*")["Cache-Control"]
    assert {"from": "/*", "to": "/404.html", "status": 404} in config["redirects"]
