"""The indicator catalogue: base counts and the indicators computed from them.

Every indicator is a ratio of sums of base counts (numerator / denominator x
multiplier), so it aggregates correctly to any level. Formulas follow the
quantitative analysis of "Duurzaam werken aan zorgzame buurten" (see
``../shared/domain/indicators.md`` table 1).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

__all__ = [
    "AGE_BANDS_10",
    "BUILTIN",
    "DIRECTIONS",
    "EXTRA_DENOMINATORS",
    "EXTRA_KINDS",
    "EXTRA_MULTIPLIERS",
    "RATIO_DENOMINATOR_SUFFIX",
    "REQUIRED_CODES",
    "SIGNALS",
    "SOURCE_ACCESS",
    "SOURCE_IMA",
    "SOURCE_PIC",
    "SOURCE_STATBEL",
    "THEMES",
    "USER_INDICATOR_PREFIX",
    "USER_PREFIX",
    "USER_THEME",
    "WEIGHTED_SUFFIX",
    "WEIGHT_SUFFIX",
    "BaseCount",
    "Catalogue",
    "Indicator",
    "UnknownIndicator",
    "extra_definition",
    "extra_indicator",
    "user_kind",
    "user_slug",
]

# Signals an indicator can give (the source's signaalindicatoren).
SIGNALS: dict[str, str] = {
    "eenzaamheid": "Eenzaamheid",
    "sociaal_isolement": "Sociaal isolement",
    "zorgnood": "Zorg- en ondersteuningsnood",
    "onbeantwoorde_zorgnood": "Onbeantwoorde zorgnood",
    "kans": "Kansen",
}

THEMES: tuple[str, ...] = (
    "geslacht en leeftijd",
    "woonstabiliteit",
    "demografische coëfficiënten",
    "huishoudens",
    "socio-economisch",
    "wonen",
    "herkomst",
    "gezondheid",
    "voorzieningen en bereikbaarheid",
)

# The werkgroep's own indicators (an extra column of an imported file, ``extra_indicator``): their
# theme, and the prefixes of the codes of their base count and indicator.
USER_THEME = "eigen indicatoren"
USER_PREFIX = "user_"
USER_INDICATOR_PREFIX = "eigen_"
# Denominators an extra indicator may use (a base count of the catalogue), and its multipliers.
EXTRA_DENOMINATORS: tuple[str, ...] = ("pop_total", "hh_private")
EXTRA_MULTIPLIERS: dict[float, str] = {1.0: "per eenheid", 100.0: "%", 1000.0: "per 1.000"}

# Direction: "hoger" = a higher value raises the signal, "lager" = a lower one
# does, "neutraal" = context only, no automatic signal.
DIRECTIONS = ("hoger", "lager", "neutraal")

SOURCE_PIC = "Provincies in Cijfers"
SOURCE_IMA = "IMA-atlas"
SOURCE_STATBEL = "Statbel"
SOURCE_ACCESS = "Berekening zorgzaam op de ruimtelijke lagen (rechte lijn)"


@dataclass(frozen=True)
class BaseCount:
    """A count per area that indicators are built from."""

    code: str
    label: str
    unit: str  # inwoners, huishoudens, leerlingen, rechthebbenden, woningen
    # A derived count is the sum of these counts when it is not stored itself.
    sum_of: tuple[str, ...] = ()
    # What to import for it, as read after "importeer …" ("leeftijd", "huishoudens"); see ``import_hint``.
    topic: str = ""


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    theme: str
    definition: str
    formula: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]  # empty for a plain count
    multiplier: float
    unit: str  # "%", "verhouding", "per 100 huishoudens", "inwoners", ...
    denominator_kind: str  # "inwoners", "huishoudens", "leerlingen", "rechthebbenden", ""
    source: str
    signals: tuple[str, ...] = ()
    direction: str = "neutraal"
    decimals: int = 1
    source_ref: str = ""
    notes: str = ""

    @property
    def is_count(self) -> bool:
        return bool(self.numerator) and not self.denominator

    @property
    def per_area_only(self) -> bool:
        """A value given per area without counts (an unweighted score of the werkgroep's own): never
        summed or averaged, so larger areas have no value."""
        return not self.numerator and not self.denominator

    @property
    def base_counts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.numerator + self.denominator))


AGE_BANDS_10: tuple[tuple[str, str], ...] = (
    ("0_9", "0-9 jaar"),
    ("10_19", "10-19 jaar"),
    ("20_29", "20-29 jaar"),
    ("30_39", "30-39 jaar"),
    ("40_49", "40-49 jaar"),
    ("50_59", "50-59 jaar"),
    ("60_69", "60-69 jaar"),
    ("70_79", "70-79 jaar"),
    ("80_89", "80-89 jaar"),
    ("90plus", "90 jaar en ouder"),
)


def _base_counts() -> tuple[BaseCount, ...]:
    b = [
        BaseCount("pop_total", "Aantal inwoners", "inwoners"),
        BaseCount("pop_men", "Aantal mannen", "inwoners"),
        BaseCount("pop_women", "Aantal vrouwen", "inwoners"),
    ]
    b += [BaseCount(f"pop_age_{k}", f"Inwoners {lab}", "inwoners") for k, lab in AGE_BANDS_10]
    b += [
        BaseCount("pop_age_0_19", "Inwoners 0-19 jaar", "inwoners", ("pop_age_0_9", "pop_age_10_19")),
        BaseCount("pop_age_20_64", "Inwoners 20-64 jaar", "inwoners"),
        BaseCount("pop_age_18_64", "Inwoners 18-64 jaar", "inwoners"),
        BaseCount(
            "pop_age_40_79",
            "Inwoners 40-79 jaar",
            "inwoners",
            ("pop_age_40_49", "pop_age_50_59", "pop_age_60_69", "pop_age_70_79"),
        ),
        BaseCount("pop_age_65plus", "Inwoners 65 jaar en ouder", "inwoners"),
        BaseCount("pop_age_75plus", "Inwoners 75 jaar en ouder", "inwoners"),
        BaseCount("pop_age_80plus", "Inwoners 80 jaar en ouder", "inwoners", ("pop_age_80_89", "pop_age_90plus")),
        BaseCount("pop_same_address", "Inwoners op hetzelfde adres als vorig jaar", "inwoners"),
        BaseCount("hh_private", "Private huishoudens", "huishoudens"),
        BaseCount("hh_single_person", "Eenpersoonshuishoudens", "huishoudens"),
        BaseCount("hh_single_parent_minor", "Eenoudergezinnen met minstens 1 minderjarig kind", "huishoudens"),
        BaseCount("pop_alone_18_64", "Alleenwonenden 18-64 jaar", "inwoners"),
        BaseCount("pop_alone_75plus", "Alleenwonenden 75 jaar en ouder", "inwoners"),
        BaseCount("pupils_primary", "Leerlingen basisonderwijs (naar woonplaats)", "leerlingen"),
        BaseCount("pupils_primary_low_edu_mother", "Leerlingen basisonderwijs met laagopgeleide moeder", "leerlingen"),
        BaseCount("pupils_secondary", "Leerlingen secundair onderwijs (naar woonplaats)", "leerlingen"),
        BaseCount(
            "pupils_secondary_low_edu_mother", "Leerlingen secundair onderwijs met laagopgeleide moeder", "leerlingen"
        ),
        BaseCount("insured_20_64", "Rechthebbenden ziekteverzekering 20-64 jaar", "rechthebbenden"),
        BaseCount(
            "insured_20_64_increased", "Rechthebbenden 20-64 jaar met verhoogde tegemoetkoming", "rechthebbenden"
        ),
        BaseCount("insured_65plus", "Rechthebbenden ziekteverzekering 65 jaar en ouder", "rechthebbenden"),
        BaseCount(
            "insured_65plus_replacement_income",
            "Rechthebbenden 65+ met gewaarborgd inkomen, IGO, leefloon of OCMW-hulp",
            "rechthebbenden",
        ),
        BaseCount("insured_total", "Rechthebbenden ziekteverzekering", "rechthebbenden"),
        BaseCount("insured_chronic", "Rechthebbenden met statuut chronische aandoening", "rechthebbenden"),
        BaseCount("insured_antidepressants", "Rechthebbenden met voorschrift antidepressiva", "rechthebbenden"),
        BaseCount("hh_known_tenure", "Huishoudens met gekende eigendomstitel", "huishoudens"),
        BaseCount("hh_tenant", "Huishoudens die huren", "huishoudens"),
        BaseCount("social_rental_dwellings", "Sociale huurwoningen", "woningen"),
        BaseCount("pop_non_belgian_birth_nat", "Inwoners met niet-Belgische geboortenationaliteit", "inwoners"),
        BaseCount("pop_non_belgian_origin", "Inwoners van niet-Belgische herkomst", "inwoners"),
        # Statbel TF_PSNL_INC_TAX_SECTOR and TF_CAR_HH_SECTOR (dataformats.md §2.3, §2.4).
        BaseCount("tax_returns", "Aangiften personenbelasting met een inkomen (niet nul)", "aangiften"),
        BaseCount("net_taxable_income", "Totaal netto belastbaar inkomen", "euro"),
        BaseCount("hh_statbel", "Huishoudens (Statbel, telling bij de wagens)", "huishoudens"),
        BaseCount("cars", "Personenwagens van de huishoudens", "wagens"),
    ]
    return tuple(replace(c, topic=_topic(c.code)) for c in b)


# What a werkgroep imports to get a base count (the topic of its table at the source), by code prefix (first match).
_TOPICS: tuple[tuple[str, str], ...] = (
    ("pop_total", "inwoners"),
    ("pop_men", "geslacht"),
    ("pop_women", "geslacht"),
    ("pop_age_", "leeftijd"),
    ("pop_same_address", "woonstabiliteit"),
    ("hh_statbel", "wagens"),
    ("hh_known_tenure", "eigendomstitel"),
    ("hh_tenant", "eigendomstitel"),
    ("hh_", "huishoudens"),
    ("pop_alone_", "huishoudens"),
    ("pupils_", "onderwijs"),
    ("insured_20_64", "verhoogde tegemoetkoming"),
    ("insured_65plus", "vervangingsinkomen"),
    ("insured_", "gezondheid"),
    ("social_rental_dwellings", "sociale huurwoningen"),
    ("pop_non_belgian_", "herkomst"),
    ("tax_returns", "inkomen"),
    ("net_taxable_income", "inkomen"),
    ("cars", "wagens"),
    ("acc_", "bereikbaarheid"),
)


def _topic(code: str) -> str:
    return next((topic for prefix, topic in _TOPICS if code.startswith(prefix)), "")


def _computed_counts() -> tuple[BaseCount, ...]:
    """Counts zorgzaam computes itself (access.py), not published by a source.

    Residents of inhabited hectare cells, by what lies within reach of the cell centre; 65+ and 80+
    are the sector's count spread over its cells.
    """
    b = [
        BaseCount("acc_pop", "Inwoners in bewoonde hectarecellen", "inwoners"),
        BaseCount("acc_pop_no_basket_1200m", "Inwoners verder dan 1,2 km van het basispakket", "inwoners"),
        BaseCount("acc_pop_no_basket_3750m", "Inwoners verder dan 3,75 km van het basispakket", "inwoners"),
        BaseCount(
            "acc_pop_no_bus_400m",
            "Inwoners verder dan 400 m van een bushalte met minstens 1 vertrek per uur",
            "inwoners",
        ),
        BaseCount("acc_pop_in_kern", "Inwoners in kernbebouwing", "inwoners"),
        BaseCount("acc_pop_in_lint", "Inwoners in lintbebouwing", "inwoners"),
        BaseCount("acc_pop_in_verspreid", "Inwoners in verspreide bebouwing", "inwoners"),
    ]
    for key, group in (("65plus", "65 jaar en ouder"), ("80plus", "80 jaar en ouder")):
        b += [
            BaseCount(f"acc_pop_{key}", f"Inwoners {group} in bewoonde hectarecellen (geschat)", "inwoners"),
            BaseCount(
                f"acc_pop_{key}_no_basket_1200m",
                f"Inwoners {group} verder dan 1,2 km van het basispakket (geschat)",
                "inwoners",
            ),
            BaseCount(
                f"acc_pop_{key}_no_bus_400m",
                f"Inwoners {group} verder dan 400 m van een bushalte met minstens 1 vertrek per uur (geschat)",
                "inwoners",
            ),
        ]
    return tuple(replace(c, topic=_topic(c.code)) for c in b)


def _pct(
    code: str,
    label: str,
    theme: str,
    definition: str,
    numerator: str | tuple[str, ...],
    denominator: str | tuple[str, ...],
    denominator_kind: str,
    source: str,
    signals: tuple[str, ...],
    direction: str,
    source_ref: str,
    notes: str = "",
) -> Indicator:
    num = (numerator,) if isinstance(numerator, str) else numerator
    den = (denominator,) if isinstance(denominator, str) else denominator
    formula = f"{' + '.join(num)} / {' + '.join(den)} × 100"
    return Indicator(
        code=code,
        label=label,
        theme=theme,
        definition=definition,
        formula=formula,
        numerator=num,
        denominator=den,
        multiplier=100.0,
        unit="%",
        denominator_kind=denominator_kind,
        source=source,
        signals=signals,
        direction=direction,
        decimals=1,
        source_ref=source_ref,
        notes=notes,
    )


# Signals per 10-year age band (indicators.md, "Signals in detail: Age").
_AGE_BAND_SIGNALS: dict[str, tuple[tuple[str, ...], str]] = {
    "0_9": ((), "neutraal"),
    "10_19": ((), "neutraal"),
    "20_29": (("eenzaamheid",), "hoger"),
    "30_39": (("kans",), "hoger"),
    "40_49": (("kans",), "hoger"),
    "50_59": (("kans",), "hoger"),
    "60_69": (("onbeantwoorde_zorgnood", "kans"), "hoger"),
    "70_79": (("zorgnood",), "hoger"),
    "80_89": (("eenzaamheid", "sociaal_isolement", "zorgnood"), "hoger"),
    "90plus": (("eenzaamheid", "sociaal_isolement", "zorgnood"), "hoger"),
}

_SES_SIGNALS = ("eenzaamheid", "sociaal_isolement", "zorgnood", "onbeantwoorde_zorgnood")


def _indicators() -> tuple[Indicator, ...]:
    geo = "geslacht en leeftijd"
    out: list[Indicator] = [
        Indicator(
            code="pop_total",
            label="Aantal inwoners",
            theme=geo,
            definition="Officieel aantal inwoners op 1 januari. Basislaag voor kaarten en controle op de grootte van de sector.",
            formula="pop_total",
            numerator=("pop_total",),
            denominator=(),
            multiplier=1.0,
            unit="inwoners",
            denominator_kind="",
            source=SOURCE_STATBEL,
            decimals=0,
            source_ref="indicators.md §1 rij 0",
        ),
        Indicator(
            code="n_households",
            label="Aantal private huishoudens",
            theme="huishoudens",
            definition="Aantal private huishoudens: alle personen met eenzelfde referentiepersoon.",
            formula="hh_private",
            numerator=("hh_private",),
            denominator=(),
            multiplier=1.0,
            unit="huishoudens",
            denominator_kind="",
            source=SOURCE_PIC,
            decimals=0,
            source_ref="indicators.md §2 (huishoudens vs inwoners)",
        ),
        _pct(
            "pct_men",
            "% mannen",
            geo,
            "Aandeel mannen in het totaal aantal inwoners.",
            "pop_men",
            "pop_total",
            "inwoners",
            SOURCE_PIC,
            ("eenzaamheid", "zorgnood", "onbeantwoorde_zorgnood", "kans"),
            "neutraal",
            "indicators.md §1 rij 1",
            notes="Mannen: iets hoger risico op sociale eenzaamheid; vrouwen: op emotionele eenzaamheid.",
        ),
        _pct(
            "pct_women",
            "% vrouwen",
            geo,
            "Aandeel vrouwen in het totaal aantal inwoners.",
            "pop_women",
            "pop_total",
            "inwoners",
            SOURCE_PIC,
            ("eenzaamheid", "zorgnood", "onbeantwoorde_zorgnood", "kans"),
            "neutraal",
            "indicators.md §1 rij 1",
        ),
    ]
    for key, band in AGE_BANDS_10:
        signals, direction = _AGE_BAND_SIGNALS[key]
        out.append(
            _pct(
                f"pct_age_{key}",
                f"% {band}",
                geo,
                f"Aandeel inwoners van {band} in het totaal aantal inwoners.",
                f"pop_age_{key}",
                "pop_total",
                "inwoners",
                SOURCE_PIC,
                signals,
                direction,
                "indicators.md §1 rij 2",
            )
        )
    out += [
        _pct(
            "pct_65plus",
            "% 65-plussers",
            geo,
            "Aandeel inwoners van 65 jaar en ouder in het totaal aantal inwoners.",
            "pop_age_65plus",
            "pop_total",
            "inwoners",
            SOURCE_PIC,
            ("zorgnood",),
            "hoger",
            "indicators.md §1 rij 2",
        ),
        _pct(
            "pct_80plus",
            "% 80-plussers",
            geo,
            "Aandeel inwoners van 80 jaar en ouder in het totaal aantal inwoners.",
            "pop_age_80plus",
            "pop_total",
            "inwoners",
            SOURCE_PIC,
            ("eenzaamheid", "sociaal_isolement", "zorgnood"),
            "hoger",
            "indicators.md §1 rij 2",
        ),
        _pct(
            "pct_same_address",
            "% op hetzelfde adres als vorig jaar",
            "woonstabiliteit",
            "Welk percentage van de buurtbewoners woonde vorig jaar ook op hetzelfde adres? "
            "Hoe lager dit percentage, hoe lager de woonstabiliteit.",
            "pop_same_address",
            "pop_total",
            "inwoners",
            SOURCE_PIC,
            ("eenzaamheid", "sociaal_isolement", "zorgnood"),
            "lager",
            "indicators.md §1 rij 3",
            notes="Een woonzorgcentrum of een nieuwe verkaveling kan dit cijfer sterk beïnvloeden.",
        ),
        Indicator(
            code="mantelzorgratio",
            label="Mantelzorgratio (potentiële burenhulpratio)",
            theme="demografische coëfficiënten",
            definition="De verhouding van de 40 t.e.m. 79-jarigen ten opzichte van de 80-jarigen en ouder. "
            "Een hoge mantelzorgratio kan erop wijzen dat het potentieel voor burenhulp hoog is.",
            formula="pop_age_40_79 / pop_age_80plus",
            numerator=("pop_age_40_79",),
            denominator=("pop_age_80plus",),
            multiplier=1.0,
            unit="verhouding",
            denominator_kind="inwoners",
            source=SOURCE_PIC,
            signals=("kans",),
            direction="hoger",
            decimals=2,
            source_ref="indicators.md §1 rij 4a",
        ),
        Indicator(
            code="groene_druk",
            label="Groene druk",
            theme="demografische coëfficiënten",
            definition="De verhouding van de 0 t.e.m. 19-jarigen ten opzichte van de 20 t.e.m. 64-jarigen "
            "vermenigvuldigd met 100.",
            formula="pop_age_0_19 / pop_age_20_64 × 100",
            numerator=("pop_age_0_19",),
            denominator=("pop_age_20_64",),
            multiplier=100.0,
            unit="per 100 inwoners 20-64 jaar",
            denominator_kind="inwoners",
            source=SOURCE_PIC,
            decimals=1,
            source_ref="indicators.md §1 rij 4b",
        ),
        Indicator(
            code="grijze_druk",
            label="Grijze druk",
            theme="demografische coëfficiënten",
            definition="De verhouding van de 65-jarigen en ouder ten opzichte van de 20 t.e.m. 64-jarigen "
            "vermenigvuldigd met 100.",
            formula="pop_age_65plus / pop_age_20_64 × 100",
            numerator=("pop_age_65plus",),
            denominator=("pop_age_20_64",),
            multiplier=100.0,
            unit="per 100 inwoners 20-64 jaar",
            denominator_kind="inwoners",
            source=SOURCE_PIC,
            signals=("zorgnood",),
            direction="hoger",
            decimals=1,
            source_ref="indicators.md §1 rij 4c",
            notes="Hoge grijze druk samen met hoge interne vergrijzing: veel oudste ouderen die vaak "
            "langdurige nood hebben aan zorg en ondersteuning.",
        ),
        Indicator(
            code="interne_vergrijzing",
            label="Interne vergrijzing",
            theme="demografische coëfficiënten",
            definition="De verhouding van de 80-jarigen en ouder ten opzichte van de 65-jarigen en ouder "
            "vermenigvuldigd met 100.",
            formula="pop_age_80plus / pop_age_65plus × 100",
            numerator=("pop_age_80plus",),
            denominator=("pop_age_65plus",),
            multiplier=100.0,
            unit="per 100 inwoners 65+",
            denominator_kind="inwoners",
            source=SOURCE_PIC,
            signals=("zorgnood",),
            direction="hoger",
            decimals=1,
            source_ref="indicators.md §1 rij 4d",
        ),
        _pct(
            "pct_single_person_hh",
            "% eenpersoonshuishoudens",
            "huishoudens",
            "Aandeel eenpersoonshuishoudens (alleenwonenden) t.o.v. alle private huishoudens. "
            "Een aandeel van huishoudens, niet van inwoners.",
            "hh_single_person",
            "hh_private",
            "huishoudens",
            SOURCE_PIC,
            ("eenzaamheid", "sociaal_isolement", "zorgnood"),
            "hoger",
            "indicators.md §1 rij 5a",
        ),
        _pct(
            "pct_single_parent_hh",
            "% eenoudergezinnen met minderjarig kind",
            "huishoudens",
            "Aandeel eenoudergezinnen met minstens 1 minderjarig kind in huis t.o.v. alle private huishoudens "
            "(LIPRO-indeling). Enkel officiële registratie: bij co-ouderschap staat het kind op één adres.",
            "hh_single_parent_minor",
            "hh_private",
            "huishoudens",
            SOURCE_PIC,
            ("eenzaamheid", "zorgnood"),
            "hoger",
            "indicators.md §1 rij 5b",
        ),
        _pct(
            "pct_alone_18_64",
            "% alleenwonend 18-64 jaar",
            "huishoudens",
            "Percentage inwoners tussen 18 en 64 jaar dat alleenwonend is t.o.v. alle inwoners tussen 18 en 64 jaar.",
            "pop_alone_18_64",
            "pop_age_18_64",
            "inwoners",
            SOURCE_PIC,
            ("eenzaamheid", "sociaal_isolement"),
            "hoger",
            "indicators.md §1 rij 5c",
        ),
        _pct(
            "pct_alone_75plus",
            "% alleenwonend 75-plussers",
            "huishoudens",
            "Percentage inwoners van 75 jaar of ouder dat alleenwonend is t.o.v. alle inwoners van 75 jaar of ouder.",
            "pop_alone_75plus",
            "pop_age_75plus",
            "inwoners",
            SOURCE_PIC,
            ("eenzaamheid", "sociaal_isolement", "zorgnood"),
            "hoger",
            "indicators.md §1 rij 5d",
        ),
        _pct(
            "pct_low_edu_mother_primary",
            "% leerlingen basisonderwijs met laagopgeleide moeder",
            "socio-economisch",
            "Aandeel leerlingen basisonderwijs (naar woonplaats) met een laagopgeleide moeder t.o.v. alle "
            "leerlingen basisonderwijs.",
            "pupils_primary_low_edu_mother",
            "pupils_primary",
            "leerlingen",
            SOURCE_PIC,
            _SES_SIGNALS,
            "hoger",
            "indicators.md §1 rij 6a",
        ),
        _pct(
            "pct_low_edu_mother_secondary",
            "% leerlingen secundair onderwijs met laagopgeleide moeder",
            "socio-economisch",
            "Aandeel leerlingen secundair onderwijs (naar woonplaats) met een laagopgeleide moeder t.o.v. alle "
            "leerlingen secundair onderwijs.",
            "pupils_secondary_low_edu_mother",
            "pupils_secondary",
            "leerlingen",
            SOURCE_PIC,
            _SES_SIGNALS,
            "hoger",
            "indicators.md §1 rij 6b",
        ),
        _pct(
            "pct_increased_reimbursement_20_64",
            "% verhoogde tegemoetkoming 20-64 jaar",
            "socio-economisch",
            "Percentage rechthebbenden van 20 tot 64 jaar met recht op verhoogde tegemoetkoming in de "
            "verplichte ziekteverzekering. Dit recht is een indicatie van een financieel zwakkere situatie.",
            "insured_20_64_increased",
            "insured_20_64",
            "rechthebbenden",
            SOURCE_IMA,
            _SES_SIGNALS,
            "hoger",
            "indicators.md §1 rij 6c",
        ),
        _pct(
            "pct_replacement_income_65plus",
            "% met vervangingsinkomen 65-plussers",
            "socio-economisch",
            "Percentage rechthebbenden bij 65-plussers met recht op een gewaarborgd inkomen, inkomensgarantie "
            "voor ouderen, het leefloon of hulp van het OCMW.",
            "insured_65plus_replacement_income",
            "insured_65plus",
            "rechthebbenden",
            SOURCE_IMA,
            _SES_SIGNALS,
            "hoger",
            "indicators.md §1 rij 6d",
            notes="In de IMA-atlas is het niveau eerstelijnszone niet opgenomen.",
        ),
        _pct(
            "pct_tenants",
            "% huurders",
            "wonen",
            "Aandeel huurders t.o.v. de huishoudens met gekende eigendomstitel. Bij 20 % huurders zijn 20 % van "
            "de geregistreerde eigendommen in gebruik door huurders en 80 % door eigenaars.",
            "hh_tenant",
            "hh_known_tenure",
            "huishoudens",
            SOURCE_PIC,
            ("sociaal_isolement", "zorgnood", "onbeantwoorde_zorgnood"),
            "hoger",
            "indicators.md §1 rij 7a",
        ),
        Indicator(
            code="social_rental_per_100hh",
            label="Sociale huurwoningen per 100 huishoudens",
            theme="wonen",
            definition="Aantal sociale huurwoningen t.o.v. de particuliere huishoudens × 100.",
            formula="social_rental_dwellings / hh_private × 100",
            numerator=("social_rental_dwellings",),
            denominator=("hh_private",),
            multiplier=100.0,
            unit="per 100 huishoudens",
            denominator_kind="huishoudens",
            source=SOURCE_PIC,
            signals=("sociaal_isolement", "zorgnood", "onbeantwoorde_zorgnood"),
            direction="hoger",
            decimals=1,
            source_ref="indicators.md §1 rij 7c",
        ),
        Indicator(
            code="n_social_rental_dwellings",
            label="Aantal sociale huurwoningen",
            theme="wonen",
            definition="Aantal sociale huurwoningen in het gebied.",
            formula="social_rental_dwellings",
            numerator=("social_rental_dwellings",),
            denominator=(),
            multiplier=1.0,
            unit="woningen",
            denominator_kind="",
            source=SOURCE_PIC,
            decimals=0,
            source_ref="indicators.md §1 rij 7b",
        ),
        _pct(
            "pct_non_belgian_birth_nat",
            "% niet-Belgische geboortenationaliteit",
            "herkomst",
            "Aandeel inwoners van wie de nationaliteit bij geboorte niet Belgisch was.",
            "pop_non_belgian_birth_nat",
            "pop_total",
            "inwoners",
            SOURCE_PIC,
            ("eenzaamheid", "sociaal_isolement", "onbeantwoorde_zorgnood", "kans"),
            "hoger",
            "indicators.md §1 rij 8a",
        ),
        _pct(
            "pct_non_belgian_origin",
            "% niet-Belgische herkomst",
            "herkomst",
            "Aandeel inwoners van wie de geboortenationaliteit van de persoon zelf en/of van de moeder en/of "
            "van de vader niet Belgisch is.",
            "pop_non_belgian_origin",
            "pop_total",
            "inwoners",
            SOURCE_PIC,
            ("eenzaamheid", "sociaal_isolement", "onbeantwoorde_zorgnood", "kans"),
            "hoger",
            "indicators.md §1 rij 8b",
        ),
        _pct(
            "pct_chronic_condition",
            "% statuut chronische aandoening",
            "gezondheid",
            "Percentage rechthebbenden met minstens één statuut chronische aandoening.",
            "insured_chronic",
            "insured_total",
            "rechthebbenden",
            SOURCE_IMA,
            ("zorgnood", "eenzaamheid"),
            "hoger",
            "indicators.md §1 rij 9a",
        ),
        _pct(
            "pct_antidepressants",
            "% gebruikers antidepressiva",
            "gezondheid",
            "Percentage rechthebbenden met een voorschrift voor antidepressiva (per kalenderjaar). Het gaat om "
            "uitgeschreven voorschriften; dit staat niet noodzakelijk gelijk aan het eigenlijke gebruik.",
            "insured_antidepressants",
            "insured_total",
            "rechthebbenden",
            SOURCE_IMA,
            ("zorgnood", "eenzaamheid"),
            "hoger",
            "indicators.md §1 rij 9b",
        ),
        Indicator(
            code="avg_net_taxable_income",
            label="Gemiddeld netto belastbaar inkomen per aangifte",
            theme="socio-economisch",
            definition="Totaal netto belastbaar inkomen gedeeld door het aantal aangiften met een inkomen "
            "(aanslagjaar: het jaar ná het inkomensjaar). Een gemiddelde, geen mediaan: een paar hoge "
            "inkomens trekken het op. Statbel verbergt sectoren met te weinig aangiften.",
            formula="net_taxable_income / tax_returns",
            numerator=("net_taxable_income",),
            denominator=("tax_returns",),
            multiplier=1.0,
            unit="euro",
            denominator_kind="aangiften",
            source=SOURCE_STATBEL,
            decimals=0,
            source_ref="dataformats.md §2.3 (TF_PSNL_INC_TAX_SECTOR)",
            notes="Lagere inkomens betekenen vaak minder mantelzorgers (indicators.md); zorgzaam geeft er geen "
            "automatisch signaal op, de werkgroep leest het als context.",
        ),
        Indicator(
            code="cars_per_household",
            label="Wagens per huishouden",
            theme="wonen",
            definition="Aantal personenwagens van de huishoudens gedeeld door het aantal huishoudens (Statbel). "
            "Weinig wagens kan betekenen dat bewoners op het openbaar vervoer of op anderen aangewezen "
            "zijn.",
            formula="cars / hh_statbel",
            numerator=("cars",),
            denominator=("hh_statbel",),
            multiplier=1.0,
            unit="per huishouden",
            denominator_kind="huishoudens",
            source=SOURCE_STATBEL,
            decimals=2,
            source_ref="dataformats.md §2.4 (TF_CAR_HH_SECTOR)",
        ),
    ]
    out += _access_indicators()
    return tuple(out)


_BASKET = (
    "Aandeel {who} voor wie het basispakket niet volledig binnen {radius} ligt: voeding (voedingswinkel, "
    "supermarkt, bakker of slager), huisarts, apotheek én school."
)
_STRAIGHT = (
    "Afstand in rechte lijn vanaf het midden van de bewoonde hectarecel (geen wandelroute), "
    "op de ruimtelijke lagen van de gegevensbron."
)
_ESTIMATED = (
    "Het aantal {group} per hectarecel is geschat: het aantal {group} van de sector verdeeld over de "
    "bewoonde hectarecellen van die sector, naar hun aantal inwoners."
)
_BUS = "een bushalte met minstens 1 vertrek per uur op een weekdag (een belbus telt niet)"


def _access_indicators() -> tuple[Indicator, ...]:
    """Access to the basic basket and the bus, and settlement type, as shares of residents (access.py)."""
    theme = "voorzieningen en bereikbaarheid"

    def pct(code: str, label: str, definition: str, numerator: str, denominator: str, direction: str) -> Indicator:
        return _pct(
            code,
            label,
            theme,
            definition,
            numerator,
            denominator,
            "inwoners",
            SOURCE_ACCESS,
            (),
            direction,
            "spatial.md §4.1–4.2, §2.5; access.py",
        )

    out = [
        pct(
            "pct_no_basket_1200m",
            "% inwoners verder dan 1,2 km van het basispakket",
            f"{_BASKET.format(who='inwoners', radius='1,2 km (wandelafstand)')} {_STRAIGHT}",
            "acc_pop_no_basket_1200m",
            "acc_pop",
            "hoger",
        ),
        pct(
            "pct_no_basket_3750m",
            "% inwoners verder dan 3,75 km van het basispakket",
            f"{_BASKET.format(who='inwoners', radius='3,75 km (fietsafstand)')} {_STRAIGHT}",
            "acc_pop_no_basket_3750m",
            "acc_pop",
            "hoger",
        ),
        pct(
            "pct_no_bus_400m",
            "% inwoners verder dan 400 m van een bushalte (minstens 1 vertrek per uur)",
            f"Aandeel inwoners zonder {_BUS} binnen 400 m. {_STRAIGHT}",
            "acc_pop_no_bus_400m",
            "acc_pop",
            "hoger",
        ),
    ]
    for key, short, group in (("65plus", "65-plussers", "65-plussers"), ("80plus", "80-plussers", "80-plussers")):
        est = _ESTIMATED.format(group=group)
        out += [
            pct(
                f"pct_{key}_no_basket_1200m",
                f"% {short} verder dan 1,2 km van het basispakket",
                f"{_BASKET.format(who=group, radius='1,2 km')} {_STRAIGHT} {est}",
                f"acc_pop_{key}_no_basket_1200m",
                f"acc_pop_{key}",
                "hoger",
            ),
            pct(
                f"pct_{key}_no_bus_400m",
                f"% {short} verder dan 400 m van een bushalte (minstens 1 vertrek per uur)",
                f"Aandeel {group} zonder {_BUS} binnen 400 m. {_STRAIGHT} {est}",
                f"acc_pop_{key}_no_bus_400m",
                f"acc_pop_{key}",
                "hoger",
            ),
        ]
    est = _ESTIMATED.format(group="80-plussers")
    for code, label, definition, numerator in (
        (
            "n_80plus_no_basket_1200m",
            "Aantal 80-plussers verder dan 1,2 km van het basispakket",
            f"Geschat aantal 80-plussers voor wie het basispakket niet volledig binnen 1,2 km ligt: voeding "
            f"(voedingswinkel, supermarkt, bakker of slager), huisarts, apotheek én school. {_STRAIGHT} {est}",
            "acc_pop_80plus_no_basket_1200m",
        ),
        (
            "n_80plus_no_bus_400m",
            "Aantal 80-plussers verder dan 400 m van een bushalte (minstens 1 vertrek per uur)",
            f"Geschat aantal 80-plussers zonder {_BUS} binnen 400 m. {_STRAIGHT} {est}",
            "acc_pop_80plus_no_bus_400m",
        ),
    ):
        out.append(
            Indicator(
                code=code,
                label=label,
                theme=theme,
                definition=definition,
                formula=numerator,
                numerator=(numerator,),
                denominator=(),
                multiplier=1.0,
                unit="inwoners",
                denominator_kind="",
                source=SOURCE_ACCESS,
                direction="hoger",
                decimals=0,
                source_ref="spatial.md §4.1–4.2, §2.5; access.py",
            )
        )
    settle = (
        "Volgens de laag kernen, linten en verspreide bebouwing: een hectarecel hoort bij een kern als haar "
        "midden in een kern ligt, anders bij een lint of verspreide bebouwing als haar midden binnen 75 m "
        "ervan ligt (een halve diagonaal van een hectarecel is ongeveer 71 m)."
    )
    for cls, label in (("kern", "kernbebouwing"), ("lint", "lintbebouwing"), ("verspreid", "verspreide bebouwing")):
        out.append(
            pct(
                f"pct_in_{cls}",
                f"% inwoners in {label}",
                f"Aandeel inwoners dat in {label} woont. {settle}",
                f"acc_pop_in_{cls}",
                "acc_pop",
                "neutraal",
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Catalogue:
    # Counts a source publishes (an import or the demo provides each one that is not a sum_of).
    base_counts: dict[str, BaseCount] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    # Counts zorgzaam computes itself from the spatial layers (access.py); no source publishes them.
    computed_counts: dict[str, BaseCount] = field(default_factory=dict)

    def count(self, code: str) -> BaseCount | None:
        """A base or computed count by code (None when unknown)."""
        return self.base_counts.get(code) or self.computed_counts.get(code)

    def indicator(self, code: str) -> Indicator:
        try:
            return self.indicators[code]
        except KeyError:
            raise UnknownIndicator(code) from None

    def has_data(self, code: str, variables: set[str]) -> bool:
        """Whether an indicator can be computed from the stored ``variables`` (its counts, a count's
        parts, or a stored value of the indicator itself)."""
        if code in variables:
            return True

        def count_known(c: str) -> bool:
            count = self.count(c)
            return c in variables or bool(count and count.sum_of and all(p in variables for p in count.sum_of))

        ind = self.indicators.get(code)
        return ind is not None and all(count_known(c) for c in ind.base_counts)

    def by_theme(self) -> dict[str, list[Indicator]]:
        grouped: dict[str, list[Indicator]] = {t: [] for t in THEMES}
        for ind in self.indicators.values():
            grouped.setdefault(ind.theme, []).append(ind)
        return {t: inds for t, inds in grouped.items() if inds}


_SINGULAR = {"inwoners": "inwoner", "huishoudens": "huishouden"}


def user_slug(label: str) -> str:
    """'Aantal elektriciteitsaansluitingen' → 'aantal_elektriciteitsaansluitingen' (a-z, 0-9 and _)."""
    text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:40].strip("_")


def extra_indicator(
    label: str,
    unit: str,
    denominator: str | None = None,
    multiplier: float = 1.0,
    source: str = "eigen bestand",
    column: str | None = None,
) -> tuple[BaseCount, Indicator]:
    """The user base count (``user_<slug>``) and indicator (``eigen_<slug>``) of an extra indicator.

    The count must be additive (a number of people, connections, kWh … per area): the indicator is the
    count itself, or the ratio of sums count / ``denominator`` × ``multiplier``, so it aggregates to
    any level like every other indicator. Raises ValueError (Dutch) for an invalid choice.
    """
    label, unit = " ".join(str(label).split()), " ".join(str(unit).split())
    slug = user_slug(label)
    if not slug:
        raise ValueError("Geef de eigen indicator een naam (met letters of cijfers).")
    if not unit:
        raise ValueError(f"Geef de eenheid van '{label}' (bv. aansluitingen, kWh, personen).")
    if denominator is not None and denominator not in EXTRA_DENOMINATORS:
        raise ValueError(
            f"'{denominator}' kan geen noemer zijn. Kies: "
            f"{', '.join(BUILTIN.base_counts[d].label.lower() for d in EXTRA_DENOMINATORS)} of geen."
        )
    multiplier = float(multiplier or 1.0)
    if multiplier not in EXTRA_MULTIPLIERS:
        raise ValueError("Kies als vermenigvuldiging 1, 100 (%) of 1.000 (per 1.000).")
    base = BaseCount(f"{USER_PREFIX}{slug}", label, unit)
    origin = f" Uit de kolom '{column}' van een geïmporteerd bestand." if column else ""
    if denominator is None:
        ind = Indicator(
            code=f"{USER_INDICATOR_PREFIX}{slug}",
            label=label,
            theme=USER_THEME,
            definition=f"Eigen indicator van de werkgroep: {label} ({unit}), opgeteld per gebied.{origin}",
            formula=base.code,
            numerator=(base.code,),
            denominator=(),
            multiplier=1.0,
            unit=unit,
            denominator_kind="",
            source=source,
            decimals=0,
        )
        return base, ind
    den = BUILTIN.base_counts[denominator]
    if multiplier == 100.0:
        shown_unit, decimals = "%", 1
    elif multiplier == 1000.0:
        shown_unit, decimals = f"{unit} per 1.000 {den.unit}", 1
    else:
        shown_unit, decimals = f"{unit} per {_SINGULAR.get(den.unit, den.unit)}", 2
    times = "" if multiplier == 1.0 else f" × {multiplier:,.0f}".replace(",", ".")
    ind = Indicator(
        code=f"{USER_INDICATOR_PREFIX}{slug}",
        label=f"{label} ({shown_unit})",
        theme=USER_THEME,
        definition=(
            f"Eigen indicator van de werkgroep: {label} ({unit}) t.o.v. {den.label.lower()}{times}, "
            f"als verhouding van de totalen per gebied.{origin}"
        ),
        formula=f"{base.code} / {denominator}{times}",
        numerator=(base.code,),
        denominator=(denominator,),
        multiplier=multiplier,
        unit=shown_unit,
        denominator_kind=den.unit,
        source=source,
        decimals=decimals,
    )
    return base, ind


#: The kinds of an extra indicator: a count (summed), the ratio of two columns (a ratio of sums), or a
#: score / percentage / average given per area (a weighted mean with a weight column, else per sector only).
EXTRA_KINDS: dict[str, str] = {
    "count": "een telling (opgeteld per gebied)",
    "ratio": "een verhouding van twee kolommen (teller / noemer)",
    "score": "een score, percentage of gemiddelde per gebied",
}
#: Suffixes of the user counts of a ratio (the denominator column) and of a weighted score.
RATIO_DENOMINATOR_SUFFIX = "_noemer"
WEIGHTED_SUFFIX, WEIGHT_SUFFIX = "_gewogen", "_gewicht"
PER_SECTOR_ONLY_TEXT = "alleen per sector; geen gewogen gemiddelde voor grotere gebieden"


def extra_definition(
    label: str,
    unit: str,
    kind: str = "count",
    *,
    denominator: str | None = None,
    multiplier: float = 1.0,
    other_column: str | None = None,
    source: str = "eigen bestand",
    column: str | None = None,
) -> tuple[tuple[BaseCount, ...], Indicator]:
    """The user base counts and the indicator of an extra indicator of any kind (``EXTRA_KINDS``).

    * ``count``: ``extra_indicator`` (one count, optionally over a catalogue ``denominator``);
    * ``ratio``: the column (``user_<slug>``) over the column ``other_column`` (``user_<slug>_noemer``)
      × ``multiplier``, both stored as counts: a ratio of sums at every level;
    * ``score``: with a weight column ``other_column``: the counts score × weight (``user_<slug>_gewogen``)
      and weight (``user_<slug>_gewicht``), their ratio of sums being the weighted mean at every level;
      without one: no counts, the value is stored for the indicator itself per area (never summed).

    Raises ValueError (Dutch) for an invalid choice."""
    if kind not in EXTRA_KINDS:
        raise ValueError(f"Onbekende soort eigen indicator '{kind}'. Kies: {', '.join(EXTRA_KINDS)}.")
    if kind == "count":
        base, ind = extra_indicator(label, unit, denominator, multiplier, source=source, column=column)
        return (base,), ind
    label, unit = " ".join(str(label).split()), " ".join(str(unit).split())
    slug = user_slug(label)
    if not slug:
        raise ValueError("Geef de eigen indicator een naam (met letters of cijfers).")
    if not unit:
        raise ValueError(f"Geef de eenheid van '{label}' (bv. %, score 0-10, kWh per aansluiting).")
    slug = slug[:32].strip("_")  # room for the suffixes of the counts
    origin = f" Uit de kolom '{column}' van een geïmporteerd bestand." if column else ""
    code = f"{USER_INDICATOR_PREFIX}{slug}"
    if kind == "ratio":
        if not other_column:
            raise ValueError(f"Kies de kolom waardoor '{label}' gedeeld wordt (de noemer).")
        multiplier = float(multiplier or 1.0)
        if multiplier not in EXTRA_MULTIPLIERS:
            raise ValueError("Kies als vermenigvuldiging 1, 100 (%) of 1.000 (per 1.000).")
        shown_unit = "%" if multiplier == 100.0 else unit
        num = BaseCount(f"{USER_PREFIX}{slug}", f"{label}: teller ({column or label})", column or label)
        den = BaseCount(
            f"{USER_PREFIX}{slug}{RATIO_DENOMINATOR_SUFFIX}", f"{label}: noemer ({other_column})", other_column
        )
        times = "" if multiplier == 1.0 else f" × {multiplier:,.0f}".replace(",", ".")
        ind = Indicator(
            code=code,
            label=f"{label} ({shown_unit})",
            theme=USER_THEME,
            definition=(
                f"Eigen indicator van de werkgroep: {label}, de verhouding van de kolommen "
                f"'{column or '?'}' en '{other_column}'{times}, als verhouding van de totalen per gebied.{origin}"
            ),
            formula=f"{num.code} / {den.code}{times}",
            numerator=(num.code,),
            denominator=(den.code,),
            multiplier=multiplier,
            unit=shown_unit,
            denominator_kind=f"kolom {other_column}",
            source=source,
            decimals=1 if multiplier != 1.0 else 2,
        )
        return (num, den), ind
    if other_column:
        weighted = BaseCount(f"{USER_PREFIX}{slug}{WEIGHTED_SUFFIX}", f"{label} × {other_column}", unit)
        weight = BaseCount(f"{USER_PREFIX}{slug}{WEIGHT_SUFFIX}", f"{label}: gewicht ({other_column})", other_column)
        ind = Indicator(
            code=code,
            label=f"{label} ({unit})",
            theme=USER_THEME,
            definition=(
                f"Eigen indicator van de werkgroep: {label} ({unit}), per gebied gegeven en voor grotere "
                f"gebieden het gemiddelde gewogen met '{other_column}' (nooit opgeteld).{origin}"
            ),
            formula=f"{weighted.code} / {weight.code}",
            numerator=(weighted.code,),
            denominator=(weight.code,),
            multiplier=1.0,
            unit=unit,
            denominator_kind=f"gewicht {other_column}",
            source=source,
            decimals=1,
        )
        return (weighted, weight), ind
    ind = Indicator(
        code=code,
        label=f"{label} ({unit})",
        theme=USER_THEME,
        definition=(
            f"Eigen indicator van de werkgroep: {label} ({unit}), zoals per gebied gegeven; "
            f"{PER_SECTOR_ONLY_TEXT}.{origin}"
        ),
        formula=code,
        numerator=(),
        denominator=(),
        multiplier=1.0,
        unit=unit,
        denominator_kind="",
        source=source,
        decimals=1,
    )
    return (), ind


def user_kind(indicator: Indicator) -> str:
    """The kind (``EXTRA_KINDS``) of a user indicator, read from its counts (so it survives a reopen)."""
    if indicator.per_area_only:
        return "score"
    own_denominator = [c for c in indicator.denominator if c.startswith(USER_PREFIX)]
    if own_denominator and own_denominator[0].endswith(WEIGHT_SUFFIX):
        return "score"
    return "ratio" if own_denominator else "count"


class UnknownIndicator(KeyError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"Onbekende indicator '{self.code}'. Bekijk de lijst met 'python -m zorgzaam indicators'."


BUILTIN = Catalogue(
    base_counts={b.code: b for b in _base_counts()},
    indicators={i.code: i for i in _indicators()},
    computed_counts={b.code: b for b in _computed_counts()},
)

# The codes issue #2 fixes as stable; tests check that all exist.
REQUIRED_CODES: tuple[str, ...] = (
    "pop_total",
    "pct_men",
    "pct_women",
    "pct_age_0_9",
    "pct_age_10_19",
    "pct_age_20_29",
    "pct_age_30_39",
    "pct_age_40_49",
    "pct_age_50_59",
    "pct_age_60_69",
    "pct_age_70_79",
    "pct_age_80_89",
    "pct_age_90plus",
    "pct_65plus",
    "pct_80plus",
    "pct_same_address",
    "mantelzorgratio",
    "groene_druk",
    "grijze_druk",
    "interne_vergrijzing",
    "pct_single_person_hh",
    "pct_single_parent_hh",
    "pct_alone_18_64",
    "pct_alone_75plus",
    "pct_low_edu_mother_primary",
    "pct_low_edu_mother_secondary",
    "pct_increased_reimbursement_20_64",
    "pct_replacement_income_65plus",
    "pct_tenants",
    "social_rental_per_100hh",
    "pct_non_belgian_birth_nat",
    "pct_non_belgian_origin",
    "pct_chronic_condition",
    "pct_antidepressants",
)
