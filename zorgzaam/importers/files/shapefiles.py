"""Shapefile sets: the ``.shp/.shx/.dbf/.prj/.cpg`` parts of one shapefile, grouped by folder and stem."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ImportProblem
from .source import MiB, SourceFile, _safe_file_name

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
SHAPEFILE_REQUIRED = (".shp", ".shx", ".dbf")


@dataclass(frozen=True, eq=False)
class ShapefileSet:
    """The parts of one shapefile, by lower-case suffix ('.shp', '.dbf', …)."""

    stem: str
    parts: dict[str, SourceFile]

    @property
    def name(self) -> str:
        return f"{self.stem}.shp"

    @property
    def label(self) -> str:
        archive = next((p.archive for p in self.parts.values() if p.archive), "")
        return f"{self.name} (in {archive})" if archive else self.name

    @property
    def missing(self) -> list[str]:
        """Required parts that are missing, as file names ('gemeente.dbf')."""
        return [f"{self.stem}{s}" for s in SHAPEFILE_REQUIRED if s not in self.parts]

    @property
    def has_prj(self) -> bool:
        return ".prj" in self.parts

    def require_complete(self) -> None:
        missing = self.missing
        if missing:
            verb = "ontbreekt" if len(missing) == 1 else "ontbreken"
            raise ImportProblem(
                f"De shapefile '{self.stem}' is onvolledig: {', '.join(missing)} {verb}. Een shapefile bestaat uit "
                "meerdere bestanden met dezelfde naam: laad .shp, .shx, .dbf en .prj samen op (of samen in één "
                "zip-bestand).",
                details=[f"Gevonden: {', '.join(p.name for p in self.parts.values())}"],
            )

    @contextlib.contextmanager
    def local_path(self) -> Iterator[Path]:
        """The .shp path with all parts beside it (the files themselves, or temporary copies)."""
        shp = self.parts.get(".shp")
        paths = [p.path for p in self.parts.values()]
        if (
            shp is not None
            and shp.path is not None
            and all(paths)
            and len({p.parent for p in paths}) == 1
            and len({p.stem for p in paths}) == 1
            and all(p.suffix == p.suffix.lower() for p in paths)
        ):
            yield shp.path
            return
        with tempfile.TemporaryDirectory(prefix="zorgzaam-shp-") as tmp:
            stem = _safe_file_name(self.stem)
            for suffix, part in self.parts.items():
                target = Path(tmp) / f"{stem}{suffix}"
                with part.open() as src, open(target, "wb") as dst:
                    while chunk := src.read(MiB):
                        dst.write(chunk)
            yield Path(tmp) / f"{stem}.shp"


def group_shapefiles(files: Iterable[SourceFile]) -> tuple[list[ShapefileSet], list[SourceFile]]:
    """Shapefile parts grouped by (archive, folder, stem), and the other files.

    A group with only ``.prj``/``.cpg`` (e.g. beside a raster) is dropped. Incomplete sets are
    returned as they are: call ``ShapefileSet.require_complete()`` (``collect`` and
    ``read_vector`` do).
    """
    groups: dict[tuple[str, str, str], dict[str, SourceFile]] = {}
    stems: dict[tuple[str, str, str], str] = {}
    rest: list[SourceFile] = []
    for f in files:
        if f.suffix in SHAPEFILE_PARTS:
            key = (f.archive, f.folder, f.stem.lower())
            groups.setdefault(key, {}).setdefault(f.suffix, f)
            if f.suffix == ".shp" or key not in stems:
                stems[key] = f.stem
        else:
            rest.append(f)
    sets = [
        ShapefileSet(stem=stems[k], parts=parts)
        for k, parts in groups.items()
        if any(s in parts for s in SHAPEFILE_REQUIRED)
    ]
    return sets, rest
