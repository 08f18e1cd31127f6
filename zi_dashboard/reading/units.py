"""Units (satuan kerja: KPU offices) and years, recognised in titles and file names.

Offices write their unit's name in many ways: "KPU KOTA TASIKMALAYA", "Komisi Pemilihan Umum
Kabupaten Garut", "KPU Kab. Garut", "KPU Prov. Jawa Barat", in the middle of a title that goes
on ("... KPU KOTA TASIKMALAYA TAHUN 2025"), or only in a file name ("progres_kab_garut.xlsx").
The canonical form is "KPU Kota X", "KPU Kabupaten X" or "KPU Provinsi X", the place name
title-cased (DKI, DI and the like kept in capitals).  Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata

from zi_dashboard.reading.periods import MONTH_BY_WORD

KOTA, KABUPATEN, PROVINSI = "Kota", "Kabupaten", "Provinsi"

PROVINCES = [
    "Aceh",
    "Sumatera Utara",
    "Sumatera Barat",
    "Riau",
    "Jambi",
    "Sumatera Selatan",
    "Bengkulu",
    "Lampung",
    "Kepulauan Bangka Belitung",
    "Kepulauan Riau",
    "DKI Jakarta",
    "Jawa Barat",
    "Jawa Tengah",
    "DI Yogyakarta",
    "Jawa Timur",
    "Banten",
    "Bali",
    "Nusa Tenggara Barat",
    "Nusa Tenggara Timur",
    "Kalimantan Barat",
    "Kalimantan Tengah",
    "Kalimantan Selatan",
    "Kalimantan Timur",
    "Kalimantan Utara",
    "Sulawesi Utara",
    "Sulawesi Tengah",
    "Sulawesi Selatan",
    "Sulawesi Tenggara",
    "Gorontalo",
    "Sulawesi Barat",
    "Maluku",
    "Maluku Utara",
    "Papua",
    "Papua Barat",
    "Papua Selatan",
    "Papua Tengah",
    "Papua Pegunungan",
    "Papua Barat Daya",
]
# other ways a province is written (upper case, single spaces) -> its canonical name; used only
# where the level is Provinsi or not written ("KPU Jabar"), never after Kota/Kabupaten
_PROVINCE_ALIASES = {
    "DKI": "DKI Jakarta",
    "JAKARTA": "DKI Jakarta",
    "DAERAH KHUSUS IBUKOTA JAKARTA": "DKI Jakarta",
    "DAERAH KHUSUS JAKARTA": "DKI Jakarta",
    "DK JAKARTA": "DKI Jakarta",
    "DIY": "DI Yogyakarta",
    "YOGYAKARTA": "DI Yogyakarta",
    "DAERAH ISTIMEWA YOGYAKARTA": "DI Yogyakarta",
    "DI YOGYAKARTA": "DI Yogyakarta",
    "BANGKA BELITUNG": "Kepulauan Bangka Belitung",
    "BABEL": "Kepulauan Bangka Belitung",
    "KEPRI": "Kepulauan Riau",
    "NTB": "Nusa Tenggara Barat",
    "NTT": "Nusa Tenggara Timur",
    "NAD": "Aceh",
    "NANGGROE ACEH DARUSSALAM": "Aceh",
    "JABAR": "Jawa Barat",
    "JATENG": "Jawa Tengah",
    "JATIM": "Jawa Timur",
    "SUMUT": "Sumatera Utara",
    "SUMBAR": "Sumatera Barat",
    "SUMSEL": "Sumatera Selatan",
    "KALBAR": "Kalimantan Barat",
    "KALTENG": "Kalimantan Tengah",
    "KALSEL": "Kalimantan Selatan",
    "KALTIM": "Kalimantan Timur",
    "KALTARA": "Kalimantan Utara",
    "SULUT": "Sulawesi Utara",
    "SULTENG": "Sulawesi Tengah",
    "SULSEL": "Sulawesi Selatan",
    "SULTRA": "Sulawesi Tenggara",
    "SULBAR": "Sulawesi Barat",
    "MALUT": "Maluku Utara",
    "SUMATRA UTARA": "Sumatera Utara",
    "SUMATRA BARAT": "Sumatera Barat",
    "SUMATRA SELATAN": "Sumatera Selatan",
}
_PROVINCE_BY_KEY = {p.upper(): p for p in PROVINCES} | _PROVINCE_ALIASES
_UPPER_WORDS = {"DKI", "DI", "DIY", "DK", "RI", "NTB", "NTT"}  # kept in capitals in a place name
_LOWER_WORDS = {"DAN"}  # "Pangkajene dan Kepulauan"

# words that end a place name in a title that goes on ("... KOTA TASIKMALAYA TAHUN 2025")
_STOP = {
    "TAHUN",
    "TA",
    "ANGGARAN",
    "MENUJU",
    "PERIODE",
    "POSISI",
    "PER",
    "BULAN",
    "SEMESTER",
    "TRIWULAN",
    "TW",
    "TANGGAL",
    "TGL",
    "KEADAAN",
    "KONDISI",
    "SAMPAI",
    "HINGGA",
    "SD",
    "RENCANA",
    "LAPORAN",
    "PROGRES",
    "PROGRESS",
    "REKAPITULASI",
    "REKAP",
    "ZONA",
    "ZI",
    "WBK",
    "WBBM",
    "PEMBANGUNAN",
    "INTEGRITAS",
    "SEKRETARIAT",
    "SEKRETARIS",
    "KETUA",
    "TIM",
    "NOMOR",
    "NO",
    "TENTANG",
    "UNTUK",
    "PADA",
    "DI",
    "DALAM",
    "KE",
    "DARI",
    "YANG",
    "DATA",
    "LEMBAR",
    "KERJA",
    "TARGET",
    "CAPAIAN",
    "JL",
    "JALAN",
    "ALAMAT",
    "TELP",
    "TELEPON",
    "EMAIL",
    "SATUAN",
    "TERHADAP",
    "BAGIAN",
    "SUBBAGIAN",
    "SUB",
    "DIVISI",
    "UMUM",
    "FINAL",
    "REVISI",
    "DRAFT",
    "KEGIATAN",
    "PROGRAM",
    "MONITORING",
    "EVALUASI",
    "MONEV",
    "RI",
    "REPUBLIK",
    "INDONESIA",
    "EDIT",
    "BARU",
    "COPY",
    "SALINAN",
    *(w.upper() for w in MONTH_BY_WORD),
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "OCTOBER",
    "DECEMBER",
}
_LEVEL_WORDS = {"KOTA", "KABUPATEN", "KAB", "PROVINSI", "PROPINSI", "PROV", "KPU", "KPUD", "KOMISI"}
_MAX_PLACE_WORDS = 4  # "Kepulauan Siau Tagulandang Biaro"

_LETTER = r"[^\W\d_]"
_BODY = re.compile(r"\b(?:KPUD?|KOMISI\s+PEMILIHAN\s+UMUM(?:\s+DAERAH)?)\b(?:\s*\(\s*KPUD?\s*\))?", re.I)
_LEVEL = re.compile(
    r"\s*(?:(?P<kota>KOTA)\b(?:\s+(?:ADMINISTRASI\b|ADM\b\.?))?"
    r"|(?P<kab>KABUPATEN\b|KAB\b\.?)(?:\s+(?:ADMINISTRASI\b|ADM\b\.?))?"
    r"|(?P<prov>PROVINSI\b|PROPINSI\b|PROV\b\.?))",
    re.I,
)
_WORD = re.compile(rf"[ \t]*({_LETTER}(?:{_LETTER}|['’-](?={_LETTER}))*)")


def _normalise(text: str) -> str:
    """NFKC, every run of blanks but line ends one space, 'D.K.I.' -> 'DKI', 'D.I.' -> 'DI'."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = re.sub(r"[^\S\n]+", " ", text.replace("_", " "))
    text = re.sub(r"\bD\s*\.\s*K\s*\.\s*I\b\.?", "DKI", text, flags=re.I)
    text = re.sub(r"\bD\s*\.\s*I\s*\.?\s*(?=Y)", "DI ", text, flags=re.I)
    return re.sub(r"\bD\s*\.\s*I\s*\.\s*Y\b\.?", "DIY", text, flags=re.I)


def _title_word(word: str) -> str:
    up = word.upper()
    if up in _UPPER_WORDS:
        return up
    if up in _LOWER_WORDS:
        return word.lower()
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def _place_text(words: list[str]) -> str:
    return " ".join(_title_word(w) for w in words)


def _province(words: list[str]) -> tuple[str, int] | None:
    """The province the longest run of leading `words` names, and how many words it took."""
    for n in range(len(words), 0, -1):
        key = " ".join(w.upper().replace("’", "'") for w in words[:n])
        if key in _PROVINCE_BY_KEY:
            return _PROVINCE_BY_KEY[key], n
    return None


def _place_words(text: str, pos: int) -> list[str]:
    """The place name's words from `pos`: letters only, on one line, until a stop word, another
    level word, a digit or punctuation; at most _MAX_PLACE_WORDS."""
    words: list[str] = []
    while len(words) < _MAX_PLACE_WORDS:
        m = _WORD.match(text, pos)
        if not m:
            break
        word = m.group(1)
        up = word.upper()
        if up in _LEVEL_WORDS and not (up == "KOTA" and [w.upper() for w in words] == ["LIMA", "PULUH"]):
            break  # "Kabupaten Lima Puluh Kota" is the one place with a level word in its name
        di_yogyakarta = (
            up == "DI"
            and not words
            and (after := _WORD.match(text, m.end())) is not None
            and after.group(1).upper() == "YOGYAKARTA"
        )
        if len(up) < 2 or (up in _STOP and not di_yogyakarta):
            break
        words.append(word)
        pos = m.end()
    while words and words[-1].upper() in _LOWER_WORDS:
        words.pop()  # "KPU Kota Tasikmalaya dan KPU Kabupaten Garut"
    return words


def _unit_at(text: str, end: int) -> str | None:
    """The unit named right after a 'KPU' that ends at `end`, or None."""
    level_match = _LEVEL.match(text, end)
    level = None
    pos = end
    if level_match:
        level = KOTA if level_match["kota"] else KABUPATEN if level_match["kab"] else PROVINSI
        pos = level_match.end()
    words = _place_words(text, pos)
    if not words:
        return None
    if level in (None, PROVINSI):
        found = _province(words)
        if found:
            return f"KPU {PROVINSI} {found[0]}"
        return f"KPU {PROVINSI} {_place_text(words)}" if level else None  # "KPU Garut": Kota or Kabupaten?
    for i in range(1, len(words)):  # "KPU KOTA TASIKMALAYA JAWA BARAT": the province is no part of it
        found = _province(words[i:])
        if found and found[1] == len(words) - i:
            words = words[:i]
            break
    return f"KPU {level} {_place_text(words)}"


def canonical_unit(text: str) -> str | None:
    """The unit named in `text` in its canonical form ("KPU Kota Tasikmalaya", "KPU Kabupaten
    Garut", "KPU Provinsi Jawa Barat"), or None.

    Recognised: "KPU", "KPUD" or "Komisi Pemilihan Umum" (any case), then "Kota", "Kabupaten",
    "Kab.", "Kab", "Provinsi", "Prov." or "Propinsi", then the place name, which ends at the line's
    end, punctuation, a digit, or a word such as TAHUN, TA, MENUJU, POSISI or a month.  Without a
    level word only a province is recognised ("KPU Jawa Barat", "KPU DIY"): "KPU Garut" could be
    a Kota or a Kabupaten and gives None, as does "KPU" alone.  The first unit in the text wins."""
    text = _normalise(text)
    for m in _BODY.finditer(text):
        unit = _unit_at(text, m.end())
        if unit:
            return unit
    return None


# --- years ---------------------------------------------------------------------------------------
_MONTH_ALT = "|".join(
    sorted(
        {
            *MONTH_BY_WORD,
            "january",
            "february",
            "march",
            "may",
            "june",
            "july",
            "august",
            "october",
            "december",
            "dec",
            "oct",
            "aug",
        },
        key=len,
        reverse=True,
    )
)
_DATES = [
    re.compile(r"\b\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\b"),  # 15/10/2025
    re.compile(r"\b\d{4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,2}\b"),  # 2025-10-15
    re.compile(rf"\b(?:\d{{1,2}}\s+)?(?:{_MONTH_ALT})\b\.?,?\s*\d{{4}}\b", re.I),  # 15 Oktober 2025
]
_MARKED_YEAR = re.compile(r"\b(?:TAHUN(?:\s+ANGGARAN)?|T\s*\.?\s*A\b\.?)\s*[:.]?\s*(20\d\d)(?!\d)", re.I)
_BARE_YEAR = re.compile(r"(?<![0-9A-Za-z/.,])(20\d\d)(?![0-9A-Za-z/]|[.,]\d)")


def year_from_text(text: str) -> int | None:
    """The year a title names: first one written with its word ("TAHUN 2025", "Tahun Anggaran
    2026", "TA 2026", "T.A. 2026"), else the first bare 20xx ("RENCANA KERJA ZI 2025").

    Years inside dates are never taken: "15/10/2025", "2025-10-15", "15 Oktober 2025" and
    "Oktober 2025" (a month and its year: a position or a period, not the plan's year) are
    blanked first, so a text whose only years are in dates gives None."""
    text = _normalise(text)
    for pattern in _DATES:
        text = pattern.sub(" ", text)
    m = _MARKED_YEAR.search(text) or _BARE_YEAR.search(text)
    return int(m.group(1)) if m else None


def unit_year_from_lines(lines: list[str]) -> tuple[str | None, int | None]:
    """(unit, year) from a file's title lines (the rows above its table).  The unit: the first
    line that names one, else two lines read together ("KOMISI PEMILIHAN UMUM" over "KOTA
    TASIKMALAYA").  The year: year_from_text over all lines (a year written with TAHUN/TA on any
    line beats a bare one; years in dates never count)."""
    lines = [str(x) for x in lines if x is not None and str(x).strip()]
    unit = next((u for u in map(canonical_unit, lines) if u), None)
    if unit is None:
        unit = next((u for a, b in zip(lines, lines[1:], strict=False) if (u := canonical_unit(f"{a} {b}"))), None)
    return unit, year_from_text("\n".join(lines))


# --- slugs and matching ---------------------------------------------------------------------------
def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def unit_slug(name: str) -> str:
    """For URLs: "KPU Kota Tasikmalaya" -> "kota-tasikmalaya" (the leading KPU dropped), ASCII,
    lower case, words joined by hyphens.  A name that is only "KPU" gives "kpu"."""
    text = str(name or "").strip()
    rest = _BODY.sub("", text, count=1).strip() if _BODY.match(text) else text
    slug = re.sub(r"[^a-z0-9]+", "-", _ascii(rest or text).lower()).strip("-")
    return slug


_FILE_SUFFIX = re.compile(r"\.(?:xlsx|xlsm|xls|csv|txt|ods|zip)$", re.I)
_TOKEN_LEVEL = {
    "kota": KOTA,
    "kabupaten": KABUPATEN,
    "kab": KABUPATEN,
    "provinsi": PROVINSI,
    "propinsi": PROVINSI,
    "prov": PROVINSI,
}


def _tokens(text: str) -> list[str]:
    """Lower-case ASCII words of a title or a file name ('KotaTasikmalaya' split, '_' '-' '/'
    and the file's suffix dropped)."""
    text = _FILE_SUFFIX.sub("", str(text or "").strip())
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", _normalise(text))
    return re.findall(r"[a-z0-9]+", _ascii(text).lower())


def _unit_parts(unit: str) -> tuple[str | None, list[str]]:
    """('Kota', ['tasikmalaya']) for "KPU Kota Tasikmalaya"."""
    words = _tokens(_BODY.sub("", unit, count=1) if _BODY.match(unit.strip()) else unit)
    level = _TOKEN_LEVEL.get(words[0]) if words else None
    return level, words[1:] if level else words


def _score(tokens: list[str], level: str | None, place: list[str]) -> tuple[int, int] | None:
    """How well `tokens` name a unit: (2, n) with its level word right before its place words,
    (1, n) with no level word there, None when absent or a different level stands there."""
    n = len(place)
    best = None
    for i in range(len(tokens) - n + 1):
        if not n or tokens[i : i + n] != place:
            continue
        before = _TOKEN_LEVEL.get(tokens[i - 1]) if i else None
        if before is not None and before != level:
            continue  # "kab bandung" is not Kota Bandung
        score = (2 if before is not None else 1, n)
        best = score if best is None or score > best else best
    return best


def match_unit(text: str, known: list[str]) -> str | None:
    """The one unit of `known` that a title or a file name names, or None.

    A title that names a unit in full ("... KPU KABUPATEN GARUT TAHUN 2026") matches that unit or
    nothing.  Otherwise the words are compared ("progres_kab_garut_2026.xlsx", "Kota Tasikmalaya -
    Progres.xlsx", "kota-tasikmalaya.csv", "Tasikmalaya/Progres.xlsx"): a unit's place name must
    appear whole; a level word right before it must be the unit's own (Kota and Kabupaten are told
    apart) and makes the match stronger; a longer place name beats a shorter one.  Two units
    matching equally well ("bandung" with both Kota and Kabupaten Bandung known) give None."""
    full = canonical_unit(text)
    if full is not None:
        slug = unit_slug(full)
        return next((k for k in known if unit_slug(canonical_unit(k) or k) == slug), None)
    tokens = _tokens(text)
    scored: dict[str, tuple[int, int]] = {}
    for unit in known:
        level, place = _unit_parts(canonical_unit(unit) or unit)
        score = _score(tokens, level, place)
        if score is not None:
            scored[unit] = score
    if not scored:
        return None
    best = max(scored.values())
    winners = [u for u, s in scored.items() if s == best]
    return winners[0] if len(winners) == 1 else None
