"""What the pages and the CLI ask: no Streamlit.

The data in use (the upload named by the newest event, or the bundled example data), its
figures at an as-of date, the tables and charts built from them, the history of uploads, the
meeting pack, and checking, saving and restoring uploads and plans.  Every number comes from
counting.metrics; the pages' glue (app/ui) only draws what this package returns, and the CLI
calls the same functions, so the two cannot disagree.

Pages and the CLI use the names below (`from zi_dashboard.app import service`, then
`service.current_dataset()`); other app modules may import a module's public names directly.
One module per job, lower ones first (each imports only those above it):

    store_access  the store opened once per URL, and what it says kept STORE_MAX_AGE seconds
    editors       logins, sessions, who may change a work plan (an editor, or the OPERATOR)
    workplans     units and years: the work plans, the unit list, unit and year as written
    data          the data in use of a work plan (Dataset), its figures at a date (Context)
    views         charts and tables the pages show of it
    uploads       checking and saving a progress file
    plans         the fill-in template, reading and adding a plan file
    history       the uploads kept: each counted at its date, compared, restored, corrected
    readiness     Kesiapan: the LKE estimate, the self-assessment, follow-ups
    contacts      the PIC contact sheet kept per work plan
    meeting       the meeting report and Excel pack

Caching: the keyed objects have a stable identity (a Plan is its file's SHA-256, a Dataset
its store and event, a Snapshot its row), so caches take them directly.  Every cache is
bounded (caching.cached); what the store says is asked at most twice a second per process.
"""

from __future__ import annotations

from zi_dashboard.app.service.contacts import ContactSheet, contact_sheet, contacts_from, save_contact_sheet
from zi_dashboard.app.service.data import (
    Context,
    Dataset,
    context_for,
    current_dataset,
    plan_in_use,
    result_for,
    starting_as_of,
)
from zi_dashboard.app.service.editors import (
    OPERATOR,
    Login,
    NotAllowed,
    editor_key,
    end_session,
    ensure_allowed,
    login,
    may_add_plan,
    may_add_plans,
    may_edit,
    resumed,
    start_session,
)
from zi_dashboard.app.service.history import (
    Comparison,
    compare_snapshots,
    correct_position,
    headline_deltas,
    original_file,
    previous_snapshot,
    restore,
    s_curve_figure,
    since_previous,
    since_previous_note,
    snapshot_in_use,
    snapshot_label,
    snapshot_result,
    snapshot_table,
    snapshots,
)
from zi_dashboard.app.service.meeting import MEETING_SLIDES, lke_in_use, meeting, pack
from zi_dashboard.app.service.plans import add_plan, plan_unit_year, read_plan_file, template_bytes, template_name
from zi_dashboard.app.service.readiness import (
    AssessmentCheck,
    AssessmentInUse,
    assessment_in_use,
    assessment_template,
    assessments,
    check_assessment_sheet,
    check_assessment_values,
    follow_ups,
    lke,
    readiness_of,
    save_assessment,
)
from zi_dashboard.app.service.store_access import (
    STORE_MAX_AGE,
    ensure_editor,
    forget,
    get_store,
    lke_pulse,
    pulse,
)
from zi_dashboard.app.service.uploads import (
    UploadCheck,
    check_upload,
    file_dataset,
    kept_note,
    newer_in_use,
    prepare_reader,
    save_upload,
    upload_changes,
)
from zi_dashboard.app.service.views import (
    chart_config,
    figure,
    filter_lines,
    filtered_tables,
    indicator_table_of,
    status_table,
)
from zi_dashboard.app.service.workplans import (
    MAX_YEAR,
    MIN_YEAR,
    address_int,
    has_data,
    home,
    known_unit,
    shown_workplan,
    unit_key,
    unit_line,
    units,
    workplan_of,
    workplans,
    year_of,
    years,
    years_of,
)
from zi_dashboard.outputs.display import local_time
from zi_dashboard.reading.assessment import Assessment
from zi_dashboard.reading.plan import PlanError
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.storage.records import Workplan

__all__ = [
    "MAX_YEAR",
    "MEETING_SLIDES",
    "MIN_YEAR",
    "OPERATOR",
    "STORE_MAX_AGE",
    "Assessment",
    "AssessmentCheck",
    "AssessmentInUse",
    "Comparison",
    "ContactSheet",
    "Context",
    "Dataset",
    "Login",
    "NotAllowed",
    "PlanError",
    "UnreadableFile",
    "UploadCheck",
    "Workplan",
    "add_plan",
    "address_int",
    "assessment_in_use",
    "assessment_template",
    "assessments",
    "chart_config",
    "check_assessment_sheet",
    "check_assessment_values",
    "check_upload",
    "compare_snapshots",
    "contact_sheet",
    "contacts_from",
    "context_for",
    "correct_position",
    "current_dataset",
    "editor_key",
    "end_session",
    "ensure_allowed",
    "ensure_editor",
    "figure",
    "file_dataset",
    "filter_lines",
    "filtered_tables",
    "follow_ups",
    "forget",
    "get_store",
    "has_data",
    "headline_deltas",
    "home",
    "indicator_table_of",
    "kept_note",
    "known_unit",
    "lke",
    "lke_in_use",
    "lke_pulse",
    "local_time",
    "login",
    "may_add_plan",
    "may_add_plans",
    "may_edit",
    "meeting",
    "newer_in_use",
    "original_file",
    "pack",
    "plan_in_use",
    "plan_unit_year",
    "prepare_reader",
    "previous_snapshot",
    "pulse",
    "read_plan_file",
    "readiness_of",
    "restore",
    "result_for",
    "resumed",
    "s_curve_figure",
    "save_assessment",
    "save_contact_sheet",
    "save_upload",
    "shown_workplan",
    "since_previous",
    "since_previous_note",
    "snapshot_in_use",
    "snapshot_label",
    "snapshot_result",
    "snapshot_table",
    "snapshots",
    "start_session",
    "starting_as_of",
    "status_table",
    "template_bytes",
    "template_name",
    "unit_key",
    "unit_line",
    "units",
    "upload_changes",
    "workplan_of",
    "workplans",
    "year_of",
    "years",
    "years_of",
]
