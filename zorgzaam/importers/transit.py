"""Bus stops: the De Lijn GTFS timetable and the "Haltes De Lijn" export (dataformats.md §5).

``plan_gtfs`` reads a GTFS zip (``stops.txt``, ``stop_times.txt``, ``trips.txt``, ``calendar.txt``
and/or ``calendar_dates.txt``, ``routes.txt``, optionally ``agency.txt``) and writes one row per
stop with its **weekday departures per hour**; ``plan_haltes`` reads the Digitaal Vlaanderen
"Haltes De Lijn" layer (``STOPID``, ``NAAMHALTE``, ``LBLTYPEHAL`` …), which has no timetable.

Departures per hour (the domain notes, spatial.md 2.5, only ask "Passeren de bussen 1 keer of
meerdere malen per uur? Gaat het om een belbus?" and give no counting rule, so this one is ours):

* the day: one **reference weekday** of the feed. For every Monday–Friday date in the feed period
  (calendar ``start_date``–``end_date``, or the dates of ``calendar_dates.txt``; at most the first
  366 days) the regular trips that run are counted (``calendar.txt`` weekday flags within the date
  range, plus ``calendar_dates.txt`` exceptions: type 1 adds, type 2 removes the service). The
  date with the most trips is used; on a tie a Tuesday is preferred, then the earliest date;
* the count: per stop, the departures whose clock time on that date lies in 07:00–19:00 (from
  07:00:00 up to, not including, 19:00:00), divided by 12. GTFS times past midnight ("25:10:00")
  belong to the previous service day, so a trip of the day before with "31:15:00" departs at 07:15
  on the reference date and counts; "25:10:00" of the reference day itself is 01:10 the next day
  and does not;
* a departure is a row of ``stop_times.txt`` where one can board: the last stop of a trip (its
  highest ``stop_sequence``) and rows with ``pickup_type`` 1 (no pickup) are not departures; rows
  without a ``departure_time`` (or ``arrival_time``) are left out and counted in a warning;
* belbus trips never count towards the frequency (a belbus only runs on request).

Belbus: a route is a belbus route when its ``route_type`` is 715 (extended GTFS type "Demand and
Response Bus Service"), or when its ``route_short_name``, ``route_long_name`` or ``route_desc``,
or the ``agency_name`` of its agency, contains "belbus" or "flex" (case-insensitive; this covers
"Flexvervoer" and "Flexbus"). A stop is a belbus stop (``is_belbus``) when belbus trips serve it
and no regular trip does (anywhere in the feed); its departures per hour are then unknown (NaN),
as in the demo. A stop served by both keeps ``is_belbus`` False and counts only its regular
departures. A stop no trip serves on the reference date has 0 departures per hour.

Stops: rows of ``stops.txt`` with ``location_type`` empty or 0 (parent stations, entrances,
nodes and boarding areas are no stops; the platforms of a station are). Coordinates are WGS84
(``stop_lat``/``stop_lon``), converted to Lambert 72 (EPSG:31370); stops without coordinates or
outside Belgium's box are left out and listed in a warning.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd

from ..formatting import format_number
from ..store import Store
from . import files
from .files.archives import _is_junk, _open_zip, _unsafe_member_name
from .files.source import _size_nl
from .core import ImportPlan, Preview
from .errors import ImportProblem

__all__ = [
    "BELGIUM_LONLAT",
    "GTFS_DATASET_ID",
    "HALTES_DATASET_ID",
    "KIND",
    "MAX_PERIOD_DAYS",
    "MAX_UNKNOWN_TRIP_SHARE",
    "WINDOW_END_H",
    "WINDOW_START_H",
    "plan_gtfs",
    "plan_haltes",
    "recognise_haltes",
]

KIND = "haltes"
GTFS_DATASET_ID = "haltes-gtfs"
HALTES_DATASET_ID = "haltes-de-lijn"

#: The hours (clock time on the reference weekday) whose departures are counted.
WINDOW_START_H, WINDOW_END_H = 7, 19
#: Belgium in WGS84 (lon_min, lat_min, lon_max, lat_max), with a small margin.
BELGIUM_LONLAT = (2.5, 49.45, 6.45, 51.55)
#: Stop-times rows that reference unknown trips: a larger share than this is refused.
MAX_UNKNOWN_TRIP_SHARE = 0.5
#: At most this many days of the feed period are examined for the reference weekday.
MAX_PERIOD_DAYS = 366
BELBUS_ROUTE_TYPE = "715"
BELBUS_WORDS = re.compile(r"belbus|flex", re.IGNORECASE)

_WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_CAL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MAX_LISTED = 20


def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True)


def _date_nl(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:_MAX_LISTED])
    return shown + (f" … en {format_number(len(items) - _MAX_LISTED)} meer" if len(items) > _MAX_LISTED else "")


# --------------------------------------------------------------------------------------------
# Reading the GTFS members
# --------------------------------------------------------------------------------------------


def _has_member(source: files.SourceFile, name: str) -> bool:
    return _find_member(source, name) is not None


def _find_member(source: files.SourceFile, name: str) -> zipfile.ZipInfo | None:
    with _open_zip(source) as zf:
        return next(
            (
                i
                for i in zf.infolist()
                if not i.is_dir()
                and not _is_junk(i.filename)
                and PurePosixPath(i.filename).name.lower() == name.lower()
                and i.filename.strip("/").count("/") <= 1
                and not _unsafe_member_name(i.filename)
            ),
            None,
        )


def _small_table(source: files.SourceFile, name: str, needed: tuple[str, ...], what: str) -> pd.DataFrame | None:
    """A small GTFS member as str columns ('' for empty), or None when absent."""
    if not _has_member(source, name):
        return None
    member = files.zip_member(source, name)
    lines = [ln for ln in member.head(1 << 16).decode("utf-8-sig", errors="replace").splitlines() if ln.strip()]
    if len(lines) <= 1 and member.size < (1 << 16):  # a header alone is valid GTFS (e.g. no exceptions)
        frame = pd.DataFrame(columns=next(csv.reader(lines), []), dtype=str)
    else:
        frame = files.read_delimited(member, delimiter=",")
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ImportProblem(
            f"In {name} van deze GTFS-zip ontbreekt de kolom {', '.join(missing)} ({what}). Kies het "
            "originele GTFS-bestand van De Lijn, niet een bewerkte kopie."
        )
    return frame.fillna("").astype(str).apply(lambda s: s.str.strip())


def _stop_times(source: files.SourceFile) -> dict:
    """The needed columns of ``stop_times.txt`` as pyarrow arrays, streamed from the zip (it can be ~10⁷ rows)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    info = _find_member(source, "stop_times.txt")
    if info is None:
        raise ImportProblem(
            "In deze GTFS-zip ontbreekt stop_times.txt (de doorkomsttijden per halte). Zonder dat "
            "bestand is er geen dienstregeling. Kies het volledige GTFS-bestand van De Lijn."
        )
    if info.flag_bits & 0x1:
        raise ImportProblem(
            f"'{source.label}' is met een wachtwoord beveiligd. Pak het zelf uit en laad de bestanden "
            "zonder wachtwoord op."
        )
    if info.file_size > files.MAX_FILE_BYTES:
        raise ImportProblem(
            f"stop_times.txt in '{source.label}' is te groot ({_size_nl(info.file_size)}); "
            f"zorgzaam leest tot {_size_nl(files.MAX_FILE_BYTES)}."
        )
    with _open_zip(source) as zf:
        with zf.open(info) as fh:
            first = fh.readline(1 << 16).decode("utf-8-sig", errors="replace").strip("\r\n")
        header = next(csv.reader([first]), [])
        clean = {h.strip().lstrip("\ufeff"): h.lstrip("\ufeff") for h in header}
        needed = ["trip_id", "stop_id"]
        missing = [c for c in needed if c not in clean]
        if missing or not ({"departure_time", "arrival_time"} & clean.keys()):
            raise ImportProblem(
                "stop_times.txt in deze GTFS-zip mist de kolom "
                f"{', '.join(missing) or 'departure_time'}. Gevonden kolommen: {', '.join(clean) or 'geen'}. Kies "
                "het originele GTFS-bestand van De Lijn."
            )
        wanted = [
            c
            for c in ("trip_id", "stop_id", "departure_time", "arrival_time", "stop_sequence", "pickup_type")
            if c in clean
        ]
        raw = [clean[c] for c in wanted]
        try:
            with zf.open(info) as fh:
                table = pacsv.read_csv(
                    fh,
                    convert_options=pacsv.ConvertOptions(
                        include_columns=raw, column_types={r: pa.string() for r in raw}, strings_can_be_null=False
                    ),
                )
        except (pa.ArrowInvalid, UnicodeDecodeError) as e:
            raise ImportProblem(
                "stop_times.txt in deze GTFS-zip kan niet gelezen worden: het is geen geldige "
                "CSV in UTF-8. Download de GTFS opnieuw bij De Lijn.",
                details=[f"Technische melding: {e}"],
            ) from e
    return {c: table.column(r).combine_chunks() for c, r in zip(wanted, raw)}


def _seconds(times) -> np.ndarray:
    """'HH:MM:SS' (hours may pass 24) → seconds after the service day's noon-minus-12h; -1 when empty or invalid."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = pc.extract_regex(pc.utf8_trim_whitespace(times), r"^(?P<h>\d{1,3}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)$")
    out = np.full(len(times), -1, dtype=np.int64)
    valid = pc.is_valid(parts).to_numpy(zero_copy_only=False)
    if valid.any():
        h, m, s = (
            pc.cast(pc.struct_field(parts, k), pa.int64()).to_numpy(zero_copy_only=False) for k in ("h", "m", "s")
        )
        out[valid] = (h * 3600 + m * 60 + s)[valid]
    return out


def _index_in(values, universe: pd.Index) -> np.ndarray:
    """Position of each value in ``universe`` (unique str), -1 when absent."""
    import pyarrow as pa
    import pyarrow.compute as pc

    idx = pc.index_in(
        pc.utf8_trim_whitespace(values), value_set=pa.array(universe.to_numpy(dtype=str), type=pa.string())
    )
    return pc.fill_null(idx, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _int_or(values, default: int) -> np.ndarray:
    """Whole numbers of a pyarrow string array; ``default`` where empty or not a number."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.utf8_trim_whitespace(values)
    ok = pc.match_substring_regex(text, r"^-?\d{1,15}$")
    nums = pc.cast(pc.if_else(ok, text, pa.scalar("0")), pa.int64()).to_numpy(zero_copy_only=False)
    return np.where(ok.to_numpy(zero_copy_only=False), nums, default)


# --------------------------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------------------------


def _dates(values: pd.Series, what: str) -> pd.Series:
    parsed = pd.to_datetime(values, format="%Y%m%d", errors="coerce")
    bad = values[parsed.isna()]
    if len(bad):
        raise ImportProblem(
            f"{format_number(len(bad))} datums in {what} zijn geen datum JJJJMMDD (bv. "
            f"'{bad.iloc[0]}'). Kies het originele GTFS-bestand van De Lijn."
        )
    return parsed.dt.date


class _Calendar:
    """Which services run on a date (calendar.txt plus the exceptions of calendar_dates.txt)."""

    def __init__(self, services: pd.Index, calendar: pd.DataFrame | None, exceptions: pd.DataFrame | None):
        self.services = services
        self.weekly = np.zeros((len(services), 7), dtype=bool)
        self.start = np.full(len(services), dt.date.max)
        self.end = np.full(len(services), dt.date.min)
        if calendar is not None and len(calendar):
            pos = services.get_indexer(calendar["service_id"])
            for k, day in enumerate(_CAL_DAYS):
                self.weekly[pos, k] = calendar[day].to_numpy() == "1"
            self.start[pos] = _dates(calendar["start_date"], "calendar.txt").to_numpy()
            self.end[pos] = _dates(calendar["end_date"], "calendar.txt").to_numpy()
        self.added: dict[dt.date, set[int]] = {}
        self.removed: dict[dt.date, set[int]] = {}
        if exceptions is not None and len(exceptions):
            days = _dates(exceptions["date"], "calendar_dates.txt")
            pos = services.get_indexer(exceptions["service_id"])
            for p, day, kind in zip(pos, days, exceptions["exception_type"]):
                (self.added if kind == "1" else self.removed if kind == "2" else {}).setdefault(day, set()).add(p)

    def period(self) -> tuple[dt.date, dt.date] | None:
        has_range = self.weekly.any(axis=1)
        starts = list(self.start[has_range]) + list(self.added)
        ends = list(self.end[has_range]) + list(self.added)
        return (min(starts), max(ends)) if starts else None

    def active(self, day: dt.date) -> np.ndarray:
        on = self.weekly[:, day.weekday()] & (self.start <= day) & (day <= self.end)
        on[list(self.added.get(day, ()))] = True
        on[list(self.removed.get(day, ()))] = False
        return on


def _reference_weekday(cal: _Calendar, trips_per_service: np.ndarray) -> tuple[dt.date, int] | None:
    """The Monday–Friday date with the most regular trips (tie: a Tuesday, then the earliest)."""
    period = cal.period()
    if period is None:
        return None
    start, end = period
    end = min(end, start + dt.timedelta(days=MAX_PERIOD_DAYS - 1))
    best_key, best = None, None
    day = start
    while day <= end:
        if day.weekday() < 5:
            n = int(trips_per_service[cal.active(day)].sum())
            key = (n, day.weekday() == 1, -day.toordinal())
            if n > 0 and (best_key is None or key > best_key):
                best_key, best = key, (day, n)
        day += dt.timedelta(days=1)
    return best


# --------------------------------------------------------------------------------------------
# GTFS
# --------------------------------------------------------------------------------------------


def _belbus_routes(routes: pd.DataFrame | None, agencies: pd.DataFrame | None) -> set[str]:
    """route_ids of belbus routes (rule in the module docstring)."""
    if routes is None:
        return set()
    text = pd.Series("", index=routes.index)
    for col in ("route_short_name", "route_long_name", "route_desc"):
        if col in routes.columns:
            text = text + " " + routes[col]
    if agencies is not None and {"agency_id", "agency_name"} <= set(agencies.columns):
        names = dict(zip(agencies["agency_id"], agencies["agency_name"]))
        if "agency_id" in routes.columns:
            text = text + " " + routes["agency_id"].map(names).fillna("")
        elif len(agencies) == 1:  # one agency: agency_id may be left out
            text = text + " " + agencies["agency_name"].iloc[0]
    flag = text.str.contains(BELBUS_WORDS)
    if "route_type" in routes.columns:
        flag |= routes["route_type"] == BELBUS_ROUTE_TYPE
    return set(routes.loc[flag, "route_id"])


def _gtfs_stops(stops: pd.DataFrame, warnings: list[str]) -> tuple[pd.DataFrame, int]:
    """The boardable stops (location_type 0) inside Belgium, in Lambert 72; also the parent stations skipped."""
    kind = stops["location_type"] if "location_type" in stops.columns else pd.Series("", index=stops.index)
    kind = kind.replace("", "0")
    parents = int((kind == "1").sum())
    stops = stops[kind == "0"]
    if stops.empty:
        raise ImportProblem(
            "stops.txt van deze GTFS-zip bevat geen enkele halte (alleen stations of ingangen, of "
            "niets). Kies het volledige GTFS-bestand van De Lijn."
        )
    dupes = stops["stop_id"][stops["stop_id"].duplicated()]
    if len(dupes):
        raise ImportProblem(
            f"stops.txt bevat {format_number(len(dupes))} dubbele stop_id's (bv. {dupes.iloc[0]}). "
            "Kies het originele GTFS-bestand van De Lijn."
        )
    lat = pd.to_numeric(stops["stop_lat"].str.replace(",", "."), errors="coerce")
    lon = pd.to_numeric(stops["stop_lon"].str.replace(",", "."), errors="coerce")
    x0, y0, x1, y1 = BELGIUM_LONLAT
    inside = lon.between(x0, x1) & lat.between(y0, y1)
    if not inside.any():
        raise ImportProblem(
            "Geen enkele halte van deze GTFS-zip ligt in België (stop_lat/stop_lon). Kies de GTFS van "
            "De Lijn, of controleer of breedte- en lengtegraad niet verwisseld zijn."
        )
    if (~inside).any():
        out = stops[~inside]
        warnings.append(
            f"{format_number(len(out))} haltes zonder coördinaten of buiten België weggelaten: "
            + _listed([f"{i} ({n})" if n else str(i) for i, n in zip(out["stop_id"], out["stop_name"])])
        )
    stops = stops[inside]
    x, y = _transformer().transform(lon[inside].to_numpy(), lat[inside].to_numpy())
    name = stops["stop_name"].where(stops["stop_name"] != "", stops["stop_id"])
    frame = pd.DataFrame(
        {
            "stop_id": stops["stop_id"].to_numpy(),
            "name": name.to_numpy(),
            "x": x,
            "y": y,
            "lon": lon[inside].to_numpy(),
            "lat": lat[inside].to_numpy(),
        }
    )
    return frame, parents


def plan_gtfs(source: files.SourceFile, file_names: list[str], store: Store) -> ImportPlan:
    """Stops with weekday departures per hour and belbus flag from a GTFS zip (rules: module docstring)."""
    warnings: list[str] = []
    notes: list[str] = []
    stops_raw = _small_table(source, "stops.txt", ("stop_id", "stop_name", "stop_lat", "stop_lon"), "de haltes")
    if stops_raw is None or stops_raw.empty:
        raise ImportProblem(
            "stops.txt van deze GTFS-zip ontbreekt of is leeg: er zijn geen haltes. Kies het volledige "
            "GTFS-bestand van De Lijn."
        )
    trips = _small_table(source, "trips.txt", ("trip_id", "route_id", "service_id"), "de ritten")
    if trips is None or trips.empty:
        raise ImportProblem(
            "In deze GTFS-zip ontbreekt trips.txt (de ritten), of het is leeg. Zonder ritten kan "
            "zorgzaam geen vertrekken tellen. Kies het volledige GTFS-bestand van De Lijn."
        )
    calendar = _small_table(
        source, "calendar.txt", ("service_id", *_CAL_DAYS, "start_date", "end_date"), "de dienstkalender"
    )
    exceptions = _small_table(
        source, "calendar_dates.txt", ("service_id", "date", "exception_type"), "de uitzonderingsdagen"
    )
    if (calendar is None or calendar.empty) and (exceptions is None or exceptions.empty):
        raise ImportProblem(
            "In deze GTFS-zip ontbreken calendar.txt en calendar_dates.txt: zonder dienstkalender is "
            "niet te zeggen op welke dagen de ritten rijden. Kies het volledige GTFS-bestand van De Lijn."
        )
    routes = _small_table(source, "routes.txt", ("route_id",), "de lijnen")
    agencies = _small_table(source, "agency.txt", (), "de vervoerders")
    if routes is None:
        warnings.append("routes.txt ontbreekt: belbussen zijn niet te herkennen, alle haltes gelden als gewone haltes.")

    stops, parents = _gtfs_stops(stops_raw, warnings)
    trips = trips.drop_duplicates(subset="trip_id")
    trip_index = pd.Index(trips["trip_id"])
    belbus_routes = _belbus_routes(routes, agencies)
    trip_belbus = trips["route_id"].isin(belbus_routes).to_numpy()
    services = pd.Index(
        pd.concat([trips["service_id"], *(t["service_id"] for t in (calendar, exceptions) if t is not None)]).unique()
    )
    trip_service = services.get_indexer(trips["service_id"])
    cal = _Calendar(services, calendar, exceptions)

    regular_per_service = np.bincount(trip_service[~trip_belbus], minlength=len(services))
    ref = _reference_weekday(cal, regular_per_service)
    if ref is None:
        raise ImportProblem(
            "Volgens de dienstkalender van deze GTFS-zip rijdt er op geen enkele weekdag (maandag tot "
            "vrijdag) een gewone bus. Kies een actuele GTFS van De Lijn (de dienstregeling van nu)."
        )
    day, n_trips = ref

    st = _stop_times(source)
    n_rows = len(st["trip_id"])
    if n_rows == 0:
        raise ImportProblem("stop_times.txt van deze GTFS-zip is leeg. Kies het volledige GTFS-bestand van De Lijn.")
    trip_i = _index_in(st["trip_id"], trip_index)
    unknown_trip = trip_i < 0
    if unknown_trip.any():
        share = unknown_trip.mean()
        text = (
            f"{format_number(int(unknown_trip.sum()))} van {format_number(n_rows)} doorkomsten in stop_times.txt "
            "verwijzen naar een rit die niet in trips.txt staat"
        )
        if share > MAX_UNKNOWN_TRIP_SHARE:
            raise ImportProblem(
                text + ". stop_times.txt en trips.txt horen niet bij elkaar: kies één volledig "
                "GTFS-bestand van De Lijn, niet bestanden uit verschillende downloads."
            )
        warnings.append(text + "; die doorkomsten zijn weggelaten.")
    stop_i = _index_in(st["stop_id"], pd.Index(stops["stop_id"]))
    all_stop_ids = pd.Index(stops_raw["stop_id"])
    unknown_stop = (stop_i < 0) & ~unknown_trip
    if unknown_stop.any():
        not_in_file = int((_index_in(st["stop_id"], all_stop_ids)[unknown_stop] < 0).sum())
        warnings.append(
            f"{format_number(int(unknown_stop.sum()))} doorkomsten horen bij een halte die weggelaten is "
            f"(buiten België, een station in plaats van een perron) of die niet in stops.txt staat "
            f"({format_number(not_in_file)})."
        )
    ok = ~unknown_trip & (stop_i >= 0)
    times = st.get("departure_time", st.get("arrival_time"))
    secs = _seconds(times)
    if "arrival_time" in st and "departure_time" in st:
        secs = np.where(secs < 0, _seconds(st["arrival_time"]), secs)

    t_idx = np.where(ok, trip_i, 0)
    is_belbus_trip = trip_belbus[t_idx]
    served_regular = np.bincount(stop_i[ok & ~is_belbus_trip], minlength=len(stops)) > 0
    served_belbus = np.bincount(stop_i[ok & is_belbus_trip], minlength=len(stops)) > 0

    # departures on the reference date: service of that day (07–19 h) or of the day before (31–43 h)
    svc = trip_service[t_idx]
    on_day, on_eve = cal.active(day)[svc], cal.active(day - dt.timedelta(days=1))[svc]
    lo, hi = WINDOW_START_H * 3600, WINDOW_END_H * 3600
    relevant = ok & ~is_belbus_trip & (on_day | on_eve)
    missing_time = relevant & (secs < 0)
    if missing_time.any():
        warnings.append(
            f"{format_number(int(missing_time.sum()))} doorkomsten op {_date_nl(day)} hebben geen "
            "(geldig) vertrekuur en zijn niet meegeteld."
        )
    boarding = relevant & (secs >= 0)
    if "pickup_type" in st:
        boarding &= _int_or(st["pickup_type"], 0) != 1
    if "stop_sequence" in st:
        seq = _int_or(st["stop_sequence"], -1)
        last = np.full(len(trip_index), np.iinfo(np.int64).min)
        np.maximum.at(last, t_idx[relevant], seq[relevant])
        boarding &= ~((seq == last[t_idx]) & (seq >= 0))
    in_window = (on_day & (secs >= lo) & (secs < hi)) | (on_eve & (secs >= lo + 86400) & (secs < hi + 86400))
    counted = boarding & in_window
    per_hour = np.bincount(stop_i[counted], minlength=len(stops)) / (WINDOW_END_H - WINDOW_START_H)

    belbus = served_belbus & ~served_regular
    stops["departures_per_hour"] = pd.array(np.where(belbus, np.nan, per_hour), dtype="Float64")
    stops.loc[belbus, "departures_per_hour"] = pd.NA
    stops["is_belbus"] = belbus
    stops = stops[["stop_id", "name", "departures_per_hour", "is_belbus", "x", "y", "lon", "lat"]]

    period = cal.period()
    assert period is not None
    freq = stops["departures_per_hour"].fillna(0).to_numpy(dtype=float)
    regular = ~belbus
    notes.append(
        f"Frequentie: vertrekken op {_WEEKDAYS_NL[day.weekday()]} {_date_nl(day)} (de weekdag met de meeste "
        f"ritten: {format_number(n_trips)}) tussen {WINDOW_START_H}:00 en {WINDOW_END_H}:00, gedeeld door "
        f"{WINDOW_END_H - WINDOW_START_H}. Belbusritten tellen niet mee."
    )
    for n in (1, 2, 4):
        notes.append(
            f"Haltes met minstens {n} vertrek(ken) per uur: {format_number(int((regular & (freq >= n)).sum()))}"
        )
    notes.append(f"Belbushaltes (alleen belbus): {format_number(int(belbus.sum()))}")
    silent = int((regular & ~served_regular).sum())
    if silent:
        notes.append(f"Haltes zonder enige rit in de dienstregeling (0 vertrekken): {format_number(silent)}")
    if parents:
        notes.append(
            f"Stations (location_type 1) overgeslagen: {format_number(parents)}; hun perrons tellen als halte."
        )
    agency = ", ".join(agencies["agency_name"].head(3)) if agencies is not None and "agency_name" in agencies else ""
    period_text = f"{_date_nl(period[0])} – {_date_nl(period[1])}"
    return ImportPlan(
        dataset_id=GTFS_DATASET_ID,
        title="Haltes en dienstregeling (GTFS)" + (f" – {agency}" if agency else ""),
        source=(f"GTFS {agency}" if agency else "GTFS") + f", dienstregeling {period_text}",
        period_label=period_text,
        file_name=file_names[0] if file_names else None,
        preview=Preview(
            kind=KIND,
            description="Bushaltes met dienstregeling (GTFS" + (f", {agency})" if agency else ")"),
            file_names=file_names,
            rows=len(stops),
            crs="EPSG:4326 (WGS84), omgezet naar Lambert 72 (EPSG:31370)",
            periods=[f"Dienstregeling {period_text}"],
            notes=notes,
            warnings=warnings,
            sample=stops.head(10),
        ),
        stops=stops.reset_index(drop=True),
    )


# --------------------------------------------------------------------------------------------
# "Haltes De Lijn" (Digitaal Vlaanderen)
# --------------------------------------------------------------------------------------------


def _column(frame: pd.DataFrame, *names: str) -> str | None:
    by_upper = {str(c).strip().upper(): c for c in frame.columns}
    return next((by_upper[n] for n in names if n in by_upper), None)


def recognise_haltes(frame: pd.DataFrame) -> bool:
    """True for the "Haltes De Lijn" layer or a table export of it (columns STOPID and NAAMHALTE)."""
    return _column(frame, "STOPID") is not None and _column(frame, "NAAMHALTE") is not None


def _haltes_points(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, str]:
    """Lambert 72 x, y of each row (NaN when unknown) and a label of the CRS found."""
    from pyproj import Transformer

    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        if frame.crs is None:
            raise ImportProblem(
                "Het coördinatenstelsel van deze haltelaag is onbekend. Vraag de laag op met "
                "srsName=EPSG:31370 of EPSG:4326, of laad het .prj-bestand mee op."
            )
        geoms = frame.geometry
        pts = geoms.where(geoms.notna() & ~geoms.is_empty)
        pts = gpd.GeoSeries(pts.representative_point() if len(pts) else pts, crs=frame.crs)
        epsg = files.crs_epsg(frame)
        out = pts.to_crs(31370) if epsg != 31370 else pts
        return out.x.to_numpy(dtype=float), out.y.to_numpy(dtype=float), f"EPSG:{epsg}" if epsg else str(frame.crs)
    xcol, ycol = _column(frame, "X", "X_LAMBERT", "XCOORD"), _column(frame, "Y", "Y_LAMBERT", "YCOORD")
    if xcol is not None and ycol is not None:

        def num(c):
            return pd.to_numeric(frame[c].astype(str).str.replace(",", "."), errors="coerce").to_numpy(dtype=float)

        return num(xcol), num(ycol), "EPSG:31370 (Lambert 72)"
    loncol, latcol = (
        _column(frame, "LON", "LONGITUDE", "LENGTEGRAAD"),
        _column(frame, "LAT", "LATITUDE", "BREEDTEGRAAD"),
    )
    if loncol is not None and latcol is not None:
        lon = pd.to_numeric(frame[loncol].astype(str).str.replace(",", "."), errors="coerce").to_numpy(dtype=float)
        lat = pd.to_numeric(frame[latcol].astype(str).str.replace(",", "."), errors="coerce").to_numpy(dtype=float)
        x, y = Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True).transform(lon, lat)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float), "EPSG:4326 (WGS84)"
    raise ImportProblem(
        "Deze haltelijst heeft geen ligging: geen kaartvormen en geen kolommen X/Y of lon/lat. "
        "Download de laag 'Haltes De Lijn' als GeoJSON of shapefile."
    )


def plan_haltes(frame: pd.DataFrame, file_names: list[str], store: Store) -> ImportPlan:
    """Stops from "Haltes De Lijn" (dataformats.md §5.2): no timetable, so departures per hour unknown (NaN).

    ``LBLTYPEHAL`` containing "belbus" or "flex" (case-insensitive) marks a belbus stop. With NaN
    departures a stop never counts as a regular stop in access.py, so the preview says that the
    bus-frequency indicators need the GTFS.
    """
    if frame is None or len(frame) == 0:
        raise ImportProblem("Deze haltelijst is leeg. Download de laag 'Haltes De Lijn' opnieuw.")
    id_col, name_col = _column(frame, "STOPID"), _column(frame, "NAAMHALTE")
    if id_col is None or name_col is None:
        raise ImportProblem("Dit is geen lijst 'Haltes De Lijn': de kolommen STOPID en NAAMHALTE ontbreken.")
    type_col = _column(frame, "LBLTYPEHAL")
    x, y, crs_label = _haltes_points(frame)
    ids = frame[id_col].astype(str).str.strip().str.replace(r"\.0$", "", regex=True).to_numpy()
    names = frame[name_col].fillna("").astype(str).str.strip().to_numpy()
    kinds = frame[type_col].fillna("").astype(str) if type_col is not None else pd.Series("", index=frame.index)
    from pyproj import Transformer

    lon, lat = Transformer.from_crs("EPSG:31370", "EPSG:4326", always_xy=True).transform(x, y)
    table = pd.DataFrame(
        {
            "stop_id": ids,
            "name": np.where(names == "", ids, names),
            "departures_per_hour": pd.array([pd.NA] * len(frame), dtype="Float64"),
            "is_belbus": kinds.str.contains(BELBUS_WORDS).to_numpy(),
            "x": x,
            "y": y,
            "lon": np.asarray(lon, dtype=float),
            "lat": np.asarray(lat, dtype=float),
        }
    )
    warnings = []
    x0, y0, x1, y1 = BELGIUM_LONLAT
    inside = table["lon"].between(x0, x1) & table["lat"].between(y0, y1)
    if not inside.any():
        raise ImportProblem(
            "Geen enkele halte van deze lijst ligt in België: het coördinatenstelsel klopt niet. "
            "Download de laag opnieuw met srsName=EPSG:31370."
        )
    if (~inside).any():
        warnings.append(
            f"{format_number(int((~inside).sum()))} haltes zonder ligging of buiten België weggelaten: "
            + _listed(list(table.loc[~inside, "stop_id"]))
        )
    table = table[inside]
    dupes = table["stop_id"].duplicated()
    if dupes.any():
        warnings.append(f"{format_number(int(dupes.sum()))} dubbele haltenummers: alleen de eerste is bewaard.")
        table = table[~dupes]
    warnings.append(
        "Deze lijst bevat geen dienstregeling: het aantal vertrekken per uur is onbekend. De indicatoren "
        "over bushaltes en busfrequentie hebben de GTFS-dienstregeling van De Lijn nodig; met alleen deze "
        "lijst telt geen enkele halte als gewone halte met vertrekken."
    )
    return ImportPlan(
        dataset_id=HALTES_DATASET_ID,
        title="Haltes De Lijn (zonder dienstregeling)",
        source="Haltes De Lijn, Digitaal Vlaanderen",
        file_name=file_names[0] if file_names else None,
        preview=Preview(
            kind=KIND,
            description="Haltes De Lijn (Digitaal Vlaanderen), zonder dienstregeling",
            file_names=file_names,
            rows=len(table),
            crs=crs_label,
            notes=[
                f"Belbushaltes (LBLTYPEHAL): {format_number(int(table['is_belbus'].sum()))}",
                "Vertrekken per uur: onbekend (niet in dit bestand).",
            ],
            warnings=warnings,
            sample=table.head(10),
        ),
        stops=table.reset_index(drop=True),
    )
