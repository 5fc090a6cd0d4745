"""The store's errors and the longest note it keeps (worded for the user, in Dutch)."""

from __future__ import annotations


class StoreError(RuntimeError):
    """A problem with the database, worded for the user (Dutch)."""


class PollCapacityError(StoreError):
    """A poll round has as many participants as it accepts."""


# Longest note kept (a meeting's notes, not a document).
MAX_NOTE_CHARS = 20_000


def _checked_note(notes: str | None, hint: str) -> str:
    """A note as kept (stripped), or StoreError in Dutch when it is too long; ``hint`` says what to do instead."""
    text = (notes or "").strip()
    if len(text) > MAX_NOTE_CHARS:
        raise StoreError(
            f"Deze notitie is te lang ({len(text):,} tekens; maximum {MAX_NOTE_CHARS:,}). ".replace(",", ".") + hint
        )
    return text
