"""Laporan monev: the .docx opened with python-docx and the PDF read back with pypdf,
every figure compared with what the dashboard counts for the same unit and date; hostile
templates refused with a message or rendered as plain text."""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import replace
from datetime import date

import docx
import pytest
from builders import zip_with_parts
from PIL import Image

from zi_dashboard import labels as L
from zi_dashboard.app import monev as app_monev
from zi_dashboard.app import service
from zi_dashboard.outputs import monev, monev_html, readiness_out
from zi_dashboard.outputs.monev_template import build_default_template

M = L.MONEV
INFO = monev.DocInfo(
    number="005/PR.01/ZI/XI/2025",
    doc_date=date(2025, 11, 20),
    office="KPU KOTA TASIKMALAYA",
    address="Jl. Ir. H. Juanda No. 1, Tasikmalaya",
    place="Tasikmalaya",
    signer_name="Dra. Siti Aminah, M.Si.",
    signer_nip="197001011995032001",
    signer_position="Ketua Tim Zona Integritas",
)


@pytest.fixture
def ctx(temp_db):
    data = service.current_dataset()
    return service.context_for(service.starting_as_of(data), data=data)


@pytest.fixture
def report(ctx):
    return app_monev.report(ctx, INFO)


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def _texts(d) -> list[str]:
    return [p.text for p in d.paragraphs]


def _table_with(d, header: str):
    """The rows (lists of cell texts) of the first table whose header row has `header`."""
    for t in d.tables:
        rows = [[c.text for c in r.cells] for r in t.rows]
        if header in rows[0]:
            return rows
    raise AssertionError(f"no table headed {header!r}")


def test_docx_has_letterhead_title_number_picture_and_signature(report):
    d = _open(monev.render_docx(report))
    texts = _texts(d)
    assert texts[0] == "KPU KOTA TASIKMALAYA" and texts[1] == INFO.address  # the letterhead first
    assert M["title"] in texts
    assert f"{M['number_label']}\t: {INFO.number}" in texts
    assert f"{M['date_label']}\t: 20 November 2025" in texts
    assert any("Triwulan IV Tahun 2025 (posisi data per 15 November 2025)" in t for t in texts)
    assert "Tasikmalaya, 20 November 2025" in texts and INFO.signer_name in texts
    assert f"NIP. {INFO.signer_nip}" in texts and INFO.signer_position in texts
    assert len(d.inline_shapes) >= 1  # the timeline
    png = d.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = Image.open(io.BytesIO(d.part.related_parts[png].blob))
    assert image.width >= 1500  # sharp on paper
    assert d.inline_shapes[0].width.mm == pytest.approx(160, abs=1)  # fits an A4 page's width
    section = d.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_docx_figures_equal_the_dashboards(ctx, report):
    r = ctx.result
    d = _open(monev.render_docx(report))
    summary = {row[0]: row[1] for row in _table_with(d, M["col_figure"])[1:]}
    assert summary[M["overall"]] == L.fmt_pct(r.overall_completion)
    assert summary[M["planned"]] == L.fmt_pct(r.overall_planned)
    assert summary[M["rows"]] == str(len(r.indicators))
    for s in L.STATUS_ORDER:
        assert summary[M["status_count"].format(status=s)] == str(r.status_counts[s])
    comps = _table_with(d, L.COL["component"])
    assert [(row[0], row[2], row[3]) for row in comps[1:]] == [
        (c, L.fmt_pct(done), L.fmt_pct(plan))
        for c, done, plan in zip(r.components["code"], r.components["completion"], r.components["planned"], strict=True)
    ]
    overdue = _table_with(d, L.COL["days_overdue"])
    assert [(row[0], row[2], row[5]) for row in overdue[1:]] == [
        (x.code, str(x.days_overdue), x.pic) for x in r.overdue.itertuples()
    ]
    annex = d.tables[-1].rows
    assert [row.cells[0].text for row in annex[1:]] == list(r.indicators["code"])
    assert [row.cells[4].text for row in annex[1:]] == [L.fmt_pct(p) for p in r.indicators["progress"]]
    ready = service.readiness_of(ctx)  # no LKE answers saved: the forecast, with the gates
    texts = _texts(d)
    assert M["score_forecast"] in texts
    figures = {row[0]: row[1] for row in _table_with(d, L.READY["col_max"])[1:]}
    assert figures[L.READY["total"]] == readiness_out.n2(ready.total)
    assert figures[L.READY["pengungkit"]] == readiness_out.n2(ready.pengungkit)
    gates = _table_with(d, L.READY["col_gate"])
    assert len(gates) - 1 == sum(len(g) for g in ready.gates.values())
    pics = [readiness_out.pic_name(f) for f in service.follow_ups(ready)]
    assert pics and all(p in texts for p in pics)
    assert L.fmt_pct(r.overall_completion) not in ("", "–")


def test_file_name_carries_unit_year_and_date(report):
    name = monev.file_name(report.meeting.unit, report.meeting.as_of, "docx")
    assert name == "laporan-monev-zi-kota-tasikmalaya-tahun-2025-posisi-2025-11-15.docx"


def test_default_template_is_the_one_the_script_builds():
    shipped = monev.template_placeholders(monev.default_template())
    assert shipped == monev.template_placeholders(build_default_template())
    assert {"kop", "ttd", "linimasa", "lampiran", "kesiapan", "tindak_lanjut"} <= shipped


def test_pdf_is_a4_with_page_numbers_and_the_same_figures(ctx, report):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(monev_html.render_pdf(report)))
    n = len(reader.pages)
    assert n >= 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    first = reader.pages[0].extract_text()
    assert "KPU KOTA TASIKMALAYA" in first and INFO.address in first
    assert f"{M['page']} 1 {M['page_of']} {n}" in first
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert L.fmt_pct(ctx.result.overall_completion) in text
    assert readiness_out.n2(service.readiness_of(ctx).total) in text
    assert INFO.signer_name in text


# --- the office's own template ------------------------------------------------------------------
def _logo_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (120, 120), "#8B0000").save(buf, format="PNG")
    return buf.getvalue()


def _office_template(body: list[str], logo: bool = True) -> bytes:
    d = docx.Document()
    if logo:
        d.add_paragraph().add_run().add_picture(io.BytesIO(_logo_png()))
    for line in body:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_office_template_with_logo_keeps_the_logo_and_fills_the_placeholders(report):
    tpl = _office_template(
        [
            "{{ kop.instansi }}",
            "Nomor {{ nomor }}",
            "{%p for g in linimasa %}",
            "{{ g }}",
            "{%p endfor %}",
            "{{ ttd.nama }}",
        ]
    )
    d = _open(monev.render_docx(report, tpl))
    assert len(d.inline_shapes) == 2  # the office's logo and the timeline
    assert ["KPU KOTA TASIKMALAYA", f"Nomor {INFO.number}", INFO.signer_name] == [t for t in _texts(d) if t]


def _hostile() -> dict[str, tuple[bytes, str]]:
    plain = _office_template(["{{ judul }}"], logo=False)
    types = zipfile.ZipFile(io.BytesIO(plain)).read("[Content_Types].xml")
    macro_types = types.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
    return {
        "macro": (
            zip_with_parts(plain, {"[Content_Types].xml": macro_types, "word/vbaProject.bin": b"\0" * 64}),
            M["tpl_macro"],
        ),
        "huge": (plain + b"\0" * (monev.MAX_TEMPLATE_BYTES + 1), M["tpl_too_big"].split("(")[0]),
        "bomb": (
            zip_with_parts(plain, {"word/media/big.bin": b"\0" * (monev.MAX_UNPACKED_BYTES + 1)}),
            M["tpl_unpacked_too_big"].split("(")[0],
        ),
        "malformed": (
            zip_with_parts(plain, {"word/document.xml": b"<w:document><w:body><w:p>"}),
            "bukan XML yang utuh",
        ),
        "not a zip": (b"PK\x03\x04 this is no zip", M["tpl_not_docx"].split(":")[0]),
        "syntax": (
            _office_template(["{{ kop.instansi }", "{% for %}"], logo=False),
            "Templat laporan rusak di placeholder (paragraf ke-1",
        ),
        "unknown": (_office_template(["{{ rahasia }}"], logo=False), "rahasia"),
    }


@pytest.mark.parametrize("case", ["macro", "huge", "bomb", "malformed", "not a zip", "syntax", "unknown"])
def test_hostile_template_is_refused_with_a_message(report, case):
    data, words = _hostile()[case]
    with pytest.raises(monev.TemplateProblem) as caught:
        monev.render_docx(report, data)
    assert words in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_sandbox_keeps_a_template_from_reaching_python(report):
    tpl = _office_template(
        ["[{{ kop.__class__.__mro__ }}]", "[{{ judul.__class__.__base__.__subclasses__() }}]"], logo=False
    )
    try:
        texts = [t for t in _texts(_open(monev.render_docx(report, tpl))) if t]
    except monev.TemplateProblem as exc:  # refused is as good as shown empty
        assert M["tpl_forbidden"].split(":")[0] in str(exc) or "rusak di placeholder" in str(exc)
        return
    assert texts == ["[]", "[]"]


def test_user_text_cannot_inject_placeholders_or_word_xml(ctx, report):
    hostile = "{{ ttd.nama }} </w:t></w:r><w:r><w:t>SUNTIK & <b>\x0b"
    ind = ctx.result.indicators.copy()
    ind.loc[ind.index[0], "pic"] = hostile
    info = replace(INFO, office=hostile, number="{% for x in range(9) %}X{% endfor %}")
    result = copy.copy(ctx.result)
    result.indicators = ind  # a PIC as a progress file may give it
    m = replace(report, meeting=replace(report.meeting, result=result), info=info)
    d = _open(monev.render_docx(m))
    shown = hostile.replace("\x0b", "")
    assert _texts(d)[0] == shown  # the letterhead: the text itself, not a placeholder or XML
    assert d.tables[-1].rows[1].cells[2].text == shown
    assert f"{M['number_label']}\t: {info.number}" in _texts(d)


# --- the CLI: report --format docx|pdf, file names, a past quarter's upload ---------------------
def _cli(*args, env_url, cwd):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = dict(os.environ, ZI_DATABASE_URL=env_url, PYTHONPATH=str(ROOT))
    p = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in p.stderr + p.stdout
    return p


def _quarter_file(tmp_path, name: str, progress: dict[str, object]) -> str:
    from builders import csv_bytes, standard_rows

    path = tmp_path / name
    path.write_bytes(csv_bytes(standard_rows(progress, default=10)))
    return str(path)


@pytest.mark.slow  # CLI processes
def test_cli_report_of_a_past_quarter_uses_the_upload_in_use_then(temp_db, tmp_path):
    q3 = _quarter_file(tmp_path, "progres-september.csv", {"1.1": 40})
    q4 = _quarter_file(tmp_path, "progres-desember.csv", {"1.1": 100})
    assert (
        _cli(
            "import", q3, "--by", "Sekretaris", "--position-date", "2025-09-30", env_url=temp_db, cwd=tmp_path
        ).returncode
        == 0
    )
    assert (
        _cli(
            "import", q4, "--by", "Sekretaris", "--position-date", "2025-12-20", env_url=temp_db, cwd=tmp_path
        ).returncode
        == 0
    )
    p = _cli(
        "report",
        "--format",
        "docx",
        "--as-of",
        "2025-09-30",
        "--number",
        "007/ZI/IX/2025",
        "--signer",
        "Budi Santoso;198001012005011001",
        "--place",
        "Tasikmalaya",
        env_url=temp_db,
        cwd=tmp_path,
    )
    assert p.returncode == 0, p.stderr
    out = tmp_path / "laporan-monev-zi-kota-tasikmalaya-tahun-2025-posisi-2025-09-30.docx"
    d = _open(out.read_bytes())
    texts = _texts(d)
    assert any("Triwulan III Tahun 2025" in t for t in texts) and any("progres-september.csv" in t for t in texts)
    annex = {row.cells[0].text: row.cells[4].text for row in d.tables[-1].rows[1:]}
    assert annex["1.1"] == L.fmt_pct(40)  # September's upload, not December's 100%
    assert "NIP. 198001012005011001" in texts and "Budi Santoso" in texts
    pdf = _cli("report", "--format", "pdf", "--out", str(tmp_path / "q4.pdf"), env_url=temp_db, cwd=tmp_path)
    assert pdf.returncode == 0, pdf.stderr
    assert (tmp_path / "q4.pdf").read_bytes().startswith(b"%PDF")
    bad = tmp_path / "makro.docm"
    bad.write_bytes(_hostile()["macro"][0])
    refused = _cli(
        "report",
        "--format",
        "docx",
        "--template",
        str(bad),
        "--out",
        str(tmp_path / "x.docx"),
        env_url=temp_db,
        cwd=tmp_path,
    )
    assert refused.returncode == 1 and M["tpl_macro"] in refused.stderr and not (tmp_path / "x.docx").exists()


# --- where users find it: Ringkasan and Mode rapat ------------------------------------------------
def test_ringkasan_and_mode_rapat_offer_the_monev_downloads(temp_db):
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    buttons = {b.key: b for b in at.get("download_button")}
    assert {"monev-docx", "monev-pdf"} <= set(buttons)
    assert buttons["monev-docx"].proto.label == M["download_docx"]
    assert buttons["monev-pdf"].proto.label == M["download_pdf"]
    at.switch_page("pages/rapat.py").run()
    assert not at.exception
    assert {"monev-docx", "monev-pdf"} <= {b.key for b in at.get("download_button")}


def test_with_lke_answers_saved_the_readiness_section_is_the_score_from_answers(ctx):
    from zi_dashboard.app import lke as service_lke
    from zi_dashboard.reading.lke_answers import Answer

    wp = service.home()
    instrument = service_lke.instrument_for(wp)
    answers = {q.row: Answer(q.row, q.options[0][0]) for q in instrument.questions if q.options}
    service_lke.save_answers(answers, "Admin TI", "LKE ZI.xlsx", wp, rights=service_lke.OPERATOR)
    scored = service_lke.score_in_use(wp)[0]
    d = _open(monev.render_docx(app_monev.report(ctx, INFO)))
    texts = _texts(d)
    assert M["score_answers"].format(answered=scored.answered_count, questions=len(scored.questions)) in texts
    assert M["score_forecast"] not in texts
    figures = {row[0]: row[1] for row in _table_with(d, L.READY["col_max"])[1:]}
    assert figures[L.LKE["total"]] == readiness_out.n2(scored.total)  # a score, not "(perkiraan)"
    assert figures[L.LKE["pengungkit"]] == readiness_out.n2(scored.pengungkit)
    gates = _table_with(d, L.READY["col_gate"])
    assert len(gates) - 1 == sum(len(g) for g in scored.gates.values())


@pytest.mark.slow  # CLI processes
def test_cli_html_report_of_a_past_date_uses_the_upload_in_use_then_too(temp_db, tmp_path):
    q3 = _quarter_file(tmp_path, "progres-september.csv", {"1.1": 40})
    q4 = _quarter_file(tmp_path, "progres-desember.csv", {"1.1": 100})
    for path, day in ((q3, "2025-09-30"), (q4, "2025-12-20")):
        assert (
            _cli("import", path, "--by", "Sekretaris", "--position-date", day, env_url=temp_db, cwd=tmp_path).returncode
            == 0
        )
    p = _cli("report", "--as-of", "2025-09-30", "--out", str(tmp_path / "q3.html"), env_url=temp_db, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    page = (tmp_path / "q3.html").read_text(encoding="utf-8")
    assert "progres-september.csv" in page and "progres-desember.csv" not in page
