"""A zip archive of many files (one progress file per unit, say) -> its members, as bytes.

People make these with Windows' "Send to > Compressed folder", macOS' "Compress" (which adds
__MACOSX/ and ._ files) or 7-Zip: folders inside, names in the old DOS code page, junk files.
`split_bundle` runs in the reader's child process (sandbox.read_bundle): it expands only what
the limits allow, never opens an archive inside the archive, and never uses a member's name as
a path.  A whole archive that cannot be used raises UnreadableFile; a member that cannot comes
back with its `problem` (a labels.Message) and no data, so the other members still count.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from zi_dashboard import labels as L
from zi_dashboard.reading import limits
from zi_dashboard.reading.sheets import UnreadableFile

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; an empty archive's end record
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")
ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".zipx")
RATIO_FROM_BYTES = 1024 * 1024  # the compression ratio is judged on members larger than this
_MAX_NAME = 255
_JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass(frozen=True)
class Member:
    """One file of the archive: its path inside it ('/'-separated; reduced to its base name
    when it climbs out with '..', is absolute or holds control characters) and its bytes, or
    the reason it was not taken out (`problem`, with empty `data`)."""

    name: str
    data: bytes = b""
    problem: str | None = None

    @property
    def basename(self) -> str:
        return self.name.rpartition("/")[2]

    @property
    def ok(self) -> bool:
        return self.problem is None


def _is_workbook_package(names: list[str]) -> bool:
    """An .xlsx (or any Office Open XML file) has [Content_Types].xml; an .ods a mimetype."""
    lowered = {n.lower() for n in names}
    return "[content_types].xml" in lowered or "mimetype" in lowered or "xl/workbook.xml" in lowered


def is_bundle(data: bytes, filename: str) -> bool:
    """True for a zip archive of files, False for anything else, an .xlsx above all (an .xlsx is
    a zip too, with [Content_Types].xml).  A file named as a workbook (.xlsx, .csv ...) is never a
    bundle (its reader says what is wrong with it); a file named .zip is one unless its content
    is a workbook, even when damaged (split_bundle then says so)."""
    suffix = PurePosixPath((filename or "").replace("\\", "/")).suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return False
    if not data.startswith(ZIP_MAGIC):
        return suffix == ".zip" and bool(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return suffix == ".zip"
    return not _is_workbook_package(names)


def _decoded_name(info: zipfile.ZipInfo) -> str:
    """The name as its maker meant it: without the UTF-8 flag zipfile decodes the DOS code page
    (cp437, what Windows' compressed folders write); names that are UTF-8 all the same (older
    macOS and 7-Zip) are decoded as UTF-8."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("utf-8")
    return name


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


def _safe_name(raw: str) -> str:
    """'/'-separated path inside the archive; reduced to its base name when it holds '..', starts
    at a root or a drive, or holds control characters (which are dropped)."""
    name = raw.replace("\\", "/")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    unsafe = name.startswith("/") or re.match(r"^[A-Za-z]:", name) is not None or ".." in parts or _has_control(name)
    if unsafe:
        parts = parts[-1:]
    cleaned = "/".join("".join(ch for ch in p if unicodedata.category(ch) not in ("Cc", "Cf")).strip() for p in parts)
    cleaned = cleaned.strip("/")
    if cleaned in ("", "..") or set(cleaned) <= {".", "/"}:
        return ""
    return cleaned[-_MAX_NAME:]


def _is_dir(info: zipfile.ZipInfo) -> bool:
    return info.is_dir() or info.filename.endswith("\\")


def _is_junk(name: str) -> bool:
    """macOS' __MACOSX/ and ._ files, dot-files and dot-folders, Office's ~$ lock files,
    Windows' Thumbs.db and desktop.ini."""
    parts = name.split("/")
    base = parts[-1]
    if base.startswith((".", "~$")) or base.lower() in _JUNK_NAMES:
        return True
    return any(p == "__MACOSX" or (p.startswith(".") and p not in (".", "..")) for p in parts[:-1])


def _archive_kind(name: str) -> str | None:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if suffix in ARCHIVE_SUFFIXES else None


def _mb(size: float) -> str:
    return L.fmt_number(size / 1024 / 1024)


def split_bundle(data: bytes, filename: str) -> list[Member]:
    """The files of the zip archive `data` (named `filename`), in the archive's order.

    Skipped without a word: folders, __MACOSX/, dot-files, ~$ lock files, Thumbs.db,
    desktop.ini.  Refused as a whole (UnreadableFile, an Indonesian message): no zip, a
    password (any member encrypted), no file at all, more than limits.MAX_BUNDLE_FILES files,
    more than limits.MAX_EXPANDED_MB expanded together.  Refused one by one (Member.problem):
    an archive inside (.zip, .rar, .7z ... or zip content; an .xlsx inside is fine), a member
    over limits.MAX_FILE_MB expanded or, above 1 MB, compressed more than limits.MAX_RATIO
    times, a damaged member, an unknown compression method.  Nothing is expanded before the
    sizes the archive declares have passed, and no member is read past them."""
    if not data:
        raise UnreadableFile(L.msg("empty_file"))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise UnreadableFile(L.msg("bundle_not_zip", name=filename)) from exc
    files: list[tuple[zipfile.ZipInfo, str]] = []
    for info in infos:
        if _is_dir(info):
            continue
        decoded = _decoded_name(info)
        if _is_junk(decoded.replace("\\", "/")):
            continue
        files.append((info, _safe_name(decoded)))
    if not files:
        raise UnreadableFile(L.msg("bundle_empty", name=filename))
    if any(info.flag_bits & 0x1 for info, _ in files):
        raise UnreadableFile(L.msg("bundle_encrypted", name=filename))
    if len(files) > limits.MAX_BUNDLE_FILES:
        raise UnreadableFile(
            L.msg(
                "bundle_too_many",
                name=filename,
                count=L.fmt_number(len(files), 0),
                limit=L.fmt_number(limits.MAX_BUNDLE_FILES, 0),
            )
        )
    max_member = int(limits.MAX_FILE_MB * 1024 * 1024)
    max_total = limits.MAX_EXPANDED_MB * 1024 * 1024
    to_expand = sum(info.file_size for info, name in files if info.file_size <= max_member and not _archive_kind(name))
    if to_expand > max_total:
        raise UnreadableFile(
            L.msg(
                "bundle_expanded",
                name=filename,
                size=L.fmt_number(to_expand / 1024 / 1024, 0),
                limit=L.fmt_number(limits.MAX_EXPANDED_MB, 0),
            )
        )
    members: list[Member] = []
    expanded = 0
    for number, (info, name) in enumerate(files, start=1):
        name = name or str(L.msg("bundle_unnamed", number=number))
        member = _member(zf, info, name, max_member)
        expanded += len(member.data)
        if expanded > max_total:  # never more than declared, but not trusted either
            raise UnreadableFile(
                L.msg(
                    "bundle_expanded", name=filename, size=_mb(expanded), limit=L.fmt_number(limits.MAX_EXPANDED_MB, 0)
                )
            )
        members.append(member)
    return members


def _member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, max_member: int) -> Member:
    kind = _archive_kind(name)
    if kind:
        return Member(name, problem=L.msg("bundle_nested", member=name, kind=kind))
    if info.file_size > max_member:
        return Member(
            name,
            problem=L.msg(
                "bundle_member_too_big",
                member=name,
                size=_mb(info.file_size),
                limit=L.fmt_number(limits.MAX_FILE_MB, 0),
            ),
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FROM_BYTES and ratio > limits.MAX_RATIO:
        return Member(
            name,
            problem=L.msg(
                "bundle_member_ratio",
                member=name,
                ratio=L.fmt_number(ratio, 0),
                limit=L.fmt_number(limits.MAX_RATIO, 0),
            ),
        )
    try:
        with zf.open(info) as f:
            body = f.read(max_member + 1)
    except NotImplementedError:
        return Member(name, problem=L.msg("bundle_member_method", member=name))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError):
        return Member(name, problem=L.msg("bundle_member_damaged", member=name))
    if len(body) > max_member:
        return Member(
            name,
            problem=L.msg(
                "bundle_member_too_big", member=name, size=_mb(len(body)), limit=L.fmt_number(limits.MAX_FILE_MB, 0)
            ),
        )
    if is_bundle(body, name):
        return Member(name, problem=L.msg("bundle_nested", member=name, kind="zip"))
    return Member(name, body)


__all__ = ["Member", "is_bundle", "split_bundle"]
