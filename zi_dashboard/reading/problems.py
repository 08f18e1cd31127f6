"""A problem found in a file: where (sheet row, column), what (a stable code, the message key)
and the Indonesian text the user reads."""

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
    code: str = ""  # the message key: stable for tests and the CLI's JSON

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def text(self) -> str:
        place = L.where(self.row, self.column)
        return f"{place}: {self.message}" if place else self.message

    def as_dict(self) -> dict:
        return {"code": self.code, "row": self.row, "column": self.column, "message": self.message}


def code_of(message: str) -> str:
    """The key of a labels.Message; 'other' for text that was not made by labels.msg."""
    return getattr(message, "key", "other")


def error(message: str, row: int | None = None, column: str | None = None) -> Problem:
    return Problem(ERROR, str(message), row, column, code_of(message))


def warning(message: str, row: int | None = None, column: str | None = None) -> Problem:
    return Problem(WARNING, str(message), row, column, code_of(message))
