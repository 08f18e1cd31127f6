"""Unggah, Laporan monev (issue 24 item 2): an editor uploads the unit's own Word template; it is
checked by filling it in a child process before anything is stored (a broken one is named and
nothing changes); it is kept with who, when, size and sha256, in use from then on for the report
on Ringkasan, Mode rapat and the CLI; an older one or the default can be put back in use; a report
is written on the template in use at the letter's date; the letter's details are remembered per
unit.  A stored template that cannot be filled any more gives the default report and says why."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta

import docx
import pytest
from builders import word_template as template
from conftest import EDITOR, login
from streamlit.testing.v1 import AppTest
from test_pages import ROOT, all_text, app

from zi_dashboard import labels as L
from zi_dashboard.app import monev, service
from zi_dashboard.outputs import monev as out
from zi_dashboard.storage import report_templates as rt

U = L.MONEV_UP
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def texts(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text]


OFFICE = template("KOP {{ kop.instansi }}", "Nomor {{ nomor }}", "{{ ttd.tempat }}, {{ ttd.nama }}")
BROKEN = template("KOP {{ kop.instansi }}", "Nomor {{ nomor }")


@pytest.fixture
def ctx(temp_db):
    data = service.current_dataset()
    return service.context_for(service.starting_as_of(data), data=data)


def test_a_checked_template_is_stored_with_its_history_and_used(ctx):
    wp = ctx.workplan
    assert monev.template_in_use(wp) is None  # nothing uploaded: the default template
    check = monev.check_template_upload(OFFICE, "kop-kantor.docx", ctx)
    assert check.valid and texts(check.preview)[0] == "KOP KPU KOTA TASIKMALAYA"
    first = monev.save_template(check, EDITOR, wp)
    assert (first.filename, first.by, first.size, first.sha256) == (
        "kop-kantor.docx",
        EDITOR,
        len(OFFICE),
        hashlib.sha256(OFFICE).hexdigest(),
    )
    assert monev.template_content(first.id) == OFFICE
    content, problem = monev.unit_docx(monev.report(ctx), wp)
    assert not problem and texts(content)[0] == "KOP KPU KOTA TASIKMALAYA"
    second_bytes = template("KOP BARU {{ kop.instansi }}")
    second = monev.save_template(monev.check_template_upload(second_bytes, "kop-baru.docx", ctx), EDITOR, wp)
    assert monev.template_in_use(wp).id == second.id
    assert [t.id for t in monev.templates(wp)] == [second.id, first.id]  # history, newest first
    monev.use_template(first.id, EDITOR, wp)  # the older one restored
    assert monev.template_in_use(wp).id == first.id
    monev.use_template(None, EDITOR, wp)  # back to the default
    assert monev.template_in_use(wp) is None
    assert texts(monev.unit_docx(monev.report(ctx), wp)[0])[0] == "KPU KOTA TASIKMALAYA"  # the default's letterhead
    assert [u.template_id for u in monev.template_uses(wp)] == [None, first.id, second.id, first.id]
    again = monev.save_template(monev.check_template_upload(OFFICE, "lagi.docx", ctx), EDITOR, wp)
    assert again.id == first.id and len(monev.templates(wp)) == 2  # the same file is not stored twice


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (BROKEN, "rusak.docx", "paragraf ke-2: «Nomor {{ nomor }»"),
        (template("{{ kata_sandi }}"), "asing.docx", "kata_sandi"),
        (OFFICE, "makro.docm", L.MONEV["tpl_macro"]),
        (b"bukan word", "palsu.docx", "bukan arsip .docx yang utuh"),
    ],
)
def test_a_template_that_cannot_be_used_is_named_and_nothing_is_stored(ctx, content, name, words):
    check = monev.check_template_upload(content, name, ctx)
    assert not check.valid and words in check.problem
    with pytest.raises(ValueError):
        monev.save_template(check, EDITOR, ctx.workplan)
    assert monev.templates(ctx.workplan) == [] and monev.template_in_use(ctx.workplan) is None


def test_another_units_editor_may_not_store_or_choose(ctx):
    check = monev.check_template_upload(OFFICE, "kop.docx", ctx)
    with pytest.raises(service.NotAllowed):
        monev.save_template(check, "Orang Lain", ctx.workplan)
    with pytest.raises(service.NotAllowed):
        monev.use_template(None, "Orang Lain", ctx.workplan)
    assert monev.templates(ctx.workplan) == []


def test_a_stored_template_that_cannot_be_filled_gives_the_default_and_says_why(ctx):
    wp = ctx.workplan
    engine = service.get_store().engine
    stored = rt.add_template(engine, wp.unit, "lama.docx", "x" * 64, BROKEN, EDITOR)  # stored before a check
    content, problem = monev.unit_docx(monev.report(ctx), wp)
    assert texts(content)[0] == "KPU KOTA TASIKMALAYA"  # the default template's report
    assert f"#{stored.id} (lama.docx)" in problem and "paragraf ke-2" in problem
    assert monev.known_problem(wp) == problem


def test_the_report_uses_the_template_in_use_at_the_letters_date(ctx):
    wp = ctx.workplan
    first = monev.save_template(monev.check_template_upload(OFFICE, "kop-2025.docx", ctx), EDITOR, wp)
    assert monev.template_in_use(wp, date.today() - timedelta(days=1)) is None  # none yet yesterday
    assert monev.template_in_use(wp, date.today()).id == first.id
    m = monev.report(ctx, out.DocInfo(doc_date=date.today() - timedelta(days=1)))
    assert texts(monev.unit_docx(m, wp)[0])[0] == "KPU KOTA TASIKMALAYA"  # a letter dated yesterday: the default
    m = monev.report(ctx, out.DocInfo(doc_date=date.today()))
    assert texts(monev.unit_docx(m, wp)[0])[0] == "KOP KPU KOTA TASIKMALAYA"


def test_the_letters_details_are_remembered_per_unit(ctx):
    wp = ctx.workplan
    info = out.DocInfo(number="  010/ZI/2025 ", place="Tasikmalaya", signer_name="Siti", signer_nip="1970")
    monev.save_info(info, EDITOR, wp)
    saved = monev.saved_info(wp)
    assert (saved.number, saved.place, saved.signer_name, saved.signer_nip) == (
        "010/ZI/2025",
        "Tasikmalaya",
        "Siti",
        "1970",
    )
    m = monev.report(ctx)  # the page's report: the saved details
    assert m.info.number == "010/ZI/2025" and m.info.signer_name == "Siti"
    assert monev.with_saved(out.DocInfo(number="011"), wp).number == "011"  # a CLI flag wins
    assert monev.with_saved(out.DocInfo(number="011"), wp).place == "Tasikmalaya"
    with pytest.raises(service.NotAllowed):
        monev.save_info(info, "Orang Lain", wp)


# --- the page ---------------------------------------------------------------------------------------
def shown(at) -> str:
    """What the page says, markdown's escapes dropped."""
    return all_text(at).replace("\\", "")


def uploader(at):
    return next(u for u in at.file_uploader if u.label == U["uploader"])


def test_a_viewer_sees_the_template_in_use_and_the_downloads_but_no_uploader(temp_db):
    at = app("pages/unggah.py")
    assert U["title"] in [s.value for s in at.subheader]
    assert U["in_use_default"] in all_text(at)
    assert {"monev-upload-docx", "monev-default-template"} <= {b.key for b in at.get("download_button")}
    assert U["uploader"] not in [u.label for u in at.file_uploader]


def test_an_editor_uploads_a_broken_template_then_a_good_one_and_saves_details(temp_db):
    at = login(app("pages/unggah.py"))
    uploader(at).set_value(("rusak.docx", BROKEN, DOCX)).run()
    assert not at.exception
    assert "paragraf ke-2: «Nomor {{ nomor }»" in shown(at) and U["nothing_saved"] in shown(at)
    assert not [b for b in at.button if b.label == U["save"]]
    uploader(at).set_value(("kop-kantor.docx", OFFICE, DOCX)).run()
    assert not at.exception and not at.error
    assert "monev-preview-0" in {b.key for b in at.get("download_button")}
    next(b for b in at.button if b.label == U["save"]).click().run()
    assert not at.exception
    assert "#1 kop-kantor.docx" in shown(at) and U["in_use_default"] not in shown(at)
    wp = service.home()
    assert [t.filename for t in monev.templates(wp)] == ["kop-kantor.docx"]
    at.text_input(key=f"monev_number_{wp.id}_1").set_value("012/ZI/XII/2025")
    at.text_input(key=f"monev_signer_name_{wp.id}_1").set_value("Dra. Siti Aminah").run()
    next(b for b in at.button if b.label == U["details_save"]).click().run()
    assert not at.exception
    assert monev.saved_info(wp).number == "012/ZI/XII/2025"
    assert at.text_input(key=f"monev_number_{wp.id}_2").value == "012/ZI/XII/2025"  # shown again
    at.selectbox(key=f"monev_template_choose_{wp.id}").select_index(0).run()
    next(b for b in at.button if b.label == U["use"]).click().run()
    assert not at.exception and U["in_use_default"] in all_text(at)


# --- the CLI: report --format docx uses the unit's template in use by default ---------------------
def _cli(*args, url: str, cwd):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = dict(os.environ, ZI_DATABASE_URL=url, PYTHONPATH=str(ROOT))
    p = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in p.stderr + p.stdout
    return p


@pytest.mark.slow  # CLI processes
def test_cli_report_uses_the_units_template_and_details_by_default(ctx, temp_db, tmp_path):
    wp = ctx.workplan
    monev.save_template(monev.check_template_upload(OFFICE, "kop-kantor.docx", ctx), EDITOR, wp)
    monev.save_info(out.DocInfo(number="013/ZI/2025", place="Tasikmalaya", signer_name="Siti"), EDITOR, wp)
    p = _cli("report", "--format", "docx", "--out", str(tmp_path / "a.docx"), url=temp_db, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert texts((tmp_path / "a.docx").read_bytes()) == [
        "KOP KPU KOTA TASIKMALAYA",
        "Nomor 013/ZI/2025",
        "Tasikmalaya, Siti",
    ]
    p = _cli(
        "report", "--format", "docx", "--number", "014", "--out", str(tmp_path / "b.docx"), url=temp_db, cwd=tmp_path
    )
    assert texts((tmp_path / "b.docx").read_bytes())[1] == "Nomor 014"  # a flag wins over the saved detail
    given = tmp_path / "lain.docx"
    given.write_bytes(template("LAIN {{ nomor }}"))
    p = _cli("report", "--template", str(given), "--out", str(tmp_path / "c.docx"), url=temp_db, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert texts((tmp_path / "c.docx").read_bytes()) == ["LAIN 013/ZI/2025"]  # --template wins over the stored one
    rt.add_template(service.get_store().engine, wp.unit, "lama.docx", "y" * 64, BROKEN, EDITOR)  # stored before a check
    p = _cli("report", "--format", "docx", "--out", str(tmp_path / "d.docx"), url=temp_db, cwd=tmp_path)
    assert p.returncode == 0 and "lama.docx" in p.stderr and "paragraf ke-2" in p.stderr
    assert texts((tmp_path / "d.docx").read_bytes())[0] == "KPU KOTA TASIKMALAYA"  # the default template


def test_every_placeholder_is_described_on_the_page():
    from zi_dashboard.reading.word_template import PLACEHOLDERS

    assert set(L.MONEV_PLACEHOLDERS) == set(PLACEHOLDERS)


def meeting_app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["mode"] = "rapat"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_ringkasan_and_mode_rapat_say_why_the_units_template_is_not_used_and_what_to_do(ctx):
    wp = ctx.workplan
    engine = service.get_store().engine
    stored = rt.add_template(engine, wp.unit, "lama.docx", "x" * 64, BROKEN, EDITOR)  # stored before a check
    ringkasan, meeting = app(), meeting_app()  # no download clicked yet: it is said before the click
    (brief,) = [e for e in meeting.expander if e.label == L.MONEV["tpl_fallback_brief"]]  # one line on a projector
    for said in (
        [w.value for w in ringkasan.warning],
        [m.value for m in brief.markdown],
    ):
        (warning,) = [t for t in (x.replace("\\", "") for x in said) if "lama.docx" in t]
        assert f"#{stored.id} (lama.docx)" in warning and "paragraf ke-2" in warning  # what is wrong
        assert "templat bawaan" in warning and "halaman Unggah" in warning and "Riwayat templat" in warning
    assert not ringkasan.exception and not meeting.exception and "Traceback" not in all_text(ringkasan)
    good = monev.save_template(monev.check_template_upload(OFFICE, "kop.docx", ctx), EDITOR, wp)
    for at in (app(), meeting_app()):  # a template that fills: nothing to say
        assert not [w for w in at.warning if "templat" in w.value.lower()]
        assert L.MONEV["tpl_fallback_brief"] not in [e.label for e in at.expander]
    assert monev.template_problem(ctx) == "" and monev.known_problem(wp) == ""
    assert monev.template_in_use(wp).id == good.id


def test_a_full_queue_of_readers_is_not_taken_for_a_broken_template(ctx, monkeypatch):
    from zi_dashboard.reading import sandbox

    wp = ctx.workplan
    monev.save_template(monev.check_template_upload(OFFICE, "kop.docx", ctx), EDITOR, wp)

    def busy(*args, **kwargs):
        raise sandbox.Busy("sibuk")

    with monkeypatch.context() as patched:
        patched.setattr(sandbox, "run", busy)
        assert monev.template_problem(ctx) == "" and monev.known_problem(wp) is None  # nothing known: tried later
    assert monev.template_problem(ctx) == "" and monev.known_problem(wp) == ""  # filled: known good


MISSPELT = template("KOP {{ kop.instansi }}", "Ditandatangani {{ ttd.nama_lengkap }}")  # ttd.nama, mistyped


def test_a_field_the_report_does_not_have_is_refused_with_its_paragraph_not_left_blank(ctx):
    check = monev.check_template_upload(MISSPELT, "kop-salah-ketik.docx", ctx)
    assert not check.valid and check.preview is None
    assert (
        "«nama_lengkap»" in check.problem and "paragraf ke-2: «Ditandatangani {{ ttd.nama_lengkap }}»" in check.problem
    )
    assert "Traceback" not in check.problem and "attribute" not in check.problem  # said in Indonesian
    # a loop over rows: a mistyped column is named too; the default template still fills
    bad_loop = template("{%p for r in komponen %}", "{{ r.kode }} {{ r.namaa }}", "{%p endfor %}")
    assert "«namaa»" in monev.check_template_upload(bad_loop, "tabel.docx", ctx).problem
    assert texts(monev.unit_docx(monev.report(ctx), ctx.workplan)[0])[0] == "KPU KOTA TASIKMALAYA"


def test_an_older_template_that_cannot_be_filled_is_not_put_back_in_use_and_nothing_changes(temp_db):
    wp = service.home()
    old = rt.add_template(service.get_store().engine, wp.unit, "lama.docx", "y" * 64, MISSPELT, EDITOR)  # older rules
    monev.use_template(None, EDITOR, wp)  # the default in use since
    uses = len(monev.template_uses(wp))
    at = login(app("pages/unggah.py"))
    at.selectbox(key=f"monev_template_choose_{wp.id}").select(old.id).run()
    next(b for b in at.button if b.label == U["use"]).click().run()
    assert not at.exception
    (error,) = [e.value.replace("\\", "") for e in at.error]
    assert f"Templat #{old.id} tidak dipasang" in error and "«nama_lengkap»" in error
    assert monev.template_in_use(wp) is None and len(monev.template_uses(wp)) == uses  # nothing changed
    assert U["in_use_default"] in all_text(at)


def test_the_template_in_use_is_asked_of_the_store_once_per_moment_and_a_choice_here_shows_at_once(ctx, monkeypatch):
    wp = ctx.workplan
    asked = []
    real = rt.in_use_at
    monkeypatch.setattr(rt, "in_use_at", lambda *a: asked.append(a) or real(*a))
    for _ in range(5):  # five runs of Ringkasan in a row
        assert monev.template_problem(ctx) == ""
    assert len(asked) <= 1
    good = monev.save_template(monev.check_template_upload(OFFICE, "kop.docx", ctx), EDITOR, wp)
    assert monev.template_in_use(wp).id == good.id  # this process's own choice: at once
    monev.use_template(None, EDITOR, wp)
    assert monev.template_in_use(wp) is None
