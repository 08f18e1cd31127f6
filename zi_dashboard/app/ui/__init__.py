"""The Streamlit glue: what pages draw, one module per concern.  The only part of the package
that imports Streamlit; everything it shows comes ready from app/service/.

    sidebar   the shared sidebar, login, the Context pages draw from
    page_head the pages' layout and Indonesian words, the header line
    widgets   headline cards, tables (cards on a phone), status lists, downloads
    chart_widgets  the charts, the timeline as a list
    table_input    table editors and row picks, checked before use
    upload    Unggah: the file check, its problems, saving; replacing the plan
    history   Riwayat: S-curve, uploads, restore, comparing two uploads
    meeting   the meeting pack and Mode rapat
    lke       Jawaban LKE: the LKE question by question, answers, score, what-if, history
    readiness Kesiapan: the LKE estimate, gates, evidence, follow-up, what-if, self-assessment
    portfolio Semua Satker: every unit of a year (matrix, ranking, filters, downloads)
    router    the navigation and the sidebar before each page (app.py), a page run on its own
"""

from zi_dashboard.app.ui.chart_widgets import chart
from zi_dashboard.app.ui.common import bounded_address, flash, md_escape, uploader_key
from zi_dashboard.app.ui.history import compare_snapshots, s_curve, snapshot_actions, year_comparison
from zi_dashboard.app.ui.lke import page as lke_page
from zi_dashboard.app.ui.meeting import (
    meeting_controls,
    meeting_downloads,
    meeting_frame,
    meeting_slide,
    meeting_slide_index,
)
from zi_dashboard.app.ui.page_head import page_header
from zi_dashboard.app.ui.portfolio import page as province_page
from zi_dashboard.app.ui.portfolio import province_context
from zi_dashboard.app.ui.portfolio import shown as province_shown
from zi_dashboard.app.ui.readiness import page as readiness_page
from zi_dashboard.app.ui.router import context, province_choice, route
from zi_dashboard.app.ui.sidebar import (
    chosen_workplan,
    editor,
    editor_of,
    hand_to_page,
    meeting_context,
    shared_sidebar,
)
from zi_dashboard.app.ui.upload import (
    bundle_outcome,
    bundle_upload,
    changes_against_current,
    checked_upload,
    named_elsewhere,
    older_notice,
    plan_replacement,
    problems_panel,
    save_form,
)
from zi_dashboard.app.ui.upload_gate import install as gate_uploads
from zi_dashboard.app.ui.widgets import (
    component_drilldown,
    download_buttons,
    headline,
    indicator_dataframe,
    status_list,
)

__all__ = [
    "bounded_address",
    "bundle_outcome",
    "bundle_upload",
    "gate_uploads",
    "changes_against_current",
    "chart",
    "checked_upload",
    "compare_snapshots",
    "component_drilldown",
    "context",
    "download_buttons",
    "editor",
    "editor_of",
    "chosen_workplan",
    "flash",
    "hand_to_page",
    "headline",
    "indicator_dataframe",
    "lke_page",
    "md_escape",
    "meeting_context",
    "meeting_controls",
    "meeting_downloads",
    "meeting_frame",
    "meeting_slide",
    "meeting_slide_index",
    "page_header",
    "plan_replacement",
    "problems_panel",
    "readiness_page",
    "s_curve",
    "named_elsewhere",
    "older_notice",
    "save_form",
    "shared_sidebar",
    "snapshot_actions",
    "status_list",
    "uploader_key",
    "province_context",
    "province_page",
    "province_choice",
    "route",
    "province_shown",
    "year_comparison",
]
