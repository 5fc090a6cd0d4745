"""Meenemen: the documents a werkgroep takes home from a page (issue #7).

Each document is made on request (a button), kept in the session and then offered for download:
building a workbook for a municipality takes seconds, so nothing is built on every rerun, and a
problem is one Dutch sentence instead of a broken file. The domain builds the bytes
(``zorgzaam.reports``); this module only asks for them and offers them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ..choices import WatChoice, WieChoice, WieVsWatChoice
from ..formatting import format_number
from ..store import Store
from .data import data_version

log = logging.getLogger("zorgzaam")

MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
    "png": "image/png",
}


@dataclass(frozen=True)
class Document:
    """One document a page offers: what it is, its file name and how it is built."""

    key: str
    label: str
    file_name: str
    build: Callable[[], bytes]
    help: str = ""

    @property
    def extension(self) -> str:
        return self.file_name.rsplit(".", 1)[-1]


def file_slug(text: str) -> str:
    """'Gemeente Heidebeek 2025' → 'gemeente-heidebeek-2025' (safe in a file name)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "zorgzaam"


def _state_key(store: Store, document: Document) -> str:
    # The data version is part of the key: a document made before an import is not offered after it.
    return f"meenemen|{document.key}|{document.file_name}|{data_version(store)}"


def offer(store: Store, documents: list[Document], columns: int = 3) -> None:
    """A 'make' button per document; once made, its download button (kept for the session)."""
    cols = st.columns(columns)
    for i, document in enumerate(documents):
        with cols[i % columns]:
            key = _state_key(store, document)
            made = st.session_state.get(key)
            if made is None:
                if st.button(
                    f"{document.label} maken",
                    key=f"maak_{document.key}",
                    icon=":material/description:",
                    help=document.help or None,
                    width="stretch",
                ):
                    with st.spinner(f"{document.label} wordt gemaakt …"):
                        try:
                            st.session_state[key] = document.build()
                            st.session_state[f"meenemen_laatst_{document.key}"] = key
                        except (ValueError, LookupError) as exc:  # the domain's Dutch sentence
                            st.error(f"{document.label}: {exc}", icon=":material/error:")
                        except Exception:  # never a traceback on the page; the log has it
                            log.exception("building %s failed", document.file_name)
                            st.error(
                                f"{document.label} kon niet gemaakt worden door een onverwachte fout. Er is "
                                "niets veranderd; meld het aan de beheerder.",
                                icon=":material/error:",
                            )
                    made = st.session_state.get(key)
            if made is not None:
                st.download_button(
                    f"{document.label} downloaden ({format_number(len(made) / 1024)} kB)",
                    data=made,
                    file_name=document.file_name,
                    mime=MIME.get(document.extension),
                    key=f"download_{document.key}",
                    icon=":material/download:",
                    on_click="ignore",
                    width="stretch",
                    type="primary",
                )


def built(store: Store, document: Document) -> bytes | None:
    """The bytes of a document made in this session (tests and other sections read them here)."""
    return st.session_state.get(_state_key(store, document))


def analysis_documents(
    store: Store, choice: WieChoice, sector_name: str | None = None, team: str | None = None
) -> list[Document]:
    """What the analysis pages offer: the samenvattende tabel of the choice's view, and the profile of the
    selected sector (named ``sector_name``) or else of the municipality and its sectors."""
    from ..reports import summary_table

    level, code, label, period = choice.view.level, choice.view.code, choice.view.label, choice.period
    sector = (choice.selected, sector_name or choice.selected) if choice.selected else None

    scope = {"municipality": code} if level == "gemeente" else {"elz": code}
    stem = file_slug(f"{label} {period or ''}")
    docs = [
        Document(
            "samenvatting_xlsx",
            "Samenvattende tabel (XLSX)",
            f"samenvatting-{stem}.xlsx",
            lambda: summary_table.summary_xlsx(store, period=period, team=team, **scope),
            "Per sector wat opvalt (signalen, ruimtelijke analyse, mismatch, jullie notities), met de cijfers, "
            "de uitleg per indicator en jullie bouwstenen.",
        ),
        Document(
            "samenvatting_csv",
            "Samenvattende tabel (CSV)",
            f"samenvatting-{stem}.csv",
            lambda: summary_table.summary_csv(store, period=period, team=team, **scope),
        ),
    ]
    try:
        from ..reports import profile
    except ImportError:  # pragma: no cover - the profile module ships with the reports package
        return docs
    if sector is not None:
        what, profile_scope = f"sector {sector[1]}", {"sector_codes": [sector[0]]}
    elif level == "gemeente":
        what, profile_scope = label, {"municipality": code}
    else:
        return docs  # a profile of every sector of a zone is a book, not a meeting document
    pstem = file_slug(f"profiel {what} {period or ''}")
    docs += [
        Document(
            "profiel_pdf",
            f"Profiel {what} (PDF)",
            f"{pstem}.pdf",
            lambda: profile.profile_pdf(profile.build_profiles(store, period=period, team=team, **profile_scope)),
            "Om af te drukken (A4): kaart, kerncijfers naast gemeente, zone en Vlaanderen, signalen, "
            "bereikbaarheid en jullie notities.",
        ),
        Document(
            "profiel_html",
            f"Profiel {what} (HTML)",
            f"{pstem}.html",
            lambda: profile.profile_html(
                profile.build_profiles(store, period=period, team=team, **profile_scope)
            ).encode("utf-8"),
            "Eén zelfstandig bestand om te mailen of te openen in een browser.",
        ),
    ]
    return docs


def bouwstenen_documents(store: Store, team: str, municipality: str, municipality_name: str) -> list[Document]:
    """What the Bouwstenen page offers: the team's latest scores as an image, and the workbook."""
    from ..reports import bouwstenen_image, summary_table

    stem = file_slug(f"{team} {municipality_name}")
    return [
        Document(
            "bouwstenen_png",
            "Scores als afbeelding (PNG)",
            f"bouwstenen-{stem}.png",
            lambda: bouwstenen_image.bouwstenen_png(store, team),
            "De laatste zelfevaluatie per cluster; lichte bouwstenen in oranje, de vorige score als ruit.",
        ),
        Document(
            "bouwstenen_xlsx",
            "Werkboek (XLSX)",
            f"werkboek-{stem}.xlsx",
            lambda: summary_table.summary_xlsx(store, municipality=municipality, team=team),
            "Alle scores per datum, de overgenomen peilingen en de samenvattende tabel van de gemeente.",
        ),
    ]


def indicator_map_document(
    store: Store,
    results,
    choice: WieChoice,
    codes: list[str],
    *,
    source: str,
    reference: float | None,
    small: set[str],
) -> Document:
    """The map of the "Wie woont er?" page as a PNG for print (A3 landscape, 150 dpi): the choice's indicator,
    period, classification and selected sector; ``reference`` is the care zone's value."""
    from ..formatting import period_caption
    from ..reports import map_image

    ind, period, method, selected = choice.indicator, choice.period, choice.method, choice.selected
    view_label, reference_label = choice.view.label, choice.view.zone_label

    def build() -> bytes:
        geo = store.geometries("statsec", codes, display=False)
        rows = results[results["indicator"] == ind.code].drop_duplicates("area_code").set_index("area_code")
        used = rows.loc[rows["status"] != "ontbrekend", "period"] if "period" in rows else []
        return map_image.indicator_map_png(
            geo,
            rows["value"],
            ind,
            source=source,
            period=period_caption(used, period),
            view_label=view_label,
            method=method,
            reference=reference,
            reference_label=reference_label,
            statuses=rows["status"],
            small=small,
            highlight=[selected] if selected else [],
        )

    stem = file_slug(f"kaart {ind.label} {view_label} {period}")
    return Document(
        "kaart_png",
        "Kaart (PNG, A3)",
        f"{stem}.png",
        build,
        "De kaart zoals op het scherm, met legende, titel, bron, schaalstok en noordpijl; om op groot "
        "formaat af te drukken.",
    )


def mismatch_map_document(store: Store, data, choice: WieVsWatChoice, codes: list[str], *, source: str) -> Document:
    """The bivariate map of the "Wie vs wat" page as a PNG for print (A3 landscape): the choice's need against
    its access measure, period and selected sector."""
    from ..reports import map_image

    need, measure_text, period, selected = choice.need, choice.measure_text, choice.period, choice.selected
    view_label = choice.view.label

    def build() -> bytes:
        geo = store.geometries("statsec", codes, display=False)
        return map_image.mismatch_map_png(
            geo,
            data,
            need,
            measure_text,
            period=period,
            view_label=view_label,
            source=source,
            highlight=[selected] if selected else [],
        )

    stem = file_slug(f"kaart wie vs wat {need.label} {view_label} {period}")
    return Document(
        "kaart_wievswat_png",
        "Kaart (PNG, A3)",
        f"{stem}.png",
        build,
        "De kaart van wie tegenover wat, met legende, titel, bron, schaalstok en noordpijl.",
    )


def spatial_map_document(
    store: Store, amenities, codes: list[str], choice: WatChoice, *, source: str, stops=None
) -> Document:
    """The sectors with the chosen amenities, bus stops (``stops``, when their layer is on) and settlement layers
    (kern, lint, verspreid) of the "Wat is er?" page as a PNG for print."""
    import shapely

    from ..layers import SETTLEMENT_COLOURS, SETTLEMENT_LABELS, STOP_COLOUR
    from ..reports import map_image

    categories, view_label, selected = list(choice.categories), choice.view.label, choice.selected
    settlements = choice.settlements
    stops = stops if "bushaltes" in choice.layer_keys else None

    def build() -> bytes:
        geo = store.geometries("statsec", codes, display=False)
        points = map_image.amenity_points(amenities, categories) if len(amenities) else []
        overlays, legend_rows = [], []
        if settlements:
            sector_geoms = shapely.from_wkb([bytes(g) for g in geo["geometry"] if g is not None])
            bbox = tuple(shapely.total_bounds(sector_geoms)) if len(sector_geoms) else None
            found = store.features(layer="nederzetting", bbox=bbox) if bbox else pd.DataFrame()
            for category in settlements:
                rows = found[found["category"] == category] if len(found) else found
                if len(rows):
                    geoms = list(shapely.from_wkb([bytes(g) for g in rows["geom_lambert"]]))
                    overlays.append(
                        map_image.Overlay(geoms, tuple(SETTLEMENT_COLOURS[category]), SETTLEMENT_LABELS[category])
                    )
                    legend_rows.append(
                        map_image.MapLegendItem(tuple(SETTLEMENT_COLOURS[category]), SETTLEMENT_LABELS[category])
                    )
        if stops is not None and len(stops):
            regular = stops[~stops["is_belbus"].astype(bool)]
            frequent = pd.to_numeric(regular["departures_per_hour"], errors="coerce") >= 1
            for rows, label, size in (
                (regular[~frequent], "bushalte (minder dan 1 vertrek per uur of onbekend)", 10),
                (regular[frequent], "bushalte (minstens 1 vertrek per uur)", 30),
            ):
                if len(rows):
                    points.append(
                        map_image.PointLayer(
                            list(rows["x"]), list(rows["y"]), tuple(STOP_COLOUR), label, size=size, marker="s"
                        )
                    )
        legend = (map_image.highlight_legend("gekozen sector") if selected else []) + legend_rows
        return map_image.sector_map_png(
            geo,
            title="Wat is er? Voorzieningen en bushaltes per statistische sector",
            subtitle=view_label,
            source=source,
            legend=legend,
            legend_title="Legende",
            highlight=[selected] if selected else [],
            points=points,
            overlays=overlays,
        )

    stem = file_slug(f"kaart voorzieningen {view_label}")
    return Document(
        "kaart_watiser_png",
        "Kaart (PNG, A3)",
        f"{stem}.png",
        build,
        "De sectoren met de gekozen voorzieningen, met legende, titel, bron, schaalstok en noordpijl.",
    )


def overview_map_document(
    store: Store, elz_code: str, elz_name: str, municipality: str, municipality_name: str, source: str
) -> Document:
    """The Start page's map: the care zone's sectors, the chosen municipality's highlighted, as a print PNG."""
    from ..reports import map_image

    def build() -> bytes:
        codes = store.sectors_within("elz", [elz_code])
        geo = store.geometries("statsec", codes, display=False)
        mine = store.sectors_within("gemeente", [municipality])
        names = store.geometries(
            "gemeente",
            list(dict.fromkeys(store.parents("statsec", codes).get("gemeente", pd.Series(dtype=object)).dropna())),
            display=False,
        )
        return map_image.sector_map_png(
            geo,
            title=f"Eerstelijnszone {elz_name}: de statistische sectoren",
            subtitle=f"gemeente {municipality_name} gemarkeerd",
            source=source,
            highlight=mine,
            legend=map_image.highlight_legend(f"sectoren van {municipality_name}", "andere gemeenten van de zone"),
            labels=names if len(names) else None,
        )

    return Document(
        "kaart_overzicht_png",
        "Kaart (PNG, A3)",
        f"{file_slug(f'kaart zone {elz_name}')}.png",
        build,
        "De sectoren van de eerstelijnszone met de gekozen gemeente, om af te drukken.",
    )


def action_map_document(store: Store, team: str, stored, sectors_lambert, municipality_name: str) -> Document:
    """The Bouwstenen page's map: sectors shaded by their number of actions, placed actions as dots."""
    from pyproj import Transformer

    from .. import werkgroep
    from ..reports import map_image
    from .bouwstenen_sections import ACTION_FILL, STATUS_COLOURS

    def build() -> bytes:
        codes = list(sectors_lambert["code"])
        geo = store.geometries("statsec", codes, display=False)
        per_sector = werkgroep.actions_per_sector(stored, sectors_lambert).set_index("code")
        totals = geo["code"].map(per_sector["total"]).fillna(0).astype(int)
        colours = [tuple(ACTION_FILL[min(t, 3)][:3]) for t in totals]
        legend = [
            map_image.MapLegendItem(tuple(c[:3]), label)
            for c, label in zip(ACTION_FILL, ("geen actie", "1 actie", "2 acties", "3 of meer"))
        ]
        to_lambert = Transformer.from_crs(4326, 31370, always_xy=True)
        points = []
        for status, colour in STATUS_COLOURS.items():
            placed = [s.action.point for s in stored if s.action.point is not None and s.action.status == status]
            if placed:
                x, y = to_lambert.transform([p[0] for p in placed], [p[1] for p in placed])
                rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
                points.append(map_image.PointLayer(list(x), list(y), rgb, f"actie {status} (punt)", size=60))
        without = int((totals == 0).sum())
        return map_image.sector_map_png(
            geo,
            title=f"Acties van {team} per statistische sector",
            subtitle=f"gemeente {municipality_name}",
            source="werkgroep (eigen invoer)",
            colours=colours,
            legend=legend,
            legend_title="Acties in de sector",
            points=points,
            notes=[f"{without} van de {len(geo)} sectoren hebben nog geen actie."],
        )

    return Document(
        "kaart_acties_png",
        "Kaart van de acties (PNG, A3)",
        f"{file_slug(f'acties {team} {municipality_name}')}.png",
        build,
        "Waar zijn er initiatieven en waar niet: om af te drukken voor de volgende bijeenkomst.",
    )
