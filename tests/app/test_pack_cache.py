"""The meeting pack is kept under exactly what it is made of: the same data, date and
self-assessment give the very bytes kept; saving another self-assessment makes a new pack
showing it (the key and the content come from the same inputs, gathered once)."""

from __future__ import annotations

from datetime import date

from conftest import EDITOR

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.outputs.readiness_out import n2

AS_OF = date(2025, 11, 15)


def test_the_pack_is_kept_for_its_inputs_and_made_again_when_one_changes(temp_db):
    ctx = service.context_for(AS_OF)
    first = service.pack("html", ctx)
    assert service.pack("html", service.context_for(AS_OF)) is first  # kept: the same inputs
    before = service.readiness_of(ctx).total
    check = service.check_assessment_values({"R1": "3", "IPAK": "3,6", "IPKP": "3,5", "KINERJA": "4"})
    service.save_assessment(check, EDITOR, L.ASSESS["source_editor"])
    again = service.context_for(AS_OF)
    after = service.readiness_of(again).total
    assert after > before
    page = service.pack("html", again).decode()
    assert page != first.decode() and n2(after) in page
