"""Every word the user reads, in Bahasa Indonesia, kept in one package.

Code and identifiers are English; the strings here are what pages, exports, the CLI and
validation messages show.  Nothing else in the package holds user-facing prose.  Code reads
them through this package only: ``from zi_dashboard import labels as L`` then ``L.UI["save"]``,
``L.msg("no_rows")``.

Each table is defined ONCE, whole, in one module (never patched later with ``.update()``):

- ``common``    app and unit names, statuses and colours, months, table columns, formatting
- ``messages``  ``MSG`` (what is wrong with a file or an input), ``msg()``, ``Message``, ``where()``
- ``cli``       the command line: summaries, help texts, argparse's own words
- ``pages``     the pages, sidebar, Unggah, Riwayat, Mode rapat, login, Streamlit's English
- ``province``  Semua Satker, the portfolio and the year comparison
- ``readiness`` Kesiapan WBK/WBBM: the self-assessment and the forecast
- ``lke``       the LKE question by question: answers, workbook, Jawaban LKE, Unggah LKE
- ``reports``   files written: meeting report, Excel pack, chart PNGs, template, Laporan monev
- ``storage``   what the store and the editors' set-up write

How a feature adds its own labels:

1. Make a new module ``zi_dashboard/labels/<feature>.py`` holding the feature's own tables,
   whole (a short docstring saying what they are for; import what you need from
   ``zi_dashboard.labels.common``, never from this ``__init__``).  Prefer a new table
   (``TPI = {...}``) to adding keys to another module's table; if a key really belongs in an
   existing table, add it in that table's literal, never with ``.update()``.
2. Add ONE line at the end of the imports below naming what it exports:
   ``from zi_dashboard.labels.<feature> import TABLE_A, TABLE_B``.
3. ``tests/test_labels.py`` then checks that every key is used and every key asked for exists.

Long lines are allowed in this package (pyproject.toml: every sentence stands on one line,
whole, easy to find and to translate).  Re-exports below are the package's public face.
"""

from __future__ import annotations

from zi_dashboard.labels.cli import ARGPARSE, CLI, CLI_HELP, CLI_PORTFOLIO_HEAD, SESSIONS
from zi_dashboard.labels.common import (
    APP_TITLE,
    BEHIND,
    COL,
    DONE,
    ERROR,
    EXCEL_FALSE,
    EXCEL_TRUE,
    MONTHS,
    MONTHS_EN,
    MONTHS_SHORT,
    NOT_STARTED,
    ON_TRACK,
    OVERDUE,
    SINCE_PREVIOUS,
    STATUS_COLORS,
    STATUS_ORDER,
    UNIT_NAME,
    WARNING,
    WEEKDAYS_SHORT,
    fmt_date,
    fmt_number,
    fmt_pct,
    fmt_signed_count,
    fmt_signed_pct,
)
from zi_dashboard.labels.lke import (
    LKE,
    LKE_CLI,
    LKE_COMPARE,
    LKE_EXPORT,
    LKE_KINDS,
    LKE_MEETING,
    LKE_PAGE,
    LKE_REVIEW,
    LKE_UPLOAD,
)
from zi_dashboard.labels.messages import MSG, Message, msg, where
from zi_dashboard.labels.monev_upload import MONEV_PLACEHOLDERS, MONEV_UP
from zi_dashboard.labels.pages import (
    AUTH,
    BROWSER_PREFIXES,
    BROWSER_TEXT,
    BULK,
    DIFF,
    HISTORY,
    MEETING,
    MEETING_FIT,
    MEETING_VIEWS,
    OLDER,
    PAGES,
    PLAN_UI,
    TITLE_UNIT,
    UI,
    UNITS,
    YEARS_MATCHED,
)
from zi_dashboard.labels.province import FIGURES, NO_PLAN, PROVINCE, STANDING_MARKS
from zi_dashboard.labels.readiness import (
    ASSESS,
    LKE_AREA_NAMES,
    READY,
    READY_CLI,
    READY_REPORT,
    READY_UI,
    lke_area_name,
)
from zi_dashboard.labels.reports import (
    CHART_FILES,
    FILES,
    MONEV,
    MONEV_CLI,
    REPORT,
    TEMPLATE,
    TEMPLATE_INSTRUCTIONS,
    TEMPLATE_STATUSES,
)
from zi_dashboard.labels.storage import STORAGE
from zi_dashboard.labels.tpi_review import LKE_REVIEW_CLI, LKE_REVIEW_PAGE
