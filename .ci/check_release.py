"""Release check: the distributions in DIST are statusgen at exactly the version the tag names.

Usage: python .ci/check_release.py TAG DIST   (run by .github/workflows/release.yml after the build)

The tag `v0.2.0` must find `statusgen-0.2.0.tar.gz` and `statusgen-0.2.0-py3-none-any.whl` and
nothing else, a wheel whose metadata says 0.2.0, and `statusgen.__version__` (what
`statusgen --version` prints and `statusgen init` writes into a new site's workflow) 0.2.0 too.
"""

from __future__ import annotations

import re
import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)


def problems(tag: str, dist: Path) -> list[str]:
    if not re.fullmatch(r"v\d+(\.\d+)*([a-z0-9.]*)", tag):
        return [f"{tag!r} is not a version tag such as v1.2.3"]
    version = tag[1:]
    wheel_name, sdist_name = f"statusgen-{version}-py3-none-any.whl", f"statusgen-{version}.tar.gz"
    found = sorted(path.name for path in dist.iterdir()) if dist.is_dir() else []
    if found != sorted([wheel_name, sdist_name]):
        return [f"the tag {tag} needs {dist}/ to hold exactly {sdist_name} and {wheel_name}; it holds "
                f"{', '.join(found) or 'nothing'} (is the version in pyproject.toml {version}?)"]
    with zipfile.ZipFile(dist / wheel_name) as wheel:
        metadata = HeaderParser().parsestr(wheel.read(f"statusgen-{version}.dist-info/METADATA").decode())
        in_code = VERSION_LINE.search(wheel.read("statusgen/__init__.py").decode())
    found_problems = []
    if metadata["Version"] != version:
        found_problems.append(f"the wheel's metadata says version {metadata['Version']}, the tag {tag}")
    if in_code is None or in_code.group(1) != version:
        said = in_code.group(1) if in_code else "nothing"
        found_problems.append(f"statusgen/__init__.py says __version__ {said}, the tag {tag}")
    return found_problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    found = problems(argv[0], Path(argv[1]))
    for problem in found:
        print(f"::error::{problem}")
    if not found:
        print(f"{argv[0]}: the distributions are statusgen {argv[0][1:]}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
