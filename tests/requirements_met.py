"""Exit 0 when every requirement of a requirements file (and of the files it includes with -r)
is installed in a version it allows, with the packages of its extras; else print what is
missing and exit 1.  tests/run.sh runs pip only then, so a second run installs nothing.

    python tests/requirements_met.py requirements-dev.txt
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement


def requirement_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r"):
            lines += requirement_lines(path.parent / line[2:].strip())
        elif line:
            lines.append(line)
    return lines


def missing(req: Requirement, extra: str = "") -> list[str]:
    """What of `req` is not installed: itself (absent, or a version it does not allow) or a
    package one of its extras adds."""
    if req.marker is not None and not req.marker.evaluate({"extra": extra}):
        return []
    try:
        version = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        return [str(req)]
    if not req.specifier.contains(version, prereleases=True):
        return [f"{req} ({version} installed)"]
    added = [Requirement(r) for r in metadata.requires(req.name) or []]
    return [
        gap
        for name in sorted(req.extras)
        for r in added
        if r.marker is not None and "extra" in str(r.marker)
        for gap in missing(r, name)
    ]


def main(path: str) -> int:
    gaps = [gap for line in requirement_lines(Path(path)) for gap in missing(Requirement(line))]
    for gap in gaps:
        print(f"missing: {gap}")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
