"""The overview of a municipality's sectors: a map and a table."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from ..catalogue import BUILTIN
from ..formatting import format_figure, format_number
from ..keyfigures import SMALL_SECTOR_THRESHOLD
from ..maps import area_frame, overview_deck
from ..store import Store
from .data import data_version
from .state import AreaChoice


def wide_table(sectors: pd.DataFrame) -> pd.DataFrame:
    """One row per sector: raw value and formatted text of each indicator."""
    out = sectors[["area_code", "area_name"]].drop_duplicates().set_index("area_code")
    asked = str(sectors["period"].max()) if "period" in sectors and not sectors.empty else None
    for code, rows in sectors.groupby("indicator", sort=False):
        ind = BUILTIN.indicator(code)
        rows = rows.set_index("area_code")
        out[code] = rows["value"]
        out[f"{code}_text"] = [format_figure(ind, r, asked) for _, r in rows.iterrows()]
    return out


@st.cache_data(max_entries=32, show_spinner=False)
def zone_geometry(_store: Store, version: str, elz_code: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    codes = _store.sectors_within("elz", [elz_code])
    frame = area_frame(_store, "statsec", codes)
    members = _store.parents("statsec", codes)
    if "gemeente" not in members:
        members["gemeente"] = None
    frame = frame.merge(members[["code", "gemeente"]], on="code", how="left")
    municipalities = area_frame(_store, "gemeente", list(frame["gemeente"].dropna().unique()))
    return frame, municipalities


def sectors_map(store: Store, choice: AreaChoice, sectors: pd.DataFrame) -> None:
    frame, municipalities = zone_geometry(store, data_version(store), choice.elz_code)
    if frame.empty:
        st.info("Voor deze sectoren is nog geen kaart beschikbaar.")
        return
    wide = wide_table(sectors)
    frame = frame.copy()
    frame["inwoners"] = frame["code"].map(wide["pop_total_text"]).fillna("-")
    pop = frame["code"].map(wide["pop_total"])
    frame["klein"] = [
        "weinig inwoners: voorzichtig interpreteren" if pd.notna(p) and p < SMALL_SECTOR_THRESHOLD else "" for p in pop
    ]
    deck = overview_deck(
        frame,
        highlight=frame["gemeente"] == choice.gemeente_code,
        labels=municipalities,
        tooltip_html="<b>{name}</b><br/>sector {code}<br/>{inwoners} inwoners<br/><i>{klein}</i>",
    )
    st.pydeck_chart(deck, height=520, key="overview_map")
    st.markdown(
        "<span style='display:inline-block;width:14px;height:14px;background:rgb(66,146,198);"
        f"border:1px solid #444;vertical-align:middle'></span> sectoren van {choice.gemeente_name} &nbsp;&nbsp;"
        "<span style='display:inline-block;width:14px;height:14px;background:rgb(222,226,230);"
        "border:1px solid #444;vertical-align:middle'></span> andere gemeenten van de eerstelijnszone "
        "&nbsp;·&nbsp; kaart zonder achtergrond: werkt ook zonder internet",
        unsafe_allow_html=True,
    )


def sector_rows(sectors: pd.DataFrame, member_codes: list[str]) -> pd.DataFrame:
    """The table of a municipality's sectors, largest first, small ones flagged."""
    wide = wide_table(sectors)
    wide = wide[wide.index.isin(member_codes)].sort_values("pop_total", ascending=False, na_position="last")
    flag = ["⚠" if pd.notna(p) and p < SMALL_SECTOR_THRESHOLD else "" for p in wide["pop_total"]]
    return pd.DataFrame(
        {
            "Sector": wide["area_name"].to_numpy(),
            "Code": wide.index.to_numpy(),
            "Inwoners": [format_number(v) if pd.notna(v) else "-" for v in wide["pop_total"]],
            "% 65+": wide["pct_65plus_text"].to_numpy(),
            "% 80+": wide["pct_80plus_text"].to_numpy(),
            "": flag,
        }
    )


def sector_table(store: Store, sectors: pd.DataFrame, choice: AreaChoice) -> pd.DataFrame:
    frame, _ = zone_geometry(store, data_version(store), choice.elz_code)
    members = list(frame.loc[frame["gemeente"] == choice.gemeente_code, "code"])
    if not members:
        members = store.sectors_within("gemeente", [choice.gemeente_code])
    rows = sector_rows(sectors, members)
    st.dataframe(rows, hide_index=True, width="stretch", height=min(520, 38 + 35 * len(rows)), key="sector_table")
    return rows
