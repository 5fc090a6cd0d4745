"""The maps a meeting's analysis steps show, as PNG for the big screen and the verslag: the municipality's sectors
coloured by an indicator, with the amenities, and the Wie vs wat map (the chosen sectors outlined on each).

What the steps show beside them (figures, the chosen sectors) is ``zorgzaam.meeting_content``; the drawing is
``map_image``'s. No Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import shapely

from ..access import DEFAULTS, lack_phrase
from ..engine import compute
from ..environment import amenities_in_sectors, amenity_counts, category_label
from ..formatting import period_caption
from ..keyfigures import SMALL_SECTOR_THRESHOLD, small_sector_flags
from ..meeting_content import latest_common_period, municipality_sectors
from ..store import Store
from ..whowhat import DEFAULT_NEED, NEEDS, sector_mismatch
from . import map_image


def indicator_map(
    store: Store,
    municipality: str,
    sectors: Sequence[str],
    indicator: str,
    period: str | None,
    *,
    source: str,
    page: str = "A4",
    dpi: int = 110,
    on: date | None = None,
) -> bytes | None:
    """The municipality's sectors coloured by one indicator, the chosen sectors outlined (PNG)."""
    codes = store.sectors_within("gemeente", [municipality])
    geo = store.geometries("statsec", codes, display=False)
    if geo.empty:
        return None
    ind = store.catalogue().indicator(indicator)
    result = compute(
        store,
        list(dict.fromkeys(["pop_total", indicator])),
        level="statsec",
        within=("gemeente", municipality),
        period=period,
    )
    rows = result[result["indicator"] == indicator].drop_duplicates("area_code").set_index("area_code")
    flags = small_sector_flags(result, SMALL_SECTOR_THRESHOLD)
    small = [c for c in codes if bool(flags.get(c, False))]
    used = rows.loc[rows["status"] != "ontbrekend", "period"] if "period" in rows else []
    name = store.find_area(municipality, "gemeente")
    label = f"gemeente {name['name'].iloc[0]}" if not name.empty else municipality
    return map_image.indicator_map_png(
        geo,
        rows["value"],
        ind,
        source=source,
        period=period_caption(used, period),
        view_label=label,
        statuses=rows["status"],
        small=small,
        highlight=list(sectors),
        page=page,
        dpi=dpi,
        on=on,
    )


def amenities_map(
    store: Store, municipality: str, sectors: Sequence[str], *, source: str, page: str = "A4", dpi: int = 110
) -> tuple[bytes | None, pd.DataFrame]:
    """The municipality's sectors with the amenities (chosen sectors outlined) as a PNG, and the number of
    amenities per category in each chosen sector (code → category label → count)."""
    codes = store.sectors_within("gemeente", [municipality])
    raw = store.geometries("statsec", codes, display=False)
    if raw.empty:
        return None, pd.DataFrame()
    geo = raw.assign(geometry=list(shapely.from_wkb([bytes(g) for g in raw["geometry"]])))
    points = amenities_in_sectors(store, geo[["code", "geometry"]])  # each place once, as access counts
    counts = pd.DataFrame()
    chosen = [c for c in sectors if c in set(geo["code"])] or list(geo["code"])
    if not points.empty:
        counts = amenity_counts(points, points["statsec"], chosen)
        counts.columns = [category_label(c) for c in counts.columns]
    layers = map_image.amenity_points(points) if not points.empty else []
    name = store.find_area(municipality, "gemeente")
    label = f"gemeente {name['name'].iloc[0]}" if not name.empty else municipality
    png = map_image.sector_map_png(
        raw,
        title="Wat is er? Voorzieningen per statistische sector",
        subtitle=label,
        source=source,
        legend=map_image.highlight_legend("gekozen sector") if sectors else [],
        legend_title="Legende",
        highlight=list(sectors),
        points=layers,
        page=page,
        dpi=dpi,
    )
    return png, counts


def mismatch_map(
    store: Store, municipality: str, sectors: Sequence[str], *, source: str, page: str = "A4", dpi: int = 110
) -> bytes | None:
    """The Wie vs wat map of the municipality as the page opens it (% 80-plussers against living farther
    than 1,2 km from the basic basket), the chosen sectors outlined; None without access figures or map."""
    codes = sorted(store.sectors_within("gemeente", [municipality]))
    geo = store.geometries("statsec", codes, display=False)
    places = store.place_access(codes)
    if geo.empty or places.empty:
        return None
    need, measure = NEEDS[DEFAULT_NEED], "basket"
    period = latest_common_period(store, [need.indicator])
    results = compute(
        store, ["pop_total", need.indicator], level="statsec", within=("gemeente", municipality), period=period
    )
    pop = results[results["indicator"] == "pop_total"].set_index("area_code")
    population = pop["value"].where(pop["status"] == "ok")
    names = municipality_sectors(store, municipality).set_index("code")["name"]
    data = sector_mismatch(results, places, names, need, measure, DEFAULTS, SMALL_SECTOR_THRESHOLD, population)
    found = store.find_area(municipality, "gemeente")
    label = f"gemeente {found['name'].iloc[0]}" if not found.empty else municipality
    return map_image.mismatch_map_png(
        geo,
        data,
        need,
        f"{need.group_label} die {lack_phrase(measure, DEFAULTS)} wonen",
        period=period or "-",
        view_label=label,
        source=source,
        highlight=list(sectors),
        page=page,
        dpi=dpi,
        title="Wie vs wat: 80-plussers en het basispakket",
    )


__all__ = ["amenities_map", "indicator_map", "mismatch_map"]
