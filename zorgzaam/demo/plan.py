"""The plan of the demo zone, fixed whatever the seed.

The zone's identity (dataset, eerstelijnszone, periods, reference levels, bounds), its
municipalities, the villages (deelgemeenten) with their sectors and roles, the special sectors
(town centre, woonzorgcentrum, social housing, verkaveling, the tiny hidden sector), and the pools of invented sector names. Only shapes and numbers
depend on the seed, never this plan.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_DATASET_ID = "demo"
DEMO_ELZ_CODE = "elz80"
DEMO_ELZ_NAME = "Heidekempen"
DEMO_PERIODS = ("2020", "2025")
DEMO_TITLE = "Demozone Heidekempen (fictief)"
DEMO_PERIOD_LABEL = "2020 en 2025"

PROVINCE_CODE = "10000"
PROVINCE_NAME = "Provincie Antwerpen"
REGION_CODE = "2000"  # the Provincies in Cijfers code (Statbel writes 02000)
REGION_NAME = "Vlaanderen"

# Every demo geometry lies inside these Lambert 72 bounds (xmin, ymin, xmax, ymax).
LAMBERT_BOUNDS = (195000.0, 205000.0, 225000.0, 228000.0)

MUNICIPALITIES: dict[str, str] = {
    "13091": "Heidebeek",
    "13092": "Kempdonk",
    "13093": "Brembos",
    "13094": "Aardelo",
    "13095": "Vennebroek",
}
TOWN_CODE = "13091"

# Special sectors (fixed by the plan below, whatever the seed).
TOWN_CENTRE_SECTORS = ("13091A00-", "13091A01-", "13091A02-")  # young town centre
WZC_SECTOR = "13091A03-"  # "Ter Heide", with the woonzorgcentrum: highest % 80+
SOCIAL_HOUSING_SECTOR = "13091A08-"  # "De Vlasbloem", social housing estate
TINY_SECTOR = "13091A14-"  # "Industriezone De Vaart": ~12 inhabitants, all but pop_total hidden
VERKAVELING_SECTOR = "13092A03-"  # "Zonneveld", a new housing development that grew a lot
# Small rural sectors (< 150 inhabitants): only antidepressants and chronic status hidden.
SMALL_RURAL_SECTORS = ("13091C03-", "13092C04-")
# Base counts hidden in the small rural sectors.
SMALL_SECTOR_HIDDEN = ("insured_antidepressants", "insured_chronic")


@dataclass(frozen=True)
class _SectorSpec:
    code: str
    nis: str
    letter: str
    role: str  # demographic type, see _PROFILES
    place: str  # c (centre), r1/r2 (rings in the kern), rand (edge of the kern), lint, land
    name: str | None  # fixed name, or None: chosen from the name pools


@dataclass(frozen=True)
class _Village:
    nis: str
    letter: str
    name: str
    offset: tuple[float, float]  # metres from the zone centre
    kern_radius: float
    weight: float  # > 1 = smaller territory
    kind: str  # town, main, secondary
    sectors: tuple[_SectorSpec, ...]


# (role, place, fixed name); "split" marks a pair sharing positions 7-8 (…091, …092).
_TOWN_A = (
    ("centrum", "c", "Heidebeek-Centrum"),
    ("centrum", "r1", "Stationsbuurt"),
    ("centrum", "r1", "Begijnhof"),
    ("wzc", "r1", "Ter Heide"),
    ("stad", "r1", "Kloosterhof"),
    ("stad", "r1", "Gasthuisweide"),
    ("stad", "r2", "Molenakker"),
    ("stad", "r2", "Kapelhoek"),
    ("sociale_wijk", "r2", "De Vlasbloem"),
    ("stad", "r2", "Lindenpark-Noord", "split"),
    ("stad", "r2", "Lindenpark-Zuid", "split"),
    ("stad", "r2", "Bergske"),
    ("stad", "r2", "Kruisven"),
    ("stad", "r2", "Zavelberg"),
    ("stad", "r2", "Sint-Jansveld"),
    ("industrie", "rand", "Industriezone De Vaart"),
    ("lint", "lint", None),
    ("lint", "lint", None),
    ("lint", "lint", None),
    ("landelijk", "land", None),
    ("landelijk", "land", None),
    ("landelijk", "land", None),
    ("landelijk", "land", None),
)


def _roles(
    dorp: int = 0, lint: int = 0, land: int = 0, klein: int = 0, verkaveling: bool = False, lint_split: bool = False
) -> tuple:
    out: list[tuple] = [("dorpskern", "c", None)]
    out += [("dorp", "r1", None)] * dorp
    if verkaveling:
        out.append(("verkaveling", "rand", "Zonneveld"))
    for i in range(lint):
        out.append(("lint", "lint", None, "split") if lint_split and i < 2 else ("lint", "lint", None))
    out += [("landelijk", "land", None)] * land
    out += [("klein", "land", None)] * klein
    return tuple(out)


_VILLAGES_RAW = (
    # nis, letter, name, offset from zone centre (m), kern radius (m), weight, kind, roles
    ("13091", "A", "Heidebeek", (0, 0), 1400, 1.22, "town", _TOWN_A),
    ("13091", "B", "Hulsdonk", (-800, 3100), 460, 1.30, "secondary", _roles(lint=2, land=3)),
    ("13091", "C", "Heistert", (900, -3000), 420, 1.30, "secondary", _roles(lint=1, land=1, klein=1)),
    ("13092", "A", "Kempdonk", (6400, 4300), 750, 0.90, "main", _roles(dorp=2, lint=3, land=3, verkaveling=True)),
    ("13092", "B", "Lozel", (3500, 6000), 480, 1.05, "secondary", _roles(dorp=1, lint=2, land=3)),
    ("13092", "C", "Moerhoven", (9000, 1900), 420, 1.05, "secondary", _roles(lint=1, land=2, klein=1)),
    ("13093", "A", "Brembos", (-6400, 4000), 700, 0.90, "main", _roles(dorp=3, lint=3, land=4, lint_split=True)),
    ("13093", "B", "Geestel", (-8800, 1500), 480, 1.05, "secondary", _roles(dorp=1, lint=2, land=4)),
    ("13094", "A", "Aardelo", (-6200, -4200), 700, 0.90, "main", _roles(dorp=2, lint=3, land=4)),
    ("13094", "B", "Winkelom", (-3300, -6300), 460, 1.05, "secondary", _roles(lint=2, land=3)),
    ("13094", "C", "Hoeverheide", (-9000, -1700), 420, 1.05, "secondary", _roles(lint=1, land=3)),
    ("13095", "A", "Vennebroek", (6500, -3900), 650, 0.90, "main", _roles(dorp=2, lint=3, land=4)),
    ("13095", "B", "Oostvenne", (3600, -6200), 460, 1.05, "secondary", _roles(lint=2, land=4)),
)


def _build_plan() -> tuple[_Village, ...]:
    villages = []
    for nis, letter, name, offset, radius, weight, kind, roles in _VILLAGES_RAW:
        specs = []
        number = 0
        split_part = 0
        for role_spec in roles:
            role, place, fixed = role_spec[:3]
            split = len(role_spec) > 3
            if split:
                split_part += 1
                code = f"{nis}{letter}{number:02d}{split_part}"
                if split_part == 2:
                    number += 1
                    split_part = 0
            else:
                code = f"{nis}{letter}{number:02d}-"
                number += 1
            specs.append(_SectorSpec(code, nis, letter, role, place, fixed))
        villages.append(_Village(nis, letter, name, offset, float(radius), weight, kind, tuple(specs)))
    return tuple(villages)


PLAN: tuple[_Village, ...] = _build_plan()
_SPECS: dict[str, _SectorSpec] = {s.code: s for v in PLAN for s in v.sectors}

assert len(_SPECS) == sum(len(v.sectors) for v in PLAN)
assert all(c in _SPECS for c in TOWN_CENTRE_SECTORS) and _SPECS[TOWN_CENTRE_SECTORS[0]].role == "centrum"
assert _SPECS[WZC_SECTOR].role == "wzc" and _SPECS[TINY_SECTOR].role == "industrie"
assert _SPECS[SOCIAL_HOUSING_SECTOR].role == "sociale_wijk" and _SPECS[VERKAVELING_SECTOR].role == "verkaveling"
assert all(_SPECS[c].role == "klein" for c in SMALL_RURAL_SECTORS)

RIBBON_SECTORS: tuple[str, ...] = tuple(c for c, s in _SPECS.items() if s.role == "lint")
AGEING_RURAL_SECTORS: tuple[str, ...] = tuple(c for c, s in _SPECS.items() if s.role == "landelijk")

# Invented names (collisions with real hamlets are possible and harmless).
_RING_NAMES = (
    "Kerkakker",
    "Dorpsveld",
    "Meiboom",
    "Smisveld",
    "Schoolveld",
    "Kouterken",
    "Hofke",
    "Lindeplein",
    "Kloosterveld",
    "Pastorijveld",
    "Mariaveld",
    "Hoogakker",
    "Klaproosveld",
    "Brouwershof",
)
_RURAL_NAMES = (
    "Heibloem",
    "Kievitsheide",
    "Goorhoek",
    "Vennen",
    "Rode Del",
    "Zandgoor",
    "Lange Heuvel",
    "Achterbos",
    "Dennenhoek",
    "Hamelsdonk",
    "Schuttersven",
    "Eikelaar",
    "Brand",
    "Heikant",
    "Hoogeind",
    "Laagheide",
    "Voorheide",
    "Witgoor",
    "Zwarte Brug",
    "Stokt",
    "Ekelgoor",
    "Bosbergen",
    "Meerhoeven",
    "Vossenberg",
    "Kiezelhoek",
    "Beverdonk",
    "Grootveld",
    "Kleine Aard",
    "Papenhoef",
    "Wolfsven",
    "Turfputten",
    "Berkenhof",
    "Koeberg",
    "Ginderbuiten",
    "Rietbeemden",
    "Hazendonk",
    "Schapenhoek",
    "Everbroek",
    "Moleneind",
    "Boterdijk",
    "Kromven",
    "Hulsen",
    "Lage Weyer",
    "Sterrebos",
    "Vlagberg",
    "Lozerheide",
    "Kattenhoek",
    "Gasthuisbos",
    "Heuvelke",
    "Wittebrug",
)
