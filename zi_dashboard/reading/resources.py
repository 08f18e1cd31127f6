"""Where the files the package ships beside its code are, found with importlib.resources: the
bundled work plan, the example progress file and the LKE table (data/), and the Streamlit app
(app.py, pages/, assets/, .streamlit/config.toml).

In the repository they live in the project folder.  A wheel carries copies of them inside the
package, in zi_dashboard/_project/ (setup.py copies them at build time), so an installed package
needs no checkout; pip installs a wheel as plain files, so these are real paths.

The store (data/store/) and the editors' secrets (.streamlit/secrets.toml) go by default in the
checkout when the package runs from one, else in the folder the command is started in (as
Streamlit looks for secrets there too); ZI_DATABASE_URL and ZI_EDITORS stand in for both."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_PACKAGE = Path(str(resources.files("zi_dashboard")))
_COPIES = _PACKAGE / "_project"

INSTALLED = _COPIES.is_dir()  # a built package (wheel), not a checkout
PROJECT = _COPIES if INSTALLED else _PACKAGE.parent  # app.py, pages/, assets/, .streamlit/, data/
DATA_DIR = PROJECT / "data"
APP = PROJECT / "app.py"
LOCAL = Path.cwd() if INSTALLED else PROJECT  # the folder of data/store/ and .streamlit/secrets.toml
