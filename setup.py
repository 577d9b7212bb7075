"""Ship themes/default inside the package (statusgen/themes/default) in wheels and sdists.

pyproject.toml holds all metadata; this file only copies the theme in at build time, because
setuptools cannot map a folder outside the package into it declaratively.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithTheme(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).parent / "themes"
        target = Path(self.build_lib) / "statusgen" / "themes"
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithTheme})
