"""GTFS and "Haltes De Lijn" import (zorgzaam.importers.transit), on small hand-made feeds around Halle."""

from __future__ import annotations

import math
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from zorgzaam.importers import transit
from zorgzaam.importers.errors import ImportProblem
from zorgzaam.importers.files import SourceFile
from zorgzaam.store import Store

TO_LAMBERT = Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True)

STOPS = """stop_id,stop_code,stop_name,stop_desc,stop_lat,stop_lon,zone_id,stop_url,location_type,parent_station
STA,,Halle Station,,50.7335,4.2400,,,1,
S1,301001,Halle Station perron 1,,50.7336,4.2401,,,0,STA
S2,301002,Halle Markt,,50.7350,4.2370,,,,
S3,301003,Halle Basiliek,,50.7340,4.2360,,,0,
S4,301004,Lembeek Kerk,,50.7140,4.2200,,,0,
S5,999999,Parijs,,48.8500,2.3500,,,0,
S6,301006,Buizingen Dorp,,50.7500,4.2500,,,0,
"""
AGENCY = "agency_id,agency_name,agency_url,agency_timezone\nDL,De Lijn,https://www.delijn.be,Europe/Brussels\n"
ROUTES = """route_id,agency_id,route_short_name,route_long_name,route_desc,route_type
R1,DL,170,Halle - Buizingen,,3
R2,DL,BB,Belbus Pajottenland,,3
"""
TRIPS = """route_id,service_id,trip_id
R1,WK,T1
R1,WK,T2
R1,WK,T3
R1,WK,T4
R1,WK,T5
R1,EXTRA,T6
R1,WK,T7
R1,WE,T8
R2,BB,T9
R1,WK,T10
"""
STOP_TIMES = """trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type
T1,06:50:00,06:50:00,S1,1,0,0
T1,07:00:00,07:00:00,S2,2,0,0
T1,07:10:00,07:10:00,S3,3,0,0
T2,18:50:00,18:50:00,S1,1,0,0
T2,19:00:00,19:00:00,S2,2,0,0
T2,19:05:00,19:05:00,S3,3,0,0
T3,12:00:00,12:00:00,S1,1,0,0
T3,12:10:00,12:10:00,S2,2,0,0
T3,12:20:00,12:20:00,S3,3,0,0
T4,24:30:00,24:30:00,S1,1,0,0
T4,25:10:00,25:10:00,S2,2,0,0
T4,25:20:00,25:20:00,S3,3,0,0
T5,31:15:00,31:15:00,S1,1,0,0
T5,31:20:00,31:20:00,S2,2,0,0
T5,31:30:00,31:30:00,S3,3,0,0
T6,10:00:00,10:00:00,S2,1,0,0
T6,10:10:00,10:10:00,S3,2,0,0
T7,10:20:00,10:20:00,S1,1,0,0
T7,10:30:00,10:30:00,S2,2,1,0
T7,10:40:00,10:40:00,S3,3,0,0
T8,09:00:00,09:00:00,S6,1,0,0
T8,09:10:00,09:10:00,S2,2,0,0
T9,09:00:00,09:00:00,S4,1,0,0
T9,09:15:00,09:15:00,S3,2,0,0
T9,09:30:00,09:30:00,S2,3,0,0
T10,08:00:00,08:00:00,S2,1,0,0
T10,08:30:00,08:30:00,S3,2,0,0
"""
CALENDAR = """service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
WK,1,1,1,1,1,0,0,20250303,20250316
WE,0,0,0,0,0,1,1,20250303,20250316
BB,1,1,1,1,1,0,0,20250303,20250316
"""
CALENDAR_DATES = "service_id,date,exception_type\nEXTRA,20250311,1\nWK,20250305,2\n"


def _feed(**members: str | None) -> dict[str, str]:
    base = {
        "agency.txt": AGENCY,
        "stops.txt": STOPS,
        "routes.txt": ROUTES,
        "trips.txt": TRIPS,
        "stop_times.txt": STOP_TIMES,
        "calendar.txt": CALENDAR,
        "calendar_dates.txt": CALENDAR_DATES,
    }
    base.update(members)
    return {k: v for k, v in base.items() if v is not None}


def _zip(tmp_path, members: dict[str, str], name: str = "gtfs.zip", bom: bool = False) -> SourceFile:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, text in members.items():
            data = text.replace("\n", "\r\n").encode("utf-8")
            zf.writestr(member, (b"\xef\xbb\xbf" if bom else b"") + data)
    return SourceFile.from_path(path)


@pytest.fixture
def store(tmp_path):
    return Store.open(tmp_path / "x.duckdb")


def _by_id(plan):
    return plan.stops.set_index("stop_id")


def test_departures_per_hour_on_the_reference_weekday(tmp_path, store):
    plan = transit.plan_gtfs(_zip(tmp_path, _feed()), ["gtfs.zip"], store)
    stops = _by_id(plan)
    # Tue 11/03/2025 has the most trips (the calendar_dates extra trip T6); Mon 10/03 is the eve.
    # S1: T2 18:50, T3 12:00, T5 31:15 of Monday (= 07:15), T7 10:20  -> 4
    # S2: T1 07:00, T3 12:10, T5 31:20 of Monday, T6 10:00, T10 08:00 -> 5 (T2 19:00 excluded, T7 no pickup,
    #     T4 25:10 = 01:10 Wednesday, belbus T9 last stop and belbus anyway)
    assert stops.loc["S1", "departures_per_hour"] == pytest.approx(4 / 12)
    assert stops.loc["S2", "departures_per_hour"] == pytest.approx(5 / 12)
    assert stops.loc["S3", "departures_per_hour"] == 0  # always the last stop; the belbus does not count
    assert stops.loc["S6", "departures_per_hour"] == 0  # weekend only
    assert pd.isna(stops.loc["S4", "departures_per_hour"])  # belbus only: unknown, like the demo
    assert stops["is_belbus"].to_dict() == {"S1": False, "S2": False, "S3": False, "S4": True, "S6": False}
    assert "STA" not in stops.index and "S5" not in stops.index
    text = "\n".join(plan.preview.lines())
    assert "dinsdag 11/03/2025" in text
    assert "Dienstregeling 03/03/2025 – 16/03/2025" in text
    assert "Haltes met minstens 1 vertrek(ken) per uur: 0" in text
    assert "Belbushaltes (alleen belbus): 1" in text
    assert "S5 (Parijs)" in text and "Stations (location_type 1) overgeslagen: 1" in text
    assert plan.dataset_id == "haltes-gtfs" and plan.preview.rows == 5


def test_lambert_coordinates(tmp_path, store):
    stops = _by_id(transit.plan_gtfs(_zip(tmp_path, _feed()), ["gtfs.zip"], store))
    x, y = TO_LAMBERT.transform(4.2370, 50.7350)
    assert stops.loc["S2", "x"] == pytest.approx(x, abs=0.01) and stops.loc["S2", "y"] == pytest.approx(y, abs=0.01)
    assert 135_000 < x < 150_000 and 150_000 < y < 165_000  # Halle
    assert stops.loc["S2", "lon"] == 4.2370 and stops.loc["S2", "lat"] == 50.7350


def test_tie_prefers_a_tuesday_and_bom_is_read(tmp_path, store):
    plan = transit.plan_gtfs(
        _zip(tmp_path, _feed(**{"calendar_dates.txt": "service_id,date,exception_type\n"}), bom=True),
        ["gtfs.zip"],
        store,
    )
    assert "dinsdag 04/03/2025" in "\n".join(plan.preview.lines())
    stops = _by_id(plan)
    # Tue 04/03 without the extra trip T6: S2 has 4 departures.
    assert stops.loc["S2", "departures_per_hour"] == pytest.approx(4 / 12)


def test_frequent_stop_and_route_type_715(tmp_path, store):
    routes = ROUTES + "R3,DL,F1,Flexvervoer,,715\n"
    trips = TRIPS + "".join(f"R1,WK,H{k}\n" for k in range(48)) + "R3,BB,F1\n"
    times = STOP_TIMES + "".join(
        f"H{k},{7 + k // 4:02d}:{(k % 4) * 15:02d}:00,{7 + k // 4:02d}:{(k % 4) * 15:02d}:00,"
        f"S6,1,0,0\nH{k},20:00:00,20:00:00,S3,2,0,0\n"
        for k in range(48)
    )
    times += "F1,09:00:00,09:00:00,S1,1,0,0\nF1,09:10:00,09:10:00,S4,2,0,0\n"
    plan = transit.plan_gtfs(
        _zip(tmp_path, _feed(**{"routes.txt": routes, "trips.txt": trips, "stop_times.txt": times})),
        ["gtfs.zip"],
        store,
    )
    stops = _by_id(plan)
    assert stops.loc["S6", "departures_per_hour"] == pytest.approx(4.0)
    assert stops.loc["S1", "departures_per_hour"] == pytest.approx(4 / 12)  # the Flex trip does not count
    assert bool(stops.loc["S4", "is_belbus"]) and not bool(stops.loc["S1", "is_belbus"])
    assert "Haltes met minstens 4 vertrek(ken) per uur: 1" in "\n".join(plan.preview.lines())


def test_apply_and_read_back(tmp_path, store):
    transit.plan_gtfs(_zip(tmp_path, _feed()), ["gtfs.zip"], store).apply(store)
    back = store.stops("haltes-gtfs").set_index("stop_id")
    assert sorted(back.index) == ["S1", "S2", "S3", "S4", "S6"]
    assert back.loc["S2", "departures_per_hour"] == pytest.approx(5 / 12)
    assert pd.isna(back.loc["S4", "departures_per_hour"]) and bool(back.loc["S4", "is_belbus"])
    assert back.loc["S2", "name"] == "Halle Markt"


@pytest.mark.parametrize(
    "missing, words",
    [
        ("stop_times.txt", "stop_times.txt"),
        ("trips.txt", "trips.txt"),
    ],
)
def test_missing_members(tmp_path, store, missing, words):
    with pytest.raises(ImportProblem, match=words):
        transit.plan_gtfs(_zip(tmp_path, _feed(**{missing: None})), ["gtfs.zip"], store)


def test_missing_calendar(tmp_path, store):
    with pytest.raises(ImportProblem, match="calendar.txt en calendar_dates.txt"):
        transit.plan_gtfs(_zip(tmp_path, _feed(**{"calendar.txt": None, "calendar_dates.txt": None})), ["g"], store)


def test_calendar_dates_only(tmp_path, store):
    dates = "service_id,date,exception_type\n" + "".join(f"WK,202503{d:02d},1\n" for d in (10, 11, 12))
    plan = transit.plan_gtfs(_zip(tmp_path, _feed(**{"calendar.txt": None, "calendar_dates.txt": dates})), ["g"], store)
    assert "dinsdag 11/03/2025" in "\n".join(plan.preview.lines())
    assert _by_id(plan).loc["S1", "departures_per_hour"] == pytest.approx(4 / 12)


def test_no_weekday_service(tmp_path, store):
    calendar = CALENDAR.replace("WK,1,1,1,1,1,0,0", "WK,0,0,0,0,0,1,0").replace("BB,1,1,1,1,1", "BB,0,0,0,0,0")
    with pytest.raises(ImportProblem, match="geen enkele weekdag"):
        transit.plan_gtfs(_zip(tmp_path, _feed(**{"calendar.txt": calendar, "calendar_dates.txt": None})), ["g"], store)


def test_unknown_trips(tmp_path, store):
    few = STOP_TIMES + "X1,08:00:00,08:00:00,S1,1,0,0\n"
    plan = transit.plan_gtfs(_zip(tmp_path, _feed(**{"stop_times.txt": few})), ["g"], store)
    assert any("1 van 28 doorkomsten" in w for w in plan.preview.warnings)
    many = STOP_TIMES + "".join(f"X{k},08:00:00,08:00:00,S1,1,0,0\n" for k in range(40))
    with pytest.raises(ImportProblem, match="niet in trips.txt"):
        transit.plan_gtfs(_zip(tmp_path, _feed(**{"stop_times.txt": many})), ["g"], store)


def test_no_stops(tmp_path, store):
    only_station = STOPS.splitlines()[0] + "\nSTA,,Halle Station,,50.7335,4.2400,,,1,\n"
    with pytest.raises(ImportProblem, match="geen enkele halte"):
        transit.plan_gtfs(_zip(tmp_path, _feed(**{"stops.txt": only_station})), ["g"], store)
    with pytest.raises(ImportProblem):
        transit.plan_gtfs(_zip(tmp_path, _feed(**{"stops.txt": STOPS.splitlines()[0] + "\n"}), "b.zip"), ["g"], store)


def test_haltes_de_lijn(tmp_path, store):
    pts = [TO_LAMBERT.transform(lon, lat) for lon, lat in ((4.2370, 50.7350), (4.2200, 50.7140))]
    gdf = gpd.GeoDataFrame(
        {
            "ID": [1, 2],
            "STOPID": ["301002", "301004"],
            "NAAMHALTE": ["Halle Markt", "Lembeek Kerk"],
            "LBLTYPEHAL": ["Bus", "Belbus"],
            "NAAMGEM": ["Halle", "Halle"],
        },
        geometry=[shapely.Point(p) for p in pts],
        crs="EPSG:31370",
    )
    assert transit.recognise_haltes(gdf) and not transit.recognise_haltes(pd.DataFrame({"a": [1]}))
    plan = transit.plan_haltes(gdf, ["haltes.geojson"], store)
    stops = _by_id(plan)
    assert stops["departures_per_hour"].isna().all()
    assert stops["is_belbus"].to_dict() == {"301002": False, "301004": True}
    assert stops.loc["301002", "lon"] == pytest.approx(4.2370, abs=1e-6)
    assert "GTFS" in "\n".join(plan.preview.lines())
    plan.apply(store)
    assert len(store.stops("haltes-de-lijn")) == 2
    assert not math.isnan(float(np.asarray(store.stops("haltes-de-lijn")["x"])[0]))
