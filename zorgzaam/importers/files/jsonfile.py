"""JSON files: parsed in memory, at most ``MAX_JSON_BYTES``. No Streamlit."""

from __future__ import annotations

import json

from ..errors import ImportProblem
from .formats import _utf16_like
from .source import MiB, SourceFile, _size_nl

#: ``read_json`` parses in memory (Python objects take ~10x the file size).
MAX_JSON_BYTES = 200 * MiB


def read_json(source: SourceFile, max_bytes: int = MAX_JSON_BYTES) -> object:
    """The parsed JSON of ``source`` (UTF-8, with or without BOM), at most ``max_bytes`` large."""
    label = source.label
    if source.size > max_bytes:
        raise ImportProblem(
            f"'{label}' is te groot ({_size_nl(source.size)}) voor een JSON-bestand; zorgzaam leest "
            f"JSON tot {_size_nl(max_bytes)}. Neem een kleiner uittreksel."
        )
    data = source.read_bytes()
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportProblem(f"'{label}' is leeg. Kies het juiste bestand of download het opnieuw.")
    if _utf16_like(data[:4096]):
        raise ImportProblem(
            f"'{label}' is opgeslagen als UTF-16; zorgzaam leest JSON in UTF-8. Bewaar het bestand "
            "als UTF-8 en laad het opnieuw op."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportProblem(
            f"'{label}' is geen geldige JSON: het is geen UTF-8-tekst. Download het bestand opnieuw bij de bron."
        ) from e
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ImportProblem(
            f"'{label}' is geen geldige JSON (fout op regel {e.lineno}, kolom {e.colno}). Download het bestand "
            "opnieuw: een onvolledige download is de meest voorkomende oorzaak.",
            details=[f"Technische melding: {e.msg}"],
        ) from e
    except RecursionError as e:
        raise ImportProblem(f"'{label}' is te diep genest om als JSON te lezen.") from e
