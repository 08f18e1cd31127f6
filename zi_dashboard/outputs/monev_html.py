"""Laporan monev as HTML (A4 portrait, letterhead on the first page) and as a PDF made from it by
WeasyPrint (page numbers, no network).  The texts and tables are outputs/monev.context's; the
timeline pictures outputs/monev_timeline.py's."""

from __future__ import annotations

import base64
import html

from zi_dashboard import labels as L
from zi_dashboard.outputs.monev import M, Monev, context
from zi_dashboard.outputs.monev_tables import TABLES
from zi_dashboard.outputs.monev_timeline import timeline_pngs


def _e(text) -> str:
    return html.escape(str(text))


def _html_table(rows: list[dict], name: str) -> str:
    """The report's table `name` (monev_tables.TABLES) with these rows."""
    spec = TABLES[name]
    head = "".join(f"<th>{_e(title)}</th>" for _, title in spec.columns)
    body = "".join("<tr>" + "".join(f"<td>{_e(r.get(k, ''))}</td>" for k, _ in spec.columns) + "</tr>" for r in rows)
    return f"<table class='{'small' if spec.small else ''}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 20mm;
        @bottom-right { content: "@PAGE@ " counter(page) " @OF@ " counter(pages);
                       font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 8.5pt;
                       color: #374151; } }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #111827; }
.kop { text-align: center; border-bottom: 3px double #111827; padding-bottom: 4mm; margin-bottom: 5mm; }
.kop .instansi { font-size: 15pt; font-weight: bold; } .kop .alamat { font-size: 9pt; }
h1 { font-size: 13pt; text-align: center; margin: 0 0 2mm 0; }
.meta { text-align: center; margin-bottom: 5mm; }
h2 { font-size: 11.5pt; margin: 6mm 0 2mm 0; color: #0b3b66; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; }
th, td { border: 0.6pt solid #6b7280; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #1F3864; color: #fff; } thead { display: table-header-group; } tr { break-inside: avoid; }
table.small { font-size: 8pt; }
img.linimasa { width: 100%; } .caption, .muted { font-size: 8.5pt; color: #374151; }
.ttd { margin-top: 12mm; margin-left: 55%; break-inside: avoid; } .ttd .space { height: 22mm; }
.lampiran { break-before: page; }
"""


def build_html(m: Monev) -> str:
    """The report as one HTML document (A4 portrait, letterhead on the first page): the PDF's source."""
    pictures = ["data:image/png;base64," + base64.b64encode(p).decode("ascii") for p in timeline_pngs(m.meeting)]
    c = context(m, pictures)
    h = c["judul_bagian"]
    parts = [
        f"<div class='kop'><div class='instansi'>{_e(c['kop']['instansi'])}</div>"
        f"<div class='alamat'>{_e(c['kop']['alamat'])}</div></div>",
        f"<h1>{_e(c['judul'])}</h1><div class='meta'>{_e(c['unit'])}<br>{_e(c['periode'])}<br>"
        f"{_e(M['number_label'])}: {_e(c['nomor'])} · {_e(M['date_label'])}: {_e(c['tanggal'])}</div>",
        f"<p class='muted'>{_e(c['sumber'])}</p>",
        f"<h2>{_e(h['summary'])}</h2>",
        _html_table(c["ringkasan"], "ringkasan"),
        f"<h2>{_e(h['components'])}</h2>",
        _html_table(c["komponen"], "komponen"),
        f"<h2>{_e(h['timeline'])}</h2>",
        "".join(f"<img class='linimasa' src='{p}' alt='{_e(h['timeline'])}'>" for p in pictures),
        f"<p class='caption'>{_e(c['keterangan_linimasa'])}</p>",
        f"<h2>{_e(h['overdue'])}</h2>",
        (f"<p>{_e(c['terlambat_kosong'])}</p>" if c["terlambat_kosong"] else _html_table(c["terlambat"], "terlambat")),
        f"<h2>{_e(h['changes'])}</h2><p class='muted'>{_e(c['perubahan']['catatan'])}</p>",
        _html_table(c["perubahan"]["baris"], "perubahan") if c["perubahan"]["ada"] else "",
    ]
    k = c["kesiapan"]
    if k["ada"]:
        parts += [
            f"<h2>{_e(h['readiness'])}</h2><p class='muted'>{_e(k['sumber'])}</p>",
            _html_table(k["angka"], "kesiapan_angka"),
            "".join(f"<p><b>{_e(p)}</b></p>" for p in k["predikat"]),
            _html_table(k["syarat"], "kesiapan_syarat"),
        ]
    parts += _tpi_html(c["tpi"], h["tpi"])
    if c["bukti"]:
        parts += [
            f"<h2>{_e(h['evidence'])}</h2>",
            _html_table(c["bukti"], "bukti"),
        ]
    parts.append(f"<h2>{_e(h['follow'])}</h2>")
    if c["tindak_lanjut_kosong"]:
        parts.append(f"<p>{_e(c['tindak_lanjut_kosong'])}</p>")
    for f in c["tindak_lanjut"]:
        parts += [
            f"<p><b>{_e(f['pic'])}</b></p>",
            _html_table(f["baris"], "tindak_lanjut"),
        ]
    t = c["ttd"]
    parts.append(
        f"<div class='ttd'>{_e(M['signature_place_date'].format(place=t['tempat'], date=t['tanggal']))}<br>"
        f"{_e(t['jabatan'])}<div class='space'></div><b>{_e(t['nama'])}</b><br>{_e(t['nip'])}</div>"
    )
    parts += [
        f"<div class='lampiran'><h2>{_e(h['annex'])}</h2>",
        _html_table(c["lampiran"], "lampiran"),
        "</div>",
    ]
    css = _CSS.replace("@PAGE@", M["page"]).replace("@OF@", M["page_of"])
    return (
        f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{_e(c['judul'])}</title>"
        f"<style>{css}</style></head><body>{''.join(parts)}</body></html>"
    )


def _tpi_html(t: dict, heading: str) -> list[str]:
    """Mandiri vs TPI (the placeholder `tpi`): nothing when the TPI has no answers saved."""
    if not t["ada"]:
        return []
    K = L.LKE_COMPARE
    out = [
        f"<h2>{_e(heading)}</h2><p><b>{_e(t['ringkasan'])}</b></p><p class='muted'>{_e(t['telaah'])}</p>",
        _html_table(t["angka"], "tpi_angka"),
        _html_table(t["syarat"], "tpi_syarat"),
    ]
    if t["beda"]:
        out += [
            f"<p><b>{_e(K['differing_title'])}</b></p>",
            _html_table(t["beda"], "tpi_beda"),
        ]
    if t["dikembalikan"]:
        out += [
            f"<p><b>{_e(K['returned_title'])}</b></p>",
            _html_table(t["dikembalikan"], "tpi_dikembalikan"),
        ]
    return out


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except Exception:  # the package, or the system's pango it loads, is missing
        return False
    return True


def render_pdf(m: Monev) -> bytes:
    """The report as PDF (A4, page numbers) from build_html, by WeasyPrint; no network is used."""
    import weasyprint

    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})  # only the pictures the page carries
    return weasyprint.HTML(string=build_html(m), url_fetcher=fetcher).write_pdf()
