"""The 9 bouwstenen of the referentiekader zorgzame buurten, the self-assessment scale,
poll summaries and actions per bouwsteen.

Pure Python (plus pandas for the two tables); no Streamlit, no database. Sources, see
``../shared/domain/bouwstenen-and-sessions.md``:

* names, order and definitions: §1.1 (package L1219-1230, "Deze 9 bouwstenen zijn");
* clusters: §1.1 (package L508-566, the referentiekader: praktijkontwikkeling with
  'minder mazen' and 'meer net', beleidsontwikkeling, voorwaardenscheppende bouwstenen);
* scale and bands: §1.2 (package L6800-6807);
* reflection questions: §1.3 (package L6815-7017), partner questions of seed 000 (§2.2);
* action statuses: §2.2 (seed 000); participation levels: §2.3 (package L4485-4498).

User-visible texts are Dutch and follow the source's wording (typos included), except
that a question quoted from mid-sentence starts with a capital.

Scores
------
A score is an ``int`` 1–5 or ``None`` (niet gescoord). The source says "van 0 tot 5" but
defines only 1–5, so 0 is read as niet gescoord (domain file §1.2).

Disagreement (``spread``)
-------------------------
``disagreement`` is the share of the scored answers that lie more than one point from
the median. A poll is ``is_disputed`` when at least two people scored and that share is
at least ``DISPUTE_SHARE`` (a quarter): one in four participants sees the bouwsteen
clearly differently from the middle of the group. Unanimous answers give 0; a 1/5 split
gives 1.
"""

from __future__ import annotations

import math
import numbers
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .areas import is_sector_code, normalise_sector_code
from .formatting import format_number

__all__ = [
    "ACTION_STATUSES",
    "BALANCE_HEADERS",
    "BAND_HEADINGS",
    "BAND_HINTS",
    "BAND_QUESTIONS",
    "BAND_SCORES",
    "BOUWSTEEN_BY_CODE",
    "BOUWSTEEN_CODES",
    "BOUWSTENEN",
    "CLUSTERS",
    "CLUSTER_DEFINITIONS",
    "CLUSTER_PARTS",
    "DISPUTE_SHARE",
    "MUNICIPALITY_WIDE",
    "NOT_SCORED_LABEL",
    "PARTICIPATION_LEVELS",
    "SCALE",
    "SCALE_INSTRUCTION",
    "SCORE_TABLE_HEADERS",
    "STATUS_QUESTIONS",
    "Action",
    "ActionError",
    "Bouwsteen",
    "Spread",
    "UnknownBouwsteen",
    "action_balance",
    "band",
    "band_question",
    "by_code",
    "checked_scores",
    "cluster_means",
    "describe_spread",
    "distribution",
    "in_cluster",
    "light_bouwstenen",
    "light_by_actions",
    "place_label",
    "reflection_prompts",
    "scale_text",
    "score_table",
    "spread",
    "validate_action",
    "validate_score",
]

# --------------------------------------------------------------------------- clusters

#: Cluster code → Dutch label, in the order of the referentiekader (L508-566):
#: praktijkontwikkeling ('minder mazen', 'meer net'), beleidsontwikkeling,
#: voorwaardenscheppende bouwstenen.
CLUSTERS: dict[str, str] = {
    "minder_mazen": "Minder mazen",
    "meer_net": "Meer net",
    "beleidsontwikkeling": "Beleidsontwikkeling",
    "voorwaardenscheppend": "Voorwaardenscheppende bouwstenen",
}

#: Cluster code → the part of the referentiekader it belongs to (L508-566).
CLUSTER_PARTS: dict[str, str] = {
    "minder_mazen": "Praktijkontwikkeling",
    "meer_net": "Praktijkontwikkeling",
    "beleidsontwikkeling": "Beleidsontwikkeling",
    "voorwaardenscheppend": "Voorwaardenscheppende bouwstenen",
}

#: What each cluster is about, in the source's words (L510-566).
CLUSTER_DEFINITIONS: dict[str, str] = {
    "minder_mazen": "Minder mazen gaat over het realiseren van antwoorden op maat op diverse "
    "(ondersteunings)noden en -vragen.",
    "meer_net": "Meer net maakt mogelijk dat mensen zich thuis en geborgen voelen in de buurt.",
    "beleidsontwikkeling": "Beleidsontwikkeling bestaat uit twee bouwstenen met telkens twee elementen, "
    "nl. 'buurt: analyse & plan' en 'visie & organisatie'",
    "voorwaardenscheppend": "De voorwaardenscheppende bouwstenen zijn partnerschappen, communicatie en de "
    "publieke ruimte. Ze zijn noodzakelijk voor het realiseren van de andere bouwstenen, "
    "de interactie tussen de bouwstenen en uiteindelijk het realiseren van zorgzame buurten.",
}

# --------------------------------------------------------------------------- bouwstenen


@dataclass(frozen=True)
class Bouwsteen:
    """One building block.

    ``questions`` are reflection questions that fit any score; ``action_questions``
    presuppose actions that already run (evaluation, how an action went) and are only
    offered for score 4–5 ("jullie ondernemen actie").
    """

    code: str
    number: int
    name: str
    cluster: str
    definition: str
    questions: tuple[str, ...]
    action_questions: tuple[str, ...] = ()

    @property
    def cluster_label(self) -> str:
        return CLUSTERS[self.cluster]

    @property
    def all_questions(self) -> tuple[str, ...]:
        return self.questions + self.action_questions


# The impact check set (L6840-6845), repeated for detectie & toeleiding, meer net and
# buurt: analyse & plan. The first four help to plan; the last two evaluate running actions.
_IMPACT_PLAN = (
    "Op welke maatschappelijke uitdaging wil ik een antwoord bieden? Welke verandering wil ik tot stand brengen?",
    "Welke doelstellingen heb ik voor ogen? Welke stappen heb ik hier voor nodig?",
    "Zijn de acties SMART verwoord? Is er een norm bepaald? Zijn de indicatoren duidelijk?",
    "Waarom doe je iets? En voor wie?",
)
_IMPACT_EVALUATE = (
    "Welke indicatoren duiden er op dat deze actie aan het slagen is? Wanneer evalueer ik deze actie?",
    "Moet er nog (meer) ingezet worden op andere bouwstenen opdat de actie zou slagen?",
)
_CONDITIONS = "Zet je in op communicatie, partnerschappen & de publieke ruimte opdat de acties gerealiseerd worden?"

_MINDER_MAZEN_Q = (
    "Hoe werk je binnen jouw werking aan detectie & toeleiding? (minder mazen)",
    *_IMPACT_PLAN,
)
_MINDER_MAZEN_ACTION_Q = (
    "Zijn andere partners voldoende op de hoogte van je actie/initiatief? Zij kunnen mogelijk helpen bij de "
    "verspreiding van jouw actie. Mis je nog bepaalde partners?",
    "Sluit de actie voldoende aan bij noden of vragen van burgers?",
    "Speelde de actie zich af in een toegankelijke ruimte? geraakte iedereen tot daar? Of werkte je juist "
    "outreachend? Waren er fysieke of sociale drempels voor deelname?",
    *_IMPACT_EVALUATE,
)
_MEER_NET_GENERAL = "Hoe werk je binnen jouw werking aan sociale netwerken & inclusie? (meer net)"

BOUWSTENEN: tuple[Bouwsteen, ...] = (
    Bouwsteen(
        code="buurt_analyse_plan",
        number=1,
        name="Buurt: analyse & plan",
        cluster="beleidsontwikkeling",
        definition="Het verzamelen van informatie over wie er woont en wat er in de buurt is en hoe je aan de slag "
        "gaat met de buurt. De buurtanalyse is een dynamisch werkinstrument en toetssteen om op terug "
        "te vallen voor de bouwstenen en acties.",
        questions=(
            "Hoe verloopt de analyse?",
            "Heb je voldoende competenties (in of buiten huis) om de analyses te doen en er ook effectief mee "
            "aan de slag te gaan?",
            "Zijn er nog stukken in de analyse die je moet aanvullen?",
            "Mis je nog bepaalde info of gegevens?",
            "Is er voldoende publieke ruimte? Is deze toegankelijk? Kunnen mensen genieten van groen? Van water? "
            "Kunnen ze zich veilig verplaatsen?",
            *_IMPACT_PLAN,
            "Zijn alle betrokken partners mee in het verhaal? Stellen zij mee het (impact)plan op? Mis je nog "
            "bepaalde partners voor bepaalde acties?",
            "Inspraak van buurtbewoners kan in belangrijke mate bijdragen tot beleidskeuzes die meer gedragen "
            "zijn. Betrek je hen voldoende?",
        ),
        action_questions=(
            "Sta stil bij de indicatoren van je acties: behaal je deze of niet? Volg je deze goed op?",
            "Welke indicatoren duiden er op dat deze actie aan het slagen is? Wanneer evalueer ik deze actie? "
            "Moet er bijgestuurd worden?",
            _IMPACT_EVALUATE[1],
        ),
    ),
    Bouwsteen(
        code="visie_organisatie",
        number=2,
        name="Visie & organisatie",
        cluster="beleidsontwikkeling",
        definition="Inzetten op een gedragen visie en hiernaar je als werkgroep organiseren. Op deze manier ontstaat "
        "er een gezamenlijke taal. Ook verschillen moeten hierin besproken durven worden.",
        questions=(
            "Hoe verloopt de visie en organisatie?",
            "Geven de analyses of acties aanleiding tot bijsturen van visie of beleidskeuzes?",
            "Heb je voldoende zicht op andere processen en/of beleidskeuzes die invloed hebben op zorgzame buurten?",
            "Hoe hebben jullie je intern en extern georganiseerd? Creëer je hiermee voldoende draagvlak binnen en "
            "buiten de organisatie? Kunnen jullie voldoende efficiënt werken? Zijn de mandaten en "
            "beslissingsprocessen voor iedereen duidelijk?",
            "Heb je alle partners mee voor het vormen van je visie?",
            "Wordt de verbinding gelegd tussen de praktijkontwikkeling en de beleidsontwikkeling? Voedt de "
            "praktijkontwikkeling de beleidsontwikkeling?",
        ),
    ),
    Bouwsteen(
        code="communicatie",
        number=3,
        name="Communicatie",
        cluster="voorwaardenscheppend",
        definition="Inzetten op informeren en sensibiliseren van de burgers, maar ook tussen de partners onderling "
        "inzetten op communicatie opdat zorgzame buurten realiseerbaar is.",
        questions=(
            _CONDITIONS,
            "Stel je communicatie af op de beoogde groep. Wat hebben zij nodig opdat de informatie toegankelijk is?",
            "Hoe maak je deze actie bekend? Hoe breng je dit tot bij de buurtbewoners?",
            "Is er voldoende communicatie tussen de diverse partners over beleid en praktijk?",
        ),
        action_questions=("Heb je je acties voldoende gecommuniceerd?",),
    ),
    Bouwsteen(
        code="partnerschappen",
        number=4,
        name="Partnerschappen",
        cluster="voorwaardenscheppend",
        definition="Het aangaan van diverse samenwerkingen op diverse niveaus, zowel intern als extern.",
        questions=(
            _CONDITIONS,
            "In welke mate heb je zicht op de potentiële partners in de buurt?",
            "Zijn alle partners mee in het verhaal? Dragen zij het verhaal mee naar buiten?",
            "Welke partners worden in de buurt sterk gemist? Hoe vul je dit hiaat in?",
            "Krijg je voldoende signalen & feedback vanuit de praktijkontwikkeling en partners terug?",
        ),
        action_questions=(
            "Voldoet de samenwerking aan jouw verwachting? Wat wil je nog vragen aan bepaalde partners?",
        ),
    ),
    Bouwsteen(
        code="publieke_ruimte",
        number=5,
        name="Publieke ruimte",
        cluster="voorwaardenscheppend",
        definition="Een aangepaste publieke ruimte met voldoende voorzieningen en plaatsen voor ontmoeting draagt "
        "bij aan het realiseren van zorgzame buurten.",
        questions=(
            _CONDITIONS,
            "Heb je in jouw buurt partners die invloed hebben op de publieke ruimte? Zijn deze betrokken bij het "
            "initiatief?",
            "Heb je de omgevingsanalyse volledig in kaart gebracht? Wat valt hier in op? Heb je dit meegenomen in "
            "een actie?",
        ),
        action_questions=(
            "Als je inzet op een actie, heb je er bij stil gestaan of mensen tot daar geraken? Zijn er drempels in "
            "de fysieke omgeving voor deelname? Werk je outreachend?",
        ),
    ),
    Bouwsteen(
        code="detectie",
        number=6,
        name="Detectie",
        cluster="minder_mazen",
        definition="Iedereen (actief) in een zorgzame buurt kan individuele en/of collectieve noden opsporen.",
        questions=_MINDER_MAZEN_Q,
        action_questions=_MINDER_MAZEN_ACTION_Q,
    ),
    Bouwsteen(
        code="toeleiding",
        number=7,
        name="Toeleiding",
        cluster="minder_mazen",
        definition="Samen zoeken naar een oplossing op maat, mensen met ondersteunings- en zorgnoden toeleiden naar "
        "de voor hen juiste informele en/of professional ondersteuning, dienstverlening en/of zorg.",
        questions=_MINDER_MAZEN_Q,
        action_questions=_MINDER_MAZEN_ACTION_Q,
    ),
    Bouwsteen(
        code="sociale_netwerken",
        number=8,
        name="Sociale netwerken",
        cluster="meer_net",
        definition="Een zorgzame buurt draagt bij/ organiseert ontmoeting. Verbindingen tussen mensen in de buurt "
        "worden mogelijk gemaakt.",
        questions=(
            _MEER_NET_GENERAL,
            *_IMPACT_PLAN,
            "Welke partners betrek je voor het realiseren van de bouwsteen sociale netwerken?",
            "Wil je inzetten op ontmoeting?",
        ),
        action_questions=(
            "Met welke participatieve methode ging je aan de slag?",
            "In welke ruimte speelt deze actie zich af? Gaat het buiten door? Gaat het door in een ruimte die "
            "toegankelijk is voor iedereen?",
            *_IMPACT_EVALUATE,
        ),
    ),
    Bouwsteen(
        code="inclusie",
        number=9,
        name="Inclusie",
        cluster="meer_net",
        definition="Iedereen in de buurt kan iets betekenen voor een ander en heeft sterktes. Een inclusieve buurt "
        "vertrekt van deze visie. Daarnaast zetten organisaties in de buurt ook deze bril op: zijn we "
        "toegankelijk? Welke groepen sluiten we (onbewust) uit?",
        questions=(
            _MEER_NET_GENERAL,
            "Hoe draag je als organisatie/ lokaal bestuur bij aan inclusie? Hoe kan je meer inclusief werken?",
            "Sta hier stil bij de 9 B's: bereikbaarheid, beschikbaarheid, betaalbaarheid, bruikbaarheid, "
            "begrijpbaarheid, betrouwbaarheid, bekendheid, begripvol en betreedbaarheid",
            "Wil je mensen verbinden? Drempels wegwerken? Of juist mensen betrekken?",
            "Werkt ieder vanuit zijn rol/kracht of talent?",
            "Wanneer ben je nabij de buurt en wanneer laat je hen meer los? Wat verwacht je van hen?",
            *_IMPACT_PLAN,
        ),
        action_questions=_IMPACT_EVALUATE,
    ),
)

BOUWSTEEN_BY_CODE: dict[str, Bouwsteen] = {b.code: b for b in BOUWSTENEN}
BOUWSTEEN_CODES: tuple[str, ...] = tuple(b.code for b in BOUWSTENEN)


class UnknownBouwsteen(ValueError):
    def __init__(self, code: Any):
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"Onbekende bouwsteen '{self.code}'. Kies uit: {', '.join(BOUWSTEEN_CODES)}."


def by_code(code: str) -> Bouwsteen:
    try:
        return BOUWSTEEN_BY_CODE[code]
    except (KeyError, TypeError):
        raise UnknownBouwsteen(code) from None


def in_cluster(cluster: str) -> tuple[Bouwsteen, ...]:
    """The bouwstenen of one cluster, in source order."""
    if cluster not in CLUSTERS:
        raise ValueError(f"Onbekende cluster '{cluster}'. Kies uit: {', '.join(CLUSTERS)}.")
    return tuple(b for b in BOUWSTENEN if b.cluster == cluster)


# --------------------------------------------------------------------------- the scale

#: The instruction as the source words it (L6800; "0 tot 5" although only 1–5 are defined).
SCALE_INSTRUCTION = "Geef jezelf een cijfers van 0 tot 5 per bouwsteen."

#: Score → the source's text (L6801).
SCALE: dict[int, str] = {
    1: "nog niet op ingezet",
    2: "al eens over nagedacht",
    3: "jullie zijn er (intern of met partners) constructief over aan het overleggen",
    4: "jullie ondernemen actie rond deze bouwsteen",
    5: "jullie ondernemen actie en stuurden al bij",
}
NOT_SCORED_LABEL = "niet gescoord"

_SCORE_ERROR = "Een score is een geheel getal van 1 tot 5, of leeg voor niet gescoord"


def validate_score(value: Any) -> int | None:
    """A score as ``int`` 1–5, or ``None`` for niet gescoord.

    Niet gescoord: ``None``, NaN / ``pd.NA`` (an empty cell), an empty string,
    ``"niet gescoord"`` and 0 (the source's "0 tot 5" defines no 0). Whole floats
    (``4.0``) and digit strings (``" 4 "``) are accepted; anything else, including
    ``True``/``False``, raises a ``ValueError`` with a Dutch sentence.
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{_SCORE_ERROR}, geen ja/nee-waarde ({value!r}).")
    if isinstance(value, str):
        text = value.strip()
        if text == "" or text.lower() == NOT_SCORED_LABEL:
            return None
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"{_SCORE_ERROR}; '{value}' is geen getal.")
        number = int(text)
    elif isinstance(value, numbers.Integral):
        number = int(value)
    elif isinstance(value, numbers.Real):
        fvalue = float(value)
        if math.isnan(fvalue):
            return None
        if not fvalue.is_integer():
            raise ValueError(f"{_SCORE_ERROR}; {format_number(fvalue, 1)} is geen geheel getal.")
        number = int(fvalue)
    else:
        raise ValueError(f"{_SCORE_ERROR}; '{value}' is geen getal.")
    if number == 0:
        return None
    if number not in SCALE:
        raise ValueError(f"{_SCORE_ERROR}; {number} ligt buiten 1 tot 5.")
    return number


def scale_text(score: Any) -> str:
    """The source's text for a score, or "niet gescoord"."""
    valid = validate_score(score)
    return NOT_SCORED_LABEL if valid is None else SCALE[valid]


# --------------------------------------------------------------------------- bands

#: Band → the scores it covers (L6802-6807).
BAND_SCORES: dict[str, tuple[int, ...]] = {"laag": (1, 2, 3), "hoog": (4, 5)}
#: Band → the source's question that introduces the band, with its score range.
BAND_HEADINGS: dict[str, str] = {
    "laag": "Aan welke bouwstenen kan je nog werken? (score 1 tot en met 3)",
    "hoog": "Op welke bouwstenen zet je momenteel in? (score 4 tot en met 5)",
}
#: Band → the follow-up question (L6805, L6807).
BAND_QUESTIONS: dict[str, str] = {
    "laag": "Hoe wil je dit doen?",
    "hoog": "Bots je hierbij op bepaalde drempels?",
}
#: The hint the source gives with the "hoog" follow-up question (L6805).
BAND_HINTS: dict[str, str] = {
    "hoog": "Neem dan zeker nog een kijkje bij de specifieke bouwsteen.",
}


def band(score: Any) -> str | None:
    """ "laag" for 1–3, "hoog" for 4–5, ``None`` when not scored."""
    valid = validate_score(score)
    if valid is None:
        return None
    return "hoog" if valid >= 4 else "laag"


def band_question(score: Any) -> str:
    """The follow-up question for a score: "Hoe wil je dit doen?" (1–3) or
    "Bots je hierbij op bepaalde drempels?" (4–5). A score that is not given has no
    band: ``ValueError``."""
    b = band(score)
    if b is None:
        raise ValueError("Zonder score is er geen vervolgvraag: geef eerst een score van 1 tot 5.")
    return BAND_QUESTIONS[b]


def reflection_prompts(bouwsteen: Bouwsteen | str, score: Any) -> list[str]:
    """The prompts that fit a score, in order.

    * 1–3: "Hoe wil je dit doen?", then the bouwsteen's ``questions``;
    * 4–5: "Bots je hierbij op bepaalde drempels?", then ``questions`` and the
      ``action_questions`` (about actions that already run);
    * niet gescoord: the ``questions`` only.
    """
    b = by_code(bouwsteen) if isinstance(bouwsteen, str) else bouwsteen
    level = band(score)
    if level is None:
        return list(b.questions)
    prompts = [BAND_QUESTIONS[level], *b.questions]
    if level == "hoog":
        prompts.extend(b.action_questions)
    return prompts


# --------------------------------------------------------------------------- summaries of one set of scores


def checked_scores(scores: Mapping[str, Any]) -> dict[str, int | None]:
    """Every bouwsteen code → a valid score (missing codes are niet gescoord)."""
    unknown = [code for code in scores if code not in BOUWSTEEN_BY_CODE]
    if unknown:
        raise UnknownBouwsteen(unknown[0])
    out: dict[str, int | None] = {}
    for b in BOUWSTENEN:
        try:
            out[b.code] = validate_score(scores.get(b.code))
        except ValueError as exc:
            raise ValueError(f"{b.name}: {exc}") from None
    return out


def cluster_means(scores: Mapping[str, Any]) -> dict[str, float | None]:
    """Cluster code → mean of its scored bouwstenen (``None`` when none is scored),
    in ``CLUSTERS`` order. Not scored bouwstenen are left out of the mean, not counted as 0."""
    checked = checked_scores(scores)
    out: dict[str, float | None] = {}
    for cluster in CLUSTERS:
        values = [checked[b.code] for b in in_cluster(cluster) if checked[b.code] is not None]
        out[cluster] = statistics.fmean(values) if values else None
    return out


def light_bouwstenen(scores: Mapping[str, Any], threshold: int = 2) -> list[str]:
    """Codes of the "lichte" bouwstenen, in source order: scored and at most ``threshold``.

    With the default 2 these are "nog niet op ingezet" and "al eens over nagedacht":
    nothing is discussed or done yet. Not scored bouwstenen are never light (nobody
    said so). For light in the source's sense of seed 000 ("weinig acties"), see
    ``light_by_actions``.
    """
    checked = checked_scores(scores)
    return [code for code, score in checked.items() if score is not None and score <= threshold]


#: Column of ``score_table`` → Dutch header for display.
SCORE_TABLE_HEADERS: dict[str, str] = {
    "number": "Nr.",
    "code": "Code",
    "name": "Bouwsteen",
    "cluster": "Cluster",
    "score": "Score",
    "scale_text": "Betekenis",
    "band": "Vervolgvraag",
}


def score_table(scores: Mapping[str, Any]) -> pd.DataFrame:
    """One row per bouwsteen in source order.

    Columns: number, code, name, cluster (Dutch label), score (nullable Int64),
    scale_text (the source's text or "niet gescoord"), band ("laag"/"hoog", or None
    in an object column).
    ``SCORE_TABLE_HEADERS`` gives Dutch headers.
    """
    checked = checked_scores(scores)
    rows = [
        {
            "number": b.number,
            "code": b.code,
            "name": b.name,
            "cluster": b.cluster_label,
            "score": checked[b.code],
            "scale_text": scale_text(checked[b.code]),
            "band": band(checked[b.code]),
        }
        for b in BOUWSTENEN
    ]
    frame = pd.DataFrame(rows, columns=list(SCORE_TABLE_HEADERS))
    frame["score"] = frame["score"].astype("Int64")
    frame["band"] = pd.Series([row["band"] for row in rows], dtype=object)  # None, not NaN, when not scored
    return frame


# --------------------------------------------------------------------------- poll results

#: ``spread``: a poll is disputed when at least this share of the answers lies more
#: than one point from the median.
DISPUTE_SHARE = 0.25


@dataclass(frozen=True)
class Spread:
    """Summary of the answers of one poll question (one bouwsteen).

    ``disagreement``: share (0–1) of the scored answers more than 1 point from the
    median; ``None`` without answers. ``is_disputed``: ``n >= 2`` and
    ``disagreement >= DISPUTE_SHARE``.
    """

    n: int
    not_scored: int
    median: float | None
    minimum: int | None
    maximum: int | None
    disagreement: float | None
    is_disputed: bool

    @property
    def far_from_median(self) -> int:
        """How many answers lie more than 1 point from the median."""
        return 0 if self.disagreement is None else round(self.disagreement * self.n)


def _checked_values(values: Iterable[Any]) -> list[int | None]:
    return [validate_score(v) for v in values]


def distribution(values: Iterable[Any]) -> dict[int, int]:
    """Count per score 1–5 (zeros included); not scored answers are left out."""
    counts = {score: 0 for score in SCALE}
    for v in _checked_values(values):
        if v is not None:
            counts[v] += 1
    return counts


def spread(values: Iterable[Any]) -> Spread:
    """n, not scored, median, min, max and the disagreement of a poll's answers."""
    checked = _checked_values(values)
    scored = [v for v in checked if v is not None]
    not_scored = len(checked) - len(scored)
    if not scored:
        return Spread(0, not_scored, None, None, None, None, False)
    median = float(statistics.median(scored))
    far = sum(1 for v in scored if abs(v - median) > 1)
    share = far / len(scored)
    return Spread(
        n=len(scored),
        not_scored=not_scored,
        median=median,
        minimum=min(scored),
        maximum=max(scored),
        disagreement=share,
        is_disputed=len(scored) >= 2 and share >= DISPUTE_SHARE,
    )


def describe_spread(s: Spread) -> str:
    """One Dutch sentence for a facilitator screen."""
    if s.n == 0:
        return "Nog geen scores."
    answers = "1 score" if s.n == 1 else f"{s.n} scores"
    median = format_number(s.median, 0 if s.median is not None and s.median.is_integer() else 1)
    text = f"{answers}, mediaan {median} (van {s.minimum} tot {s.maximum})."
    if s.is_disputed:
        verb = "ligt" if s.far_from_median == 1 else "liggen"
        text += (
            f" Meningen lopen uiteen: {s.far_from_median} van de {s.n} scores {verb} meer dan 1 punt van de mediaan."
        )
    elif s.n >= 2 and s.minimum == s.maximum:
        text += " Iedereen gaf dezelfde score."
    return text


# --------------------------------------------------------------------------- actions

#: Status code → Dutch label, with the step of seed 000 it comes from.
ACTION_STATUSES: dict[str, str] = {
    "lopend": "Lopend: acties waarop je momenteel inzet",
    "gepland": "Gepland: acties die gepland zijn",
    "gemist": "Gemist: acties die nog ontbreken",
}
#: Status code → the reflection questions of that step (seed 000).
STATUS_QUESTIONS: dict[str, tuple[str, ...]] = {
    "lopend": (
        "Welke acties leiden al merkbaar tot minder mazen en meer net?",
        "Voor welke actie/bouwsteen bots je op moeilijkheden of weerstand?",
        "In welke mate worden acties blijvend opgenomen door een samenwerkingsverband met partners en/of bewoners?",
    ),
    "gepland": (
        "Zijn de capaciteiten en competenties aanwezig om de actie te kunnen opnemen?",
        "In welke mate treden er hindernissen op om bepaalde geplande acties te kunnen opnemen?",
        "In hoeverre is een aanpak of strategie uitgewerkt om partners voor de geplande acties te betrekken?",
        "Zijn er al acties geschrapt of naar een later tijdstip geschoven en wat was de reden?",
    ),
    "gemist": (
        "Welke acties voor welke bouwstenen ontbreken nog om tegemoet te komen aan de kenmerken van een zorgzame "
        "buurt / de visie / de knelpunten uit de buurtanalyse?",
        "In welke mate valt er een bouwsteen 'licht' uit met weinig acties?",
        "Hoe ga je mogelijkheden verkennen om nieuwe acties op te nemen?",
    ),
}

#: Participation level code → (label, one-line explanation), from least to most
#: influence, as the participatiewiel of the package (L4493-4498). Seed 001 names
#: the first five; the package adds zelfbestuur.
PARTICIPATION_LEVELS: dict[str, tuple[str, str]] = {
    "informeren": (
        "Informeren",
        "De burger is geïnformeerd over de activiteiten en plannen, bv. een infoavond, een brief of een flyer.",
    ),
    "raadplegen": (
        "Raadplegen",
        "Je polst naar wat burgers of professionals vinden van een bepaald idee of voorstel, "
        "bv. een focusgroep of een enquête.",
    ),
    "adviseren": (
        "Adviseren",
        "Deelnemers mogen advies geven; je licht toe waarom er wel of niet op bepaalde ideeën wordt ingegaan.",
    ),
    "coproduceren": (
        "Coproduceren",
        "Deelnemers denken mee over de concrete uitwerking; finale beslissingen worden "
        "nog altijd gemaakt door het lokaal bestuur of de organisatie.",
    ),
    "meebeslissen": (
        "(Mee)beslissen",
        "De burger is echt een vaste partner van het beleid; ideeën zijn niet meer vrijblijvend om op in te gaan.",
    ),
    "zelfbestuur": ("Zelfbestuur", "De burger beslist, organiseert, voert uit en is (eind)verantwoordelijke."),
}

#: Place of an action that covers the whole municipality (not placed on the map).
MUNICIPALITY_WIDE = "gemeentebreed"

# A generous box around Belgium (EPSG:4326) for action points.
_LON_RANGE = (2.3, 6.6)
_LAT_RANGE = (49.4, 51.6)

Place = str | tuple[float, float]


@dataclass(frozen=True)
class Action:
    """One action (initiative) on the referentiekader board.

    ``place``: ``"gemeentebreed"``, a statistical-sector code, or a (lon, lat) point in
    EPSG:4326. ``participation``: a ``PARTICIPATION_LEVELS`` code or ``None`` (not given).
    Build one with ``validate_action``.
    """

    title: str
    bouwstenen: tuple[str, ...]
    status: str
    partners: tuple[str, ...] = ()
    participation: str | None = None
    place: Place = MUNICIPALITY_WIDE
    notes: str = ""

    @property
    def is_municipality_wide(self) -> bool:
        return self.place == MUNICIPALITY_WIDE

    @property
    def point(self) -> tuple[float, float] | None:
        return self.place if isinstance(self.place, tuple) else None

    @property
    def sector(self) -> str | None:
        return self.place if isinstance(self.place, str) and self.place != MUNICIPALITY_WIDE else None


class ActionError(ValueError):
    """Invalid action: ``errors`` holds one Dutch sentence per problem."""

    def __init__(self, errors: Sequence[str]):
        super().__init__(" ".join(errors))
        self.errors = list(errors)


def _as_text_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _validate_place(place: Any, errors: list[str]) -> Place:
    if place is None or (isinstance(place, str) and place.strip().lower() in ("", MUNICIPALITY_WIDE)):
        return MUNICIPALITY_WIDE
    if isinstance(place, str):
        code = normalise_sector_code(place)
        if not is_sector_code(code):
            errors.append(f"Plaats '{place}' is geen statistische sector (zoals 13004A001) en niet 'gemeentebreed'.")
        return code
    try:
        lon, lat = place
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        errors.append("Plaats is 'gemeentebreed', een statistische sector of een punt (lengtegraad, breedtegraad).")
        return MUNICIPALITY_WIDE
    if not (_LON_RANGE[0] <= lon <= _LON_RANGE[1] and _LAT_RANGE[0] <= lat <= _LAT_RANGE[1]):
        errors.append(
            f"Het punt ({format_number(lon, 4)}; {format_number(lat, 4)}) ligt niet in België: "
            "geef eerst de lengtegraad, dan de breedtegraad."
        )
    return (lon, lat)


def validate_action(
    title: Any,
    bouwstenen: Any,
    status: Any,
    partners: Any = (),
    participation: Any = None,
    place: Any = MUNICIPALITY_WIDE,
    notes: Any = "",
) -> Action:
    """An ``Action`` from form input, or ``ActionError`` listing every problem in Dutch.

    Texts are stripped; empty partners are dropped and duplicates kept once; bouwsteen
    codes keep their order without duplicates; a sector code is normalised.
    """
    errors: list[str] = []
    title_text = title.strip() if isinstance(title, str) else ""
    if not title_text:
        errors.append("Geef de actie een titel.")

    codes: list[str] = []
    unknown = False
    for code in _as_text_list(bouwstenen):
        if not isinstance(code, str) or code not in BOUWSTEEN_BY_CODE:
            errors.append(str(UnknownBouwsteen(code)))
            unknown = True
        elif code not in codes:
            codes.append(code)
    if not codes and not unknown:
        errors.append("Kies minstens één bouwsteen voor de actie.")

    if status not in ACTION_STATUSES:
        errors.append(f"Onbekende status '{status}'. Kies uit: {', '.join(ACTION_STATUSES)}.")

    partner_list: list[str] = []
    for partner in _as_text_list(partners):
        if not isinstance(partner, str):
            errors.append(f"Partner '{partner}' is geen tekst.")
            continue
        name = partner.strip()
        if name and name not in partner_list:
            partner_list.append(name)

    if participation in ("", None):
        participation = None
    elif participation not in PARTICIPATION_LEVELS:
        errors.append(f"Onbekend participatieniveau '{participation}'. Kies uit: {', '.join(PARTICIPATION_LEVELS)}.")

    checked_place = _validate_place(place, errors)

    if notes is None:
        notes = ""
    if not isinstance(notes, str):
        errors.append("Notities zijn tekst.")
        notes = ""

    if errors:
        raise ActionError(errors)
    return Action(
        title=title_text,
        bouwstenen=tuple(codes),
        status=status,
        partners=tuple(partner_list),
        participation=participation,
        place=checked_place,
        notes=notes.strip(),
    )


def place_label(action: Action) -> str:
    """The place in Dutch: "gemeentebreed", "sector 13004A001" or "punt 4,4025; 51,2194"."""
    if action.is_municipality_wide:
        return MUNICIPALITY_WIDE
    if action.sector is not None:
        return f"sector {action.sector}"
    lon, lat = action.point  # type: ignore[misc]
    return f"punt {format_number(lon, 4)}; {format_number(lat, 4)}"


#: Column of ``action_balance`` → Dutch header for display.
BALANCE_HEADERS: dict[str, str] = {
    "number": "Nr.",
    "code": "Code",
    "name": "Bouwsteen",
    "cluster": "Cluster",
    "lopend": "Lopend",
    "gepland": "Gepland",
    "gemist": "Gemist",
    "total": "Totaal",
}


def action_balance(actions: Iterable[Action]) -> pd.DataFrame:
    """Per bouwsteen (all 9, source order): the number of actions per status and the total.

    An action on several bouwstenen counts once for each of them, so the column sums
    can exceed the number of actions.
    """
    counts = {b.code: {status: 0 for status in ACTION_STATUSES} for b in BOUWSTENEN}
    for action in actions:
        for code in action.bouwstenen:
            counts[by_code(code).code][action.status] += 1
    rows = []
    for b in BOUWSTENEN:
        row: dict[str, Any] = {"number": b.number, "code": b.code, "name": b.name, "cluster": b.cluster_label}
        row.update(counts[b.code])
        row["total"] = sum(counts[b.code].values())
        rows.append(row)
    return pd.DataFrame(rows, columns=list(BALANCE_HEADERS))


def light_by_actions(actions: Iterable[Action], min_actions: int = 1) -> list[str]:
    """Codes of the bouwstenen that "licht uitvallen met weinig acties" (seed 000): fewer
    than ``min_actions`` actions that are lopend or gepland (gemist ones do not count)."""
    table = action_balance(actions)
    active = table["lopend"] + table["gepland"]
    return table.loc[active < min_actions, "code"].tolist()
