"""A unit's own Laporan monev template (issue 24 item 2) and the report's remembered details
(letter number, place, signer), kept per unit (satuan kerja: every year of its work plans), append-
only like plans: every uploaded template with who, when, its name, size, bytes and sha256; every
choice of the template in use (a stored one, or the default: template_id NULL) as its own row,
so the template in use at any moment can be told again; every save of the details, newest in use.

Nothing is updated or deleted.  The template's bytes are stored only after the template was
checked and filled once in a child process (app/monev.check_template_upload).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from zi_dashboard.storage.schema import report_details, report_template_uses, report_templates


@dataclass(frozen=True)
class StoredTemplate:
    id: int
    unit: str
    filename: str
    sha256: str
    size: int
    by: str
    at: datetime


@dataclass(frozen=True)
class TemplateUse:
    id: int
    template_id: int | None  # None: the default template
    by: str
    at: datetime


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _template(r) -> StoredTemplate:
    return StoredTemplate(r.id, r.unit, r.filename, r.sha256, int(r.size), r.by, _utc(r.at))


_META = [c for c in report_templates.c if c.name != "content"]


def add_template(engine: Engine, unit: str, filename: str, sha256: str, content: bytes, by: str) -> StoredTemplate:
    """Keep a checked template of `unit` and put it in use (a file the unit stored before is not
    stored twice: that one is put in use again)."""
    with engine.begin() as conn:
        now = datetime.now(UTC)
        found = conn.execute(
            select(*_META)
            .where(report_templates.c.unit == unit, report_templates.c.sha256 == sha256)
            .order_by(report_templates.c.id)
            .limit(1)
        ).first()
        if found is None:
            new_id = conn.execute(
                insert(report_templates)
                .values(
                    unit=unit,
                    filename=filename[:255],
                    sha256=sha256,
                    size=len(content),
                    content=content,
                    by=by[:120],
                    at=now,
                )
                .returning(report_templates.c.id)
            ).scalar_one()
            stored = StoredTemplate(new_id, unit, filename[:255], sha256, len(content), by[:120], now)
        else:
            stored = _template(found)
        conn.execute(insert(report_template_uses).values(unit=unit, template_id=stored.id, by=by[:120], at=now))
    return stored


def use_template(engine: Engine, unit: str, template_id: int | None, by: str) -> TemplateUse:
    """Put a stored template of `unit` in use again (None: the default template)."""
    with engine.begin() as conn:
        if template_id is not None:
            owner = conn.execute(select(report_templates.c.unit).where(report_templates.c.id == template_id)).scalar()
            if owner != unit:
                raise LookupError(template_id)
        now = datetime.now(UTC)
        new_id = conn.execute(
            insert(report_template_uses)
            .values(unit=unit, template_id=template_id, by=by[:120], at=now)
            .returning(report_template_uses.c.id)
        ).scalar_one()
    return TemplateUse(new_id, template_id, by[:120], now)


def template_uses(engine: Engine, unit: str) -> list[TemplateUse]:
    """Every choice of `unit`'s template, newest first."""
    q = (
        select(report_template_uses)
        .where(report_template_uses.c.unit == unit)
        .order_by(report_template_uses.c.id.desc())
    )
    with engine.connect() as conn:
        return [TemplateUse(r.id, r.template_id, r.by, _utc(r.at)) for r in conn.execute(q)]


def templates(engine: Engine, unit: str) -> list[StoredTemplate]:
    """Every template `unit` stored, newest first (without their bytes)."""
    q = select(*_META).where(report_templates.c.unit == unit).order_by(report_templates.c.id.desc())
    with engine.connect() as conn:
        return [_template(r) for r in conn.execute(q)]


def in_use_at(engine: Engine, unit: str, at: datetime | None = None) -> StoredTemplate | None:
    """The template `unit` used at `at` (now when None): the newest choice made by then; None:
    the default template (no choice by then, or the default chosen)."""
    q = select(report_template_uses.c.template_id).where(report_template_uses.c.unit == unit)
    if at is not None:
        q = q.where(report_template_uses.c.at <= at)
    with engine.connect() as conn:
        template_id = conn.execute(q.order_by(report_template_uses.c.id.desc()).limit(1)).scalar()
        if template_id is None:
            return None
        r = conn.execute(select(*_META).where(report_templates.c.id == template_id)).one()
    return _template(r)


def template_content(engine: Engine, template_id: int) -> bytes:
    with engine.connect() as conn:
        return bytes(
            conn.execute(select(report_templates.c.content).where(report_templates.c.id == template_id)).scalar_one()
        )


def save_details(engine: Engine, unit: str, details: dict[str, str], by: str) -> int:
    """Remember the report's details for `unit` (the newest save is in use)."""
    with engine.begin() as conn:
        return conn.execute(
            insert(report_details)
            .values(unit=unit, details=json.dumps(details, ensure_ascii=False), by=by[:120], at=datetime.now(UTC))
            .returning(report_details.c.id)
        ).scalar_one()


def details(engine: Engine, unit: str) -> dict[str, str]:
    """The report's details last saved for `unit` ({} when none)."""
    q = select(report_details.c.details).where(report_details.c.unit == unit).order_by(report_details.c.id.desc())
    with engine.connect() as conn:
        found = conn.execute(q.limit(1)).scalar()
    loaded = json.loads(found) if found else {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
