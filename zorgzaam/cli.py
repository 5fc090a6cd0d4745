"""Command line for analysts and scripts: ``python -m zorgzaam <command>``."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import pandas as pd

from .areas import LEVEL_BY_CODE, LEVEL_CODES, UnknownLevel
from .catalogue import BUILTIN, UnknownIndicator
from .engine import RESULT_COLUMNS, EngineError, compute
from .spreadsheet import csv_text
from .store import Store, StoreError, close_all, default_path, demo_path

__all__ = ["build_parser", "main"]


class CliError(Exception):
    """One Dutch line for the user; exit code 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own messages are English
        self.exit(2, f"Fout: ongeldige opdracht ({message}). Zie 'python -m zorgzaam --help'.\n")


def _open(args: argparse.Namespace, must_exist: bool = True) -> Store:
    path = Path(args.db) if args.db else default_path()
    if must_exist and not path.exists() and not args.db and demo_path().exists():
        path = demo_path()  # nothing imported yet: the demo answers
    if must_exist and not path.exists():
        raise CliError(f"De databank {path} bestaat nog niet. Maak de demo met 'python -m zorgzaam demo'.")
    return Store.open(path)


def _area_level(store: Store, code: str) -> tuple[str, str]:
    found = store.find_area(code)
    if found.empty:
        raise CliError(f"Gebied '{code}' bestaat niet in de databank.")
    if len(found) > 1:
        levels = ", ".join(found["level"])
        raise CliError(f"Code '{code}' bestaat op meerdere niveaus ({levels}); geef het niveau als NIVEAU:CODE.")
    return found["level"].iloc[0], code


def _parse_area(store: Store, text: str) -> tuple[str, str]:
    if ":" in text:
        lvl, code = text.split(":", 1)
        if lvl not in LEVEL_BY_CODE:
            raise UnknownLevel(lvl)
        if store.find_area(code, lvl).empty:
            raise CliError(f"Gebied '{code}' ({lvl}) bestaat niet in de databank.")
        return lvl, code
    return _area_level(store, text)


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import install_demo

    if not args.db:
        args.db = str(demo_path())  # the demo never goes into the own database
    store = _open(args, must_exist=False)
    if args.if_missing and store.has_demo():
        print(f"Demodatabank staat al klaar: {store.path}")
        return 0
    install_demo(store)
    print(f"Demodatabank gebouwd: {store.path}")
    return 0


def cmd_access(args: argparse.Namespace) -> int:
    from .access import compute_and_store_access

    store = _open(args)
    with_cells = store.grid_datasets("inwoners")
    if args.dataset:
        if args.dataset not in with_cells:
            raise CliError(
                f"Dataset '{args.dataset}' heeft geen hectarecellen met inwoners."
                + (f" Wel: {', '.join(with_cells)}." if with_cells else "")
            )
        dataset = args.dataset
    elif not with_cells:
        raise CliError(
            "Geen hectarecellen met inwoners in de databank: er valt geen bereikbaarheid te berekenen. "
            "Importeer eerst een bevolkingsraster (inwoners per ha)."
        )
    elif store.has_own_data():
        dataset = None  # imported layers come from separate files: combine them all
    elif len(with_cells) == 1:
        dataset = with_cells[0]
    else:
        raise CliError(f"Meerdere datasets met hectarecellen ({', '.join(with_cells)}); kies er een met --dataset.")
    periods = store.periods(["pop_total"])
    period = args.period or (periods[-1] if periods else None)
    if period is None:
        raise CliError("Geen inwonersaantallen in de databank: geef een periode met --period.")
    try:
        summary = compute_and_store_access(store, dataset, period)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    print(summary.text())
    return 0


#: ``--extra`` kinds in Dutch → ``catalogue.EXTRA_KINDS``.
EXTRA_KIND_WORDS = {"telling": "count", "verhouding": "ratio", "score": "score"}
MAP_SYNTAX = "--map KOLOM=CODE (een code uit 'python -m zorgzaam indicators' of een telling, of - om over te slaan)"


def import_mapping(maps: list[str], extras: list[str], store: Store) -> dict:
    """``--map KOLOM=CODE`` and ``--extra KOLOM=SOORT:NAAM:EENHEID[:KOLOM2]`` as column targets.

    CODE: a catalogue base count or indicator, an own indicator the werkgroep made before (its code),
    or ``-`` (not imported). Raises CliError (Dutch) for an unknown code or a malformed choice."""
    from .importers import ImportProblem
    from .importers.figures import ColumnTarget, catalogue_targets, remembered_mapping

    targets = {**catalogue_targets(), **{c: ColumnTarget("base", c) for c in BUILTIN.base_counts}}  # a count first
    own = {}
    for target in remembered_mapping(store).values():
        if target.kind == "extra":
            own[str(target.code)] = target
            own[target.indicator()[1].code] = target
    out = {}
    for item in maps:
        column, sep, code = item.rpartition("=")
        column, code = column.strip(), code.strip()
        if not sep or not column or not code:
            raise CliError(f"'{item}' is geen koppeling: schrijf {MAP_SYNTAX}.")
        if code in ("-", "skip"):
            out[column] = ColumnTarget("skip")
        elif code in targets:
            out[column] = targets[code]
        elif code in own:
            out[column] = own[code]
        else:
            raise CliError(
                f"Onbekende code '{code}' in --map {column}={code}: kies een telling of indicator uit de "
                "catalogus (zie 'python -m zorgzaam indicators'), bv. pop_total, of - om de kolom over te "
                "slaan."
            )
    for item in extras:
        column, sep, spec = item.partition("=")
        parts = [p.strip() for p in spec.split(":")]
        if not sep or len(parts) not in (3, 4) or parts[0] not in EXTRA_KIND_WORDS:
            raise CliError(
                f"'{item}' is geen eigen indicator: schrijf --extra KOLOM=SOORT:NAAM:EENHEID[:KOLOM2] met "
                "SOORT telling, verhouding (KOLOM2 = de noemer) of score (KOLOM2 = een gewicht, optioneel)."
            )
        kind = EXTRA_KIND_WORDS[parts[0]]
        try:
            out[column.strip()] = ColumnTarget.extra(
                parts[1], parts[2], measure=kind, other_column=parts[3] if len(parts) == 4 else None
            )
        except ImportProblem as exc:
            raise CliError(f"--extra {column.strip()}: {exc}") from exc
    return out


def cmd_import(args: argparse.Namespace) -> int:
    """Preview and import files; each file is written all-or-nothing, area files before figures
    (``importers.run.import_datasets``); the first file that fails stops the import."""
    import tempfile

    from .importers import ImportPlan, ImportProblem, SourceFile
    from .importers.figures import remember_mapping
    from .importers.files import collect
    from .importers.run import Outcome, import_datasets, plan_datasets

    store = _open(args, must_exist=False)
    mapping = import_mapping(args.map, args.extra, store)

    def before_write(plan: ImportPlan) -> bool:
        print("\n".join(plan.preview.lines()))
        if plan.lacking_period and not plan.writes_something:
            raise CliError(
                f"Uit de kolomnamen van {', '.join(plan.preview.file_names)} blijkt niet over "
                f"welk jaar de cijfers gaan ({', '.join(plan.lacking_period)}): geef het met "
                "--period JAAR, bv. --period 2025."
            )
        if plan.unmapped_columns and not plan.writes_something:
            first = plan.unmapped_columns[0]
            raise CliError(
                f"Geen enkele kolom van {', '.join(plan.preview.file_names)} is gekoppeld; "
                f"koppel {', '.join(plan.unmapped_columns[:12])}"
                + (" …" if len(plan.unmapped_columns) > 12 else "")
                + f" met {MAP_SYNTAX}, bv. --map {first}=pop_total of --map {first}=-."
            )
        if plan.unmapped_columns:
            print(f"Koppel de overige kolommen met {MAP_SYNTAX}, of op de pagina Gegevens.")
        if args.dry_run:
            print("(proefdraai: niets bewaard)\n")
            return False
        if not plan.writes_something:
            print("Niets te bewaren uit dit bestand.\n")
            return False
        return True

    def on_outcome(outcome: Outcome) -> None:
        if outcome.error is not None:  # the first failure stops the import (what was written stays)
            if isinstance(outcome.error, ImportProblem):
                raise CliError(str(outcome.error)) from outcome.error
            raise outcome.error
        if outcome.ok and outcome.plan is not None:
            plan = outcome.plan
            if mapping and plan.value_columns:  # remember the choices (and write own indicators)
                remember_mapping(
                    store,
                    {c: t for c, t in mapping.items() if c in plan.value_columns},
                    {c: f"eigen bestand, {plan.preview.file_names[0]}" for c in mapping},
                )
            print(f"Bewaard als dataset '{plan.dataset_id}'.\n")

    try:
        sources = [SourceFile.from_path(p) for p in args.files]
        with tempfile.TemporaryDirectory(prefix="zorgzaam-import-") as workdir:
            datasets = collect(sources, workdir=workdir)
            periods = {ds.name: args.period for ds in datasets} if args.period is not None else None
            items = plan_datasets(datasets, store, mapping, periods=periods)
            if len(items) == 1 and items[0].problem is not None:
                raise items[0].problem
            outcomes = import_datasets(
                store,
                items,
                mapping,
                periods=periods,
                progress=lambda fraction, label, what: print(f"  … {what}", file=sys.stderr),
                before_write=before_write,
                on_outcome=on_outcome,
            )
    except ImportProblem as exc:
        raise CliError(str(exc)) from exc
    if not args.dry_run:
        print(f"{sum(o.ok for o in outcomes)} import(s) bewaard in {store.path}.")
    return 0


REPORT_FORMATS = ("pdf", "html", "xlsx", "csv")


def report_scope(store: Store, codes: list[str]) -> dict:
    """``--area`` codes → the scope of a report: sectors, or one municipality, or one care zone."""
    levels = {}
    for code in codes:
        found = store.find_area(code)
        if found.empty:
            raise CliError(f"Gebied '{code}' staat niet in de databank. Zoek codes met 'python -m zorgzaam query'.")
        levels[code] = found["level"].iloc[0] if len(found) == 1 else sorted(found["level"])[0]
    kinds = set(levels.values())
    if kinds == {"statsec"}:
        return {"sector_codes": list(codes)}
    if len(codes) == 1 and kinds <= {"gemeente", "elz"}:
        return {"municipality": codes[0]} if kinds == {"gemeente"} else {"elz": codes[0]}
    raise CliError(
        "Geef één of meer statistische sectoren, of één gemeente of één eerstelijnszone "
        f"(gekregen: {', '.join(f'{c} ({lv})' for c, lv in levels.items())})."
    )


def cmd_report(args: argparse.Namespace) -> int:
    """Build a sector profile (PDF/HTML) or the summary table (XLSX/CSV) for the given areas."""
    store = _open(args)
    scope = report_scope(store, args.area)
    fmt = args.format or Path(args.output).suffix.lstrip(".").lower()
    if fmt not in REPORT_FORMATS:
        raise CliError(f"Onbekend formaat '{fmt}'. Kies uit: {', '.join(REPORT_FORMATS)}.")
    try:
        if fmt in ("xlsx", "csv"):
            from .reports import summary_table

            build = summary_table.summary_xlsx if fmt == "xlsx" else summary_table.summary_csv
            data = build(store, period=args.period, team=args.team, **scope)
        else:
            from .reports import profile

            if "elz" in scope:
                raise CliError("Een profiel maakt zorgzaam per sector of per gemeente; geef een gemeente of sectoren.")
            doc = profile.build_profiles(store, period=args.period, team=args.team, **scope)
            data = profile.profile_pdf(doc) if fmt == "pdf" else profile.profile_html(doc).encode("utf-8")
    except (ValueError, LookupError) as exc:  # EngineError, StoreError … carry a Dutch message
        raise CliError(str(exc)) from exc
    out = Path(args.output)
    out.write_bytes(data)
    print(f"{fmt.upper()} geschreven: {out} ({len(data) / 1024:,.0f} kB)".replace(",", "."))
    return 0


MINUTES_FORMATS = ("pdf", "docx", "html")


def cmd_meetings(args: argparse.Namespace) -> int:
    """The werkgroep meetings in the database (optionally of one team), newest first."""
    from . import meetings

    store = _open(args)
    if args.finish or args.delete:
        return _meeting_lost_link(store, args)
    if args.yes:
        raise CliError("--yes hoort bij --delete ID.")
    rows = [
        {
            "meeting_id": m.meeting_id,
            "team": m.team,
            "title": m.title,
            "date": m.meeting_date.isoformat(),
            "state": m.state,
            "steps": len(m.agenda),
            "planned_minutes": m.planned_minutes,
            "next_meeting": m.next_meeting.isoformat() if m.next_meeting else "",
        }
        for m in meetings.meetings(store, args.team)
    ]
    columns = ["meeting_id", "team", "title", "date", "state", "steps", "planned_minutes", "next_meeting"]
    if args.format == "csv":
        csv_text(pd.DataFrame(rows, columns=columns)).to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        print("Nog geen bijeenkomsten.")
    else:
        for r in rows:
            print(
                f"{r['meeting_id']}  {r['date']}  {r['state']:<8}  {r['team']}: {r['title']} "
                f"({r['steps']} stappen, {r['planned_minutes']} min)"
            )
    return 0


def _meeting_lost_link(store: Store, args: argparse.Namespace) -> int:
    """``meetings --finish ID`` / ``--delete ID --yes``: a meeting whose facilitator link is lost."""
    from . import meetings
    from .formatting import format_date

    if args.finish and args.delete:
        raise CliError("Geef --finish óf --delete, niet allebei.")
    meeting_id = args.finish or args.delete
    meeting = meetings.get(store, meeting_id)
    if meeting is None:
        raise CliError(f"Bijeenkomst '{meeting_id}' bestaat niet. Zoek de code met 'python -m zorgzaam meetings'.")
    try:
        if args.finish:
            if meeting.state == "afgerond":
                print(f"Bijeenkomst {meeting.meeting_id} ({meeting.title}) was al afgerond.")
                return 0
            _, saved = meetings.finish_lost(store, meeting.meeting_id, confirmed=True)
            print(
                f"Bijeenkomst {meeting.meeting_id} ({meeting.title}) afgesloten zonder begeleiderslink: de peiling "
                "is gesloten, de telefoons kunnen niet meer antwoorden en de begeleiderslink werkt niet meer. Het "
                f"verslag blijft beschikbaar: python -m zorgzaam minutes --meeting {meeting.meeting_id} "
                "--output verslag.pdf"
            )
            if saved is not None:
                print(
                    f"Zelfevaluatie bewaard: {saved.scored} bouwstenen voor {saved.team} op "
                    f"{format_date(saved.assessed_on)}."
                )
            return 0
        if not args.yes:
            raise CliError(
                f"Bijeenkomst {meeting.meeting_id} ({meeting.title}) niet verwijderd: bevestig met --yes. "
                f"{meetings.delete_consequences(meeting)}"
            )
        meetings.delete_lost(store, meeting.meeting_id, confirmed=True)
    except meetings.MeetingError as exc:
        raise CliError(str(exc)) from exc
    print(f"Bijeenkomst {meeting.meeting_id} ({meeting.title}) verwijderd.")
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    """Write the verslag of a meeting as PDF, Word or HTML."""
    from .reports.minutes import build_minutes
    from .reports.minutes_render import minutes_docx, minutes_html, minutes_pdf

    store = _open(args)
    fmt = args.format or Path(args.output).suffix.lstrip(".").lower()
    if fmt not in MINUTES_FORMATS:
        raise CliError(f"Onbekend formaat '{fmt}'. Kies uit: {', '.join(MINUTES_FORMATS)}.")
    try:
        doc = build_minutes(store, args.meeting)
    except (ValueError, LookupError) as exc:
        raise CliError(f"{exc} Zoek de code met 'python -m zorgzaam meetings'.") from exc
    data = {"pdf": minutes_pdf, "docx": minutes_docx}.get(fmt, lambda d: minutes_html(d).encode("utf-8"))(doc)
    out = Path(args.output)
    out.write_bytes(data)
    print(f"Verslag ({fmt.upper()}) geschreven: {out} ({len(data) / 1024:,.0f} kB)".replace(",", "."))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    store = _open(args)
    counts = dict(store.level_counts().itertuples(index=False))
    lines = [f"Databank: {store.path} (schemaversie {store.schema_version()})", "Gebiedsniveaus:"]
    for code in LEVEL_CODES:
        lines.append(f"  {code:<13} {counts.get(code, 0):>6}  {LEVEL_BY_CODE[code].plural}")
    periods = store.periods()
    lines.append("Perioden: " + (", ".join(periods) if periods else "geen"))
    lines.append(f"Indicatoren: {len(store.indicator_rows())}")
    lines.append("Gegevensbronnen:")
    for row in store.datasets().itertuples():
        demo = " [demo, fictief]" if row.is_demo else ""
        period = row.period_label if isinstance(row.period_label, str) and row.period_label else "?"
        lines.append(f"  {row.dataset_id}: {row.title} — bron: {row.source}, periode: {period}{demo}")
    print("\n".join(lines))
    return 0


def cmd_indicators(args: argparse.Namespace) -> int:
    rows = [
        {
            "code": i.code,
            "label": i.label,
            "theme": i.theme,
            "unit": i.unit,
            "denominator_kind": i.denominator_kind,
            "formula": i.formula,
            "source": i.source,
            "signals": ",".join(i.signals),
            "direction": i.direction,
            "definition": i.definition,
        }
        for i in BUILTIN.indicators.values()
    ]
    frame = pd.DataFrame(rows)
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for theme, inds in BUILTIN.by_theme().items():
            print(f"\n{theme.upper()}")
            for i in inds:
                print(f"  {i.code:<36} {i.label} [{i.unit}] = {i.formula}")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    store = _open(args)
    if args.area and args.level:
        raise CliError("Geef --area óf --level, niet allebei.")
    if args.within and not args.level:
        raise CliError("--within kan enkel samen met --level.")
    if args.area:
        result = compute(store, [args.indicator], areas=[_parse_area(store, a) for a in args.area], period=args.period)
    else:
        within = _parse_area(store, args.within) if args.within else None
        result = compute(store, [args.indicator], level=args.level or "statsec", within=within, period=args.period)
        if args.period and result["status"].eq("ontbrekend").all():
            raise CliError(f"Geen cijfers voor periode {args.period}. Beschikbaar: {', '.join(store.periods())}.")
    write_result(result, args.format, sys.stdout)
    return 0


def write_result(result: pd.DataFrame, fmt: str, out) -> None:
    result = result[RESULT_COLUMNS]
    if fmt == "json":
        records = [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
            for rec in result.to_dict(orient="records")
        ]
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    else:
        csv_text(result).to_csv(out, index=False)  # area names come from files


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m zorgzaam", description="zorgzaam: cijfers voor zorgzame buurten.")
    parser.add_argument("--db", help="pad naar de databank (standaard: $ZORGZAAM_DB of data/zorgzaam.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = sub.add_parser("demo", help="bouw de demodatabank (fictieve eerstelijnszone)")
    demo.add_argument("--if-missing", action="store_true", help="niets doen als de demo er al is")
    demo.add_argument("--db", default=argparse.SUPPRESS)
    demo.set_defaults(func=cmd_demo)

    info = sub.add_parser("info", help="niveaus, aantallen, perioden en bronnen")
    info.add_argument("--db", default=argparse.SUPPRESS)
    info.set_defaults(func=cmd_info)

    inds = sub.add_parser("indicators", help="de indicatorencatalogus")
    inds.add_argument("--format", choices=["text", "csv", "json"], default="text")
    inds.add_argument("--db", default=argparse.SUPPRESS)
    inds.set_defaults(func=cmd_indicators)

    access = sub.add_parser("access", help="bereken de bereikbaarheid van voorzieningen en bus per hectarecel opnieuw")
    access.add_argument(
        "--dataset",
        help="één dataset met alle ruimtelijke lagen (standaard: alle geïmporteerde lagen samen, of de demo)",
    )
    access.add_argument("--period", help="periode van de leeftijdsaantallen, bv. 2025 (standaard: de laatste)")
    access.add_argument("--db", default=argparse.SUPPRESS)
    access.set_defaults(func=cmd_access)

    report = sub.add_parser("report", help="sectorprofiel (pdf, html) of samenvattende tabel (xlsx, csv)")
    report.add_argument(
        "--area", action="append", required=True, help="sectorcode (herhaalbaar), of één gemeente- of zonecode"
    )
    report.add_argument("--format", choices=REPORT_FORMATS, help="standaard: volgens de extensie van --output")
    report.add_argument("--output", required=True, help="het bestand om te schrijven")
    report.add_argument("--period", help="periode, bv. 2025 (standaard: de laatste)")
    report.add_argument("--team", help="werkgroep (voor notities, bouwstenen en peilingen)")
    report.add_argument("--db", default=argparse.SUPPRESS)
    report.set_defaults(func=cmd_report)

    meet = sub.add_parser("meetings", help="de bijeenkomsten van de werkgroepen")
    meet.add_argument("--team", help="alleen de bijeenkomsten van deze werkgroep")
    meet.add_argument("--format", choices=("table", "csv", "json"), default="table")
    meet.add_argument(
        "--finish",
        metavar="ID",
        help="sluit een lopende bijeenkomst af zonder begeleiderslink "
        "(de peiling sluit, de link werkt niet meer; het verslag blijft)",
    )
    meet.add_argument(
        "--delete",
        metavar="ID",
        help="verwijder een bijeenkomst (met notities; geen verslag meer); alleen samen met --yes",
    )
    meet.add_argument("--yes", action="store_true", help="bevestig --delete")
    meet.add_argument("--db", default=argparse.SUPPRESS)
    meet.set_defaults(func=cmd_meetings)

    mins = sub.add_parser("minutes", help="het verslag van een bijeenkomst (pdf, docx, html)")
    mins.add_argument("--meeting", required=True, help="de code van de bijeenkomst (zie 'meetings')")
    mins.add_argument("--format", choices=MINUTES_FORMATS, help="standaard: volgens de extensie van --output")
    mins.add_argument("--output", required=True, help="het bestand om te schrijven")
    mins.add_argument("--db", default=argparse.SUPPRESS)
    mins.set_defaults(func=cmd_minutes)

    imp = sub.add_parser("import", help="importeer bestanden (sectoren, gebiedsindeling, cijfers); eerst een voorbeeld")
    imp.add_argument("files", nargs="+", help="bestanden of zip-bestanden")
    imp.add_argument("--dry-run", action="store_true", help="enkel het voorbeeld tonen, niets bewaren")
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="KOLOM=CODE",
        help="koppel een kolom aan een telling of indicator (herhaalbaar), - = niet importeren",
    )
    imp.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="KOLOM=SOORT:NAAM:EENHEID[:KOLOM2]",
        help="een eigen indicator: SOORT telling, verhouding (KOLOM2 = noemer) of score (KOLOM2 = gewicht, optioneel)",
    )
    imp.add_argument("--period", help="jaar van een tabel zonder periodekolom (standaard: het jaar in de kolomnaam)")
    imp.add_argument("--db", default=argparse.SUPPRESS)
    imp.set_defaults(func=cmd_import)

    query = sub.add_parser("query", help="een indicator voor gebieden")
    query.add_argument("--indicator", required=True, help="indicatorcode, bv. pct_80plus")
    query.add_argument("--area", action="append", help="gebiedscode (herhaalbaar); NIVEAU:CODE bij twijfel")
    query.add_argument("--level", choices=LEVEL_CODES, help="alle gebieden van dit niveau")
    query.add_argument("--within", help="binnen dit gebied (code)")
    query.add_argument("--period", help="jaar, bv. 2025 (standaard: het laatste)")
    query.add_argument("--format", choices=["csv", "json"], default="csv")
    query.add_argument("--db", default=argparse.SUPPRESS)
    query.set_defaults(func=cmd_query)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CliError, StoreError, EngineError, UnknownIndicator, UnknownLevel) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
    finally:
        close_all()
