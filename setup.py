"""The build's one addition to pyproject.toml: the wheel carries, inside the package
(zi_dashboard/_project/), the project files the installed dashboard needs: the bundled data,
app.py, pages/, assets/ and .streamlit/config.toml.  In the repository they stay where they are;
zi_dashboard/reading/resources.py finds either place."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("app.py", "pages/*.py", "assets/*.png", ".streamlit/config.toml", "data/*.csv", "data/*.xlsx", "data/*.docx")


class BuildWithProjectFiles(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the project folder itself
            return
        target = Path(self.build_lib) / "zi_dashboard" / "_project"
        for pattern in SHIPPED:
            for source in sorted(ROOT.glob(pattern)):
                copy = target / source.relative_to(ROOT)
                self.mkpath(str(copy.parent))
                self.copy_file(str(source), str(copy))


setup(cmdclass={"build_py": BuildWithProjectFiles})
