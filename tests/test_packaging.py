"""A wheel carries everything a status-site repository needs: the theme, templates, scaffold, JS assets."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO


def test_wheel_builds_a_fresh_site_without_the_source_checkout(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                    str(REPO)], check=True, timeout=300, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("statusgen-*.whl")
    metadata = zipfile.ZipFile(wheel).read(f"{wheel.name.split('-py3')[0]}.dist-info/METADATA").decode()
    urls = dict(line.split(": ", 1)[1].split(", ", 1) for line in metadata.splitlines()
                if line.startswith("Project-URL: "))
    assert set(urls) == {"Homepage", "Source", "Issues", "Changelog"}
    assert all(url.startswith("https://github.com/") for url in urls.values()), urls
    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    assert (installed / "statusgen/themes/default/templates/index.html").is_file()
    assert (installed / "statusgen/themes/default/assets/style.css").is_file()
    assert (installed / "statusgen/authoring_templates/acknowledgement.md").is_file()
    assert (installed / "statusgen/scaffold/workflow.yml").is_file()
    assert (installed / "statusgen/render/assets/widget.js").is_file()
    assert (installed / "statusgen/preview/reload.js").is_file()

    site = tmp_path / "mysite"
    env = {"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin"}
    run = lambda *args: subprocess.run([sys.executable, "-c", "from statusgen.cli import main; main()", *args],
                                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    where = run("--version")
    assert where.returncode == 0, where.stderr
    created = run("init", str(site))
    assert created.returncode == 0, created.stdout + created.stderr
    built = run("build", "--source", str(site), "--now", "2026-11-26T07:00:00Z")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (site / "site/index.html").is_file() and (site / "site/assets/style.css").is_file()
