"""The one error an import raises: a Dutch sentence that says what is wrong and what to do."""

from __future__ import annotations

__all__ = ["ImportProblem"]


class ImportProblem(ValueError):
    """Bad input for an import; ``message`` is Dutch, ``details`` optional lines (e.g. unmatched codes)."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = list(details or [])

    def __str__(self) -> str:
        return self.message
