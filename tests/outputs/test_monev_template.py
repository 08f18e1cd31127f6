"""Laporan monev, the office's own template: every hostile kind of template an
editor may upload is refused with an Indonesian message naming the problem (the part, the line,
the paragraph, the placeholder), and an uploaded template is only ever opened in the sandbox's
child process, so one that loops for ever or eats memory costs that child, not this process."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
import pytest
from builders import word_template as template
from builders import zip_with_parts as with_parts

from zi_dashboard import labels as L
from zi_dashboard.app import monev as app_monev
from zi_dashboard.app import service
from zi_dashboard.outputs import monev
from zi_dashboard.reading import limits
from zi_dashboard.reading import word_template as monev_fill

M = L.MONEV
INFO = monev.DocInfo(number="009/ZI/2025", doc_date=date(2025, 11, 20), signer_name="Budi Santoso")


@pytest.fixture
def report(temp_db):
    data = service.current_dataset()
    return app_monev.report(service.context_for(service.starting_as_of(data), data=data), INFO)


PLAIN = template("{{ judul }}", "Nomor {{ nomor }}")
TYPES = zipfile.ZipFile(io.BytesIO(PLAIN)).read("[Content_Types].xml")
SETTINGS_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'attachedTemplate" Target="http://contoh.invalid/templat.dotm" TargetMode="External"/></Relationships>'
)


def _text(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text]


HOSTILE = {
    "docm content type": (
        with_parts(
            PLAIN,
            {"[Content_Types].xml": TYPES.replace(b"document.main+xml", b"document.macroEnabled.main+xml")},
        ),
        M["tpl_macro"],
    ),
    "vba project": (with_parts(PLAIN, {"word/vbaProject.bin": b"\0" * 64}), M["tpl_macro"]),
    "dotx content type": (
        with_parts(
            PLAIN,
            {
                "[Content_Types].xml": TYPES.replace(
                    b"wordprocessingml.document.main", b"wordprocessingml.template.main"
                )
            },
        ),
        M["tpl_content_type"].format(
            type="application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
        ),
    ),
    "too big": (PLAIN + b"\0" * (monev_fill.MAX_TEMPLATE_BYTES + 1), "Templat laporan terlalu besar"),
    "zip bomb": (
        with_parts(PLAIN, {"word/media/besar.png": b"\0" * (monev_fill.MAX_UNPACKED_BYTES + 1)}),
        "Isi templat laporan terlalu besar setelah dibuka",
    ),
    "not a zip": (b"PK\x03\x04 bukan zip", "bukan arsip .docx yang utuh"),
    "malformed xml": (
        with_parts(PLAIN, {"word/document.xml": b'<?xml version="1.0"?>\n<w:document>\n<w:body><w:p></w:body>'}),
        "bagian word/document.xml bukan XML yang utuh (baris 3",
    ),
    "entity expansion": (
        with_parts(
            PLAIN,
            {
                "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>'
            },
        ),
        M["tpl_dtd"].format(part="word/document.xml"),
    ),
    "remote template": (
        with_parts(PLAIN, {"word/_rels/settings.xml.rels": SETTINGS_RELS}),
        "attachedTemplate: http://contoh.invalid/templat.dotm",
    ),
    "embedded object": (with_parts(PLAIN, {"word/embeddings/oleObject1.bin": b"\0" * 64}), M["tpl_embedded"]),
    "syntax": (
        template("{{ kop.instansi }}", "Nomor {{ nomor }", "{{ ttd.nama }}"),
        "paragraf ke-2: «Nomor {{ nomor }»",
    ),
    "unclosed block": (
        template("{{ judul }}", "{%p for r in lampiran %}", "{{ r.kode }}"),
        "blok 'for' tidak ditutup; tambahkan {% endfor %}",
    ),
    "unknown placeholder": (template("{{ judul }}", "Rahasia: {{ kata_sandi }}"), "kata_sandi (paragraf ke-2"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_template_is_refused_with_a_message_naming_the_problem(report, case):
    data, words = HOSTILE[case]
    with pytest.raises(monev.TemplateProblem) as caught:
        app_monev.render("docx", report, data)  # in the sandbox's child, as an upload is
    assert words in str(caught.value)
    assert "Traceback" not in str(caught.value)


@pytest.mark.parametrize("case", ["syntax", "unknown placeholder", "malformed xml", "remote template"])
def test_the_same_message_in_this_process(report, case):
    data, words = HOSTILE[case]
    with pytest.raises(monev.TemplateProblem, match=words.replace("(", r"\(").replace("{", r"\{")[:40]):
        monev.render_docx(report, data)


def test_a_link_in_the_text_is_no_problem():
    rels = SETTINGS_RELS.replace(b"attachedTemplate", b"hyperlink")
    monev_fill.check_template(with_parts(PLAIN, {"word/_rels/settings.xml.rels": rels}))


def test_an_uploaded_template_is_filled_in_the_child(report):
    data = app_monev.render("docx", report, PLAIN)
    assert _text(data) == [M["title"], f"Nomor {INFO.number}"]


def test_an_endless_template_is_stopped_and_the_server_goes_on(report, monkeypatch):
    usual = limits.READ_SECONDS
    monkeypatch.setattr(limits, "READ_SECONDS", 3)
    endless = template("{% for a in range(99999) %}{% for b in range(99999) %}{{ judul }}{% endfor %}{% endfor %}")
    with pytest.raises(monev.TemplateProblem) as caught:
        app_monev.render("docx", report, endless)
    assert "terlalu berat untuk diisi" in str(caught.value) and "3 detik" in str(caught.value)
    monkeypatch.setattr(limits, "READ_SECONDS", usual)  # a loaded machine may take more than 3 s to fill one
    assert _text(app_monev.render("docx", report, PLAIN))[1] == f"Nomor {INFO.number}"  # still serving


def test_a_template_eating_memory_is_stopped(report, monkeypatch):
    monkeypatch.setattr(limits, "READ_MEMORY_MB", 200)
    greedy = template("{% set x = 'x' * 900000000 %}{{ x|length }}")
    with pytest.raises(monev.TemplateProblem) as caught:
        app_monev.render("docx", report, greedy)
    assert "terlalu berat untuk diisi" in str(caught.value)


def test_a_template_reaching_for_python_gets_nothing(report):
    sneaky = template("[{{ kop.__class__.__mro__ }}]", "[{{ judul.__class__.__base__.__subclasses__() }}]")
    try:
        texts = _text(app_monev.render("docx", report, sneaky))
    except monev.TemplateProblem as exc:  # refused is as good as shown empty
        assert "tidak diizinkan" in str(exc) or "rusak" in str(exc)
        return
    assert texts == ["[]", "[]"]
