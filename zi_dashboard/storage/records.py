"""What the store hands out: frozen records of what it keeps (an upload, a plan, an event, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np


@dataclass(frozen=True)
class Correction:
    """An editor's correction of an upload's position date."""

    id: int
    snapshot_id: int
    position_date: date
    previous: date | None
    by: str
    at: datetime


@dataclass(frozen=True, order=True)
class Workplan:
    """A unit's work plan for a year: what uploads, events and self-assessments belong to."""

    unit: str
    year: int
    id: int

    @property
    def label(self) -> str:
        return f"{self.unit} {self.year}"


@dataclass(frozen=True)
class Snapshot:
    id: int
    plan_id: int
    filename: str
    sha256: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    position_date: date | None
    content: bytes = b""
    workplan_id: int | None = None


@dataclass(frozen=True)
class StoredPlan:
    id: int
    filename: str
    sha256: str
    content: bytes
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    snapshot_id: int
    by: str
    at: datetime
    workplan_id: int | None = None


@dataclass(frozen=True)
class StoredAssessment:
    id: int
    values: str  # JSON, field code -> number
    source: str
    by: str
    at: datetime
    workplan_id: int | None = None


@dataclass(frozen=True)
class StoredContacts:
    id: int
    workplan_id: int
    filename: str
    sha256: str
    contacts: str  # JSON, PIC -> phone number
    by: str
    at: datetime


@dataclass(frozen=True)
class StoredLkeAnswers:
    id: int
    workplan_id: int
    level: str
    instrument_year: int
    answers: str  # JSON (reading/lke_answers.answers_to_json)
    source: str
    by: str
    at: datetime


@dataclass(frozen=True, eq=False)
class Standing:
    """Where one work plan stands, as the province view needs it (Store.portfolio)."""

    workplan: Workplan
    plan_id: int | None  # the plan the upload in use was read against (else the plan in use)
    snapshot_id: int | None  # the upload in use (None: nothing uploaded yet)
    position_date: date | None
    uploaded_at: datetime | None
    progress: np.ndarray | None  # per plan row, as kept when it was saved
    last_upload: datetime | None  # the newest upload (it may have been undone by a restore)
    assessment_id: int | None
    assessment: str | None  # JSON of the newest self-assessment


@dataclass(frozen=True)
class Saved:
    snapshot: Snapshot
    duplicate: bool  # True: an identical file was already stored; nothing was written
    replaced: Snapshot | None = None  # set when the upload was kept, not used: the newer data in use
