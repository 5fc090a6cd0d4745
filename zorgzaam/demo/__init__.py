"""A deterministic, fictional demo care zone: eerstelijnszone "Heidekempen".

Five invented municipalities (NIS 13091-13095, codes that do not exist in
reality) in the Kempen, with deelgemeenten, wijken and 112 statistical
sectors, two periods of base counts, and the spatial layers of the ruimtelijke
omgevingsanalyse (kernen/linten/verspreide bebouwing, voorzieningen, bus
stops, hectare cells). Everything is invented, but shaped like a real zone:
a young town centre, ageing rural sectors, ribbon villages, a woonzorgcentrum,
a social housing estate, a new verkaveling and a tiny industrial sector whose
figures are hidden.

``build_demo(seed)`` is pure and deterministic (one numpy ``SeedSequence``,
no clock or hash randomness); ``install_demo(store)`` writes it as the
dataset ``demo``.

How it is built:

* Geometry. A few thousand random "atoms" (Voronoi cells, denser in the town
  and village centres) cover the zone; each atom goes to the nearest village
  (weighted, with a smooth noise so borders meander), which gives the
  municipalities and deelgemeenten; inside a deelgemeente, atoms go to the
  nearest sector seed. Every area is therefore a union of whole atoms, so
  sectors tile the zone exactly, without gaps or overlaps.
* Population. Per sector a sex x 5-year-band population for 2020, aged to
  2025 with survival, births and migration per sector type. Every base count
  is derived from that table, so the counts are mutually consistent.
* Population cube (sex x 20-year band x LIPRO household position, see
  zorgzaam/cube.py): living alone and collective households are the very
  residents counted in the base counts; the other private residents are spread
  over the remaining positions by age and sex, from a random stream of its own.
* Sector codes, names of special sectors and the sector plan do not depend on
  the seed; only shapes and numbers do.

The modules:

* ``plan``: the zone's identity, municipalities, villages and sectors, special sectors, name pools
  (seed-independent);
* ``numeric``: small helpers (a smooth noise field, an irregular blob, largest-remainder integers);
* ``geography``: zone outline, atoms, municipalities, deelgemeenten, sectors, roads, wijken;
* ``population``: the sex x band population per sector and period, the base counts derived from it;
* ``cube``: the population cube per sector;
* ``spatial``: settlement type, voorzieningen and bus stops;
* ``grid``: hectare cells (residents, walkability);
* ``build``: ``build_demo`` (the random streams, in a fixed order) into ``DemoData``, ``install_demo``.

The source name of the demo lives in zorgzaam/demo_source.py (layers below the demo name it too).
"""

from zorgzaam.demo.build import HIDDEN, DemoData, build_demo, install_demo
from zorgzaam.demo.cube import CUBE_VARIABLES
from zorgzaam.demo.plan import (
    AGEING_RURAL_SECTORS,
    DEMO_DATASET_ID,
    DEMO_ELZ_CODE,
    DEMO_ELZ_NAME,
    DEMO_PERIOD_LABEL,
    DEMO_PERIODS,
    DEMO_TITLE,
    LAMBERT_BOUNDS,
    MUNICIPALITIES,
    PLAN,
    PROVINCE_CODE,
    PROVINCE_NAME,
    REGION_CODE,
    REGION_NAME,
    RIBBON_SECTORS,
    SMALL_RURAL_SECTORS,
    SMALL_SECTOR_HIDDEN,
    SOCIAL_HOUSING_SECTOR,
    TINY_SECTOR,
    TOWN_CENTRE_SECTORS,
    TOWN_CODE,
    VERKAVELING_SECTOR,
    WZC_SECTOR,
)
from zorgzaam.demo.population import N_BANDS, STORED_COUNTS
from zorgzaam.demo.spatial import VOORZIENING_CATEGORIES
from zorgzaam.demo_source import DEMO_SOURCE

__all__ = [
    "AGEING_RURAL_SECTORS",
    "CUBE_VARIABLES",
    "DEMO_DATASET_ID",
    "DEMO_ELZ_CODE",
    "DEMO_ELZ_NAME",
    "DEMO_PERIOD_LABEL",
    "DEMO_PERIODS",
    "DEMO_SOURCE",
    "DEMO_TITLE",
    "HIDDEN",
    "LAMBERT_BOUNDS",
    "MUNICIPALITIES",
    "N_BANDS",
    "PLAN",
    "PROVINCE_CODE",
    "PROVINCE_NAME",
    "REGION_CODE",
    "REGION_NAME",
    "RIBBON_SECTORS",
    "SMALL_RURAL_SECTORS",
    "SMALL_SECTOR_HIDDEN",
    "SOCIAL_HOUSING_SECTOR",
    "STORED_COUNTS",
    "TINY_SECTOR",
    "TOWN_CENTRE_SECTORS",
    "TOWN_CODE",
    "VERKAVELING_SECTOR",
    "VOORZIENING_CATEGORIES",
    "WZC_SECTOR",
    "DemoData",
    "build_demo",
    "install_demo",
]
