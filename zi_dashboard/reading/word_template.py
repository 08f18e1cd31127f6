"""The Laporan monev's Word template, an untrusted file: checked, then filled.

A template an office uploads is untrusted: it may be huge, a zip bomb, macro-enabled, malformed
XML, carry a DTD or a link to a remote template, break Jinja's syntax, name placeholders the report
does not fill, try to reach Python from a tag or loop for ever.  So:

- `check_template` refuses what cannot be a safe .docx before anything parses it with lxml
  (sizes, content type, macros, embedded objects, external links, every XML part well-formed and
  without a DTD), each with an Indonesian message naming the part, line or placeholder;
- `template_placeholders` reads its tags (a syntax error is named with the paragraph it is in,
  an unknown placeholder with its name and paragraph);
- `fill` renders it in Jinja's sandbox with autoescape (a text from the data is shown as text);
- `fill_untrusted` is what the sandbox's child process runs (reading/sandbox.py, task
  "monev_docx"): an uploaded template is only ever opened there, under a time and memory limit.

This module imports no pandas: a child imports it in a few tens of milliseconds.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.parsers import expat

from zi_dashboard import labels as L

M = L.MONEV
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024  # a template with the office's logo: a few hundred kB
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # a zip bomb is refused before anything is parsed
MAX_PARTS = 1000  # a Word document has a few dozen parts
PICTURE_WIDTH_MM = 160  # the timeline pictures: the width of an A4 page's text
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PLACEHOLDERS = (
    "kop",
    "judul",
    "nomor",
    "tanggal",
    "periode",
    "unit",
    "posisi",
    "sumber",
    "ringkasan",
    "komponen",
    "linimasa",
    "keterangan_linimasa",
    "terlambat",
    "terlambat_kosong",
    "perubahan",
    "kesiapan",
    "tpi",
    "bukti",
    "tindak_lanjut",
    "tindak_lanjut_kosong",
    "lampiran",
    "ttd",
    "judul_bagian",
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")


class TemplateProblem(ValueError):
    """A template that cannot be used; str() is the Indonesian message."""


def _short(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "message", None) or exc or type(exc).__name__).split())[:300]


def _mb(n: int) -> str:
    return L.fmt_number(n / 2**20)


# --- the package: sizes, type, macros, links, XML -------------------------------------------------
class _Part:
    """What one XML part says that the check needs: its content types and relationships."""

    def __init__(self) -> None:
        self.overrides: dict[str, str] = {}
        self.defaults: dict[str, str] = {}
        self.external: list[tuple[str, str]] = []  # (type, target) of TargetMode="External" links


def _scan_xml(name: str, data: bytes) -> _Part:
    """Check one XML part with expat (well-formed, no DTD) and note its types and links."""
    found = _Part()
    parser = expat.ParserCreate()

    def doctype(*_args) -> None:
        raise TemplateProblem(M["tpl_dtd"].format(part=name))

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit(":", 1)[-1]
        if local == "Override":
            found.overrides[attrs.get("PartName", "").lstrip("/")] = attrs.get("ContentType", "")
        elif local == "Default":
            found.defaults[attrs.get("Extension", "").lower()] = attrs.get("ContentType", "")
        elif local == "Relationship" and attrs.get("TargetMode") == "External":
            found.external.append((attrs.get("Type", ""), attrs.get("Target", "")))

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise TemplateProblem(
            M["tpl_bad_xml"].format(part=name, line=exc.lineno, reason=expat.ErrorString(exc.code))
        ) from None
    return found


def _names_allowed(names: set[str]) -> None:
    """Macros, embedded objects (OLE, ActiveX) and a package without a document are refused."""
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise TemplateProblem(M["tpl_macro"])
    if any("/activex/" in n.lower() or "/embeddings/" in n.lower() for n in names):
        raise TemplateProblem(M["tpl_embedded"])
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise TemplateProblem(M["tpl_not_docx"].format(reason=M["tpl_no_document"]))


def _package(data: bytes) -> dict[str, _Part]:
    """Every XML part of the zip, checked (sizes first, then names, then each part's XML)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > MAX_PARTS:
                raise TemplateProblem(M["tpl_parts"].format(n=len(infos), limit=MAX_PARTS))
            unpacked = sum(i.file_size for i in infos)
            if unpacked > MAX_UNPACKED_BYTES:
                raise TemplateProblem(
                    M["tpl_unpacked_too_big"].format(size=_mb(unpacked), limit=MAX_UNPACKED_BYTES // 2**20)
                )
            _names_allowed({i.filename for i in infos})
            return {
                i.filename: _scan_xml(i.filename, z.read(i))
                for i in infos
                if i.filename.lower().endswith((".xml", ".rels"))
            }
    except TemplateProblem:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
        raise TemplateProblem(M["tpl_not_docx"].format(reason=M["tpl_not_zip"].format(reason=_short(exc)))) from None


def check_template(data: bytes) -> None:
    """Refuse what cannot be a safe Word template: too big, not a .docx, macro-enabled, with
    embedded objects or links to files outside it, a zip that unpacks to far more than it weighs,
    an XML part that is not well-formed or has a DTD.  TemplateProblem with the Indonesian message."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateProblem(M["tpl_too_big"].format(size=_mb(len(data)), limit=MAX_TEMPLATE_BYTES // 2**20))
    parts = _package(data)
    types = parts["[Content_Types].xml"]
    main = types.overrides.get("word/document.xml") or types.defaults.get("xml", "")
    if "macroenabled" in main.lower():
        raise TemplateProblem(M["tpl_macro"])
    if main != DOCX_TYPE:
        raise TemplateProblem(M["tpl_content_type"].format(type=main or "-"))
    for part in parts.values():
        for kind, target in part.external:
            if not kind.endswith("/hyperlink"):  # a link in the text is fine; a remote template or picture is not
                raise TemplateProblem(M["tpl_external"].format(target=target[:200], kind=kind.rsplit("/", 1)[-1]))


# --- the tags: syntax and placeholders, named with the paragraph they are in ---------------------
def paragraph_texts(data: bytes) -> list[str]:
    """The text of every paragraph of the body, headers and footers, in that order: what the
    office sees in Word, so a message can say "paragraf ke-N"."""
    texts: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(
            (n for n in z.namelist() if _TEXT_PARTS.fullmatch(n)), key=lambda n: (n != "word/document.xml", n)
        )
        for name in names:
            texts += _paragraphs(z.read(name))
    return texts


def _paragraphs(xml: bytes) -> list[str]:
    out: list[str] = []
    depth, in_text = 0, False
    current: list[str] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(tag: str, _attrs) -> None:
        nonlocal depth, in_text
        if tag == f"{_W} p":
            depth += 1
            if depth == 1:
                current.clear()
        elif tag == f"{_W} t":
            in_text = True

    def end(tag: str) -> None:
        nonlocal depth, in_text
        if tag == f"{_W} p":
            depth -= 1
            if depth == 0:
                out.append("".join(current))
        elif tag == f"{_W} t":
            in_text = False

    def chars(text: str) -> None:
        if in_text:
            current.append(text)

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
    parser.Parse(xml, True)
    return out


_DOCXTPL_TAG = re.compile(r"(\{[%{])\s*(?:p|tr|tc|r)\s")  # docxtpl's {%p ...%}, {%tr ...%}, {{r ...}}


def _as_jinja(texts: list[str]) -> str:
    """The paragraphs as one Jinja source, one line each: a syntax error's line is the paragraph."""
    return "\n".join(_DOCXTPL_TAG.sub(lambda m: m.group(1) + " ", t) for t in texts)


_JINJA_REASONS = (  # Jinja's English reasons an office is most likely to meet, in Indonesian
    (re.compile(r"end of template.*?innermost block that needs to be closed is '(\w+)'", re.S | re.I), "tpl_unclosed"),
    (re.compile(r"unexpected '(\}+|%)'"), "tpl_unexpected"),
    (re.compile(r"encountered unknown tag '(\w+)'", re.I), "tpl_unknown_tag"),
    (re.compile(r"unexpected end of template", re.I), "tpl_unclosed_any"),
    (re.compile(r"expected token '([^']+)', got '([^']*)'"), "tpl_expected"),
)


def _reason(message: str) -> str:
    for pattern, key in _JINJA_REASONS:
        found = pattern.search(message)
        if found:
            return M[key].format(*found.groups(), jinja=message[:200])
    return M["tpl_jinja"].format(jinja=message[:200])


def _where(texts: list[str], line: int | None) -> str:
    if not line or line > len(texts):
        return ""
    return M["tpl_where"].format(n=line, text=texts[line - 1].strip()[:120])


def _env():
    """Jinja's sandbox, autoescaped; a name or field the report does not have is an error (never a
    silent blank where the office expected its signer's name)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


_MISSING = re.compile(r"has no attribute '([^']+)'|'([^']+)' is undefined")


def _missing_field(data: bytes, message: str) -> TemplateProblem:
    """A field the report does not have ({{ ttd.nama_lengkap }}), named with its paragraph."""
    found = _MISSING.search(message)
    name = next((g for g in found.groups() if g), "") if found else ""
    if not name:
        return TemplateProblem(M["tpl_failed"].format(reason=message[:300]))
    texts = paragraph_texts(data)
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    first = next((i for i, t in enumerate(texts, 1) if pattern.search(t)), None)
    return TemplateProblem(M["tpl_no_field"].format(name=name, where=_where(texts, first)))


def _syntax_problem(texts: list[str], exc: Exception) -> TemplateProblem:
    """A syntax error named with its paragraph: found again on the paragraphs' text (docxtpl's
    own source is Word XML on a line or two, so its line number says nothing to an office)."""
    from jinja2 import TemplateSyntaxError

    try:
        _env().parse(_as_jinja(texts))
    except TemplateSyntaxError as found:
        where, reason = _where(texts, found.lineno), _reason(found.message or "")
        return TemplateProblem(M["tpl_syntax"].format(where=where, reason=reason))
    return TemplateProblem(M["tpl_syntax"].format(where="", reason=_reason(_short(exc))))


def _open(data: bytes):
    from docxtpl import DocxTemplate

    try:
        return DocxTemplate(io.BytesIO(data))
    except Exception as exc:  # a part python-docx cannot use: its many errors
        raise TemplateProblem(M["tpl_not_docx"].format(reason=_short(exc))) from None


def template_placeholders(data: bytes) -> set[str]:
    """The placeholders a template uses; TemplateProblem when it is not a safe .docx, its tags are
    broken (the paragraph named) or it uses a placeholder the report does not fill (the name and
    its paragraph)."""
    from jinja2 import TemplateError

    check_template(data)
    tpl = _open(data)
    texts = paragraph_texts(data)
    try:
        names = set(tpl.get_undeclared_template_variables(jinja_env=_env()))
    except TemplateError as exc:
        raise _syntax_problem(texts, exc) from None
    except Exception as exc:
        raise TemplateProblem(M["tpl_not_docx"].format(reason=_short(exc))) from None
    unknown = sorted(names - set(PLACEHOLDERS))
    if unknown:
        first = next((i for i, t in enumerate(texts, 1) if re.search(rf"\b{re.escape(unknown[0])}\b", t)), None)
        raise TemplateProblem(
            M["tpl_unknown"].format(names=", ".join(unknown), where=_where(texts, first), known=", ".join(PLACEHOLDERS))
        )
    return names


# --- filling ----------------------------------------------------------------------------------------
def fill(data: bytes, context: dict, pictures: list[bytes]) -> bytes:
    """The template `data` filled with `context` (outputs/monev.context without pictures) and the
    timeline `pictures` (PNG) as `linimasa`.  TemplateProblem: it cannot be used (why)."""
    from docx.shared import Mm
    from docxtpl import InlineImage
    from jinja2 import TemplateError, UndefinedError
    from jinja2.sandbox import SecurityError

    template_placeholders(data)
    tpl = _open(data)
    filled = dict(context, linimasa=[InlineImage(tpl, io.BytesIO(p), width=Mm(PICTURE_WIDTH_MM)) for p in pictures])
    try:
        tpl.render(filled, jinja_env=_env(), autoescape=True)
        buf = io.BytesIO()
        tpl.save(buf)
    except SecurityError as exc:
        raise TemplateProblem(M["tpl_forbidden"].format(reason=_short(exc))) from None
    except UndefinedError as exc:
        raise _missing_field(data, _short(exc)) from None
    except TemplateError as exc:
        raise TemplateProblem(M["tpl_failed"].format(reason=_short(exc))) from None
    except MemoryError:
        raise
    except Exception as exc:  # the XML the template's tags leave behind is not valid Word XML
        raise TemplateProblem(M["tpl_failed"].format(reason=_short(exc))) from None
    return buf.getvalue()


def fill_untrusted(data: bytes, context: dict, pictures: list[bytes]) -> tuple[str, bytes | str]:
    """What the sandbox's child runs: ("ok", the .docx) or ("problem", the message)."""
    try:
        return "ok", fill(data, context, pictures)
    except TemplateProblem as exc:
        return "problem", str(exc)
