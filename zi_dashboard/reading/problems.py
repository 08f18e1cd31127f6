"""A problem found in a file: where (sheet row, column) and what, in Bahasa Indonesia."""
from __future__ import annotations

from dataclasses import dataclass

from zi_dashboard import labels as L

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    level: str
    message: str
    row: int | None = None
    column: str | None = None

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def text(self) -> str:
        place = L.where(self.row, self.column)
        return f"{place}: {self.message}" if place else self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def error(message: str, row: int | None = None, column: str | None = None) -> Problem:
    return Problem(ERROR, message, row, column)


def warning(message: str, row: int | None = None, column: str | None = None) -> Problem:
    return Problem(WARNING, message, row, column)
