"""`malkoll`: the command line for analysts (refresh, export, the app).

Messages are in Swedish, like the app. Exit codes: 0 success, 1 a refresh or
build failed (one-line reason on stderr), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from malkoll import settings

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class Progress:
    """Progress lines on stderr; on a terminal each line overwrites the last."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()

    def __call__(self, message: str) -> None:
        if self.tty:
            self.stream.write("\r\033[K" + message)
        else:
            self.stream.write(message + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _error(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code


def cmd_refresh(args: argparse.Namespace) -> int:
    from etl.refresh import SOURCES, RefreshFailed, refresh

    unknown = [name for name in args.source or [] if name not in SOURCES]
    if unknown:  # a typo, not a failed refresh: nothing was tried
        return _error(f"okänd källa {', '.join(unknown)}; välj bland {', '.join(SOURCES)}", EXIT_BAD_INPUT)
    progress = Progress()
    try:
        outcome = refresh(settings.warehouse_path(), args.source or None, progress, args.record, full=args.full)
    except RefreshFailed as exc:
        progress.done()
        return _error(f"Uppdateringen misslyckades, lagret är oförändrat: {exc}", EXIT_FAILED)
    progress.done()
    print(outcome.report)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from malkoll.exports import write_export
    from warehouse.db import WarehouseMissingError
    from warehouse.read import export_observations

    try:
        frame = export_observations(settings.warehouse_path(), args.indicator, args.area)
    except WarehouseMissingError:
        return _error(f"Lagret {settings.warehouse_path()} finns inte. Kör `malkoll snapshot` eller "
                      "`malkoll refresh` först.", EXIT_BAD_INPUT)
    if frame.empty:
        return _error("Urvalet är tomt: inga värden för "
                      f"indikator={args.indicator or 'alla'}, område={args.area or 'alla'}. Ingen fil skrevs.",
                      EXIT_BAD_INPUT)
    fmt = args.format or (Path(args.out).suffix.lstrip(".") if args.out else "csv")
    if fmt not in ("csv", "xlsx"):
        return _error(f"okänt format {fmt!r}: välj csv eller xlsx", EXIT_BAD_INPUT)
    if fmt == "xlsx" and not args.out:
        return _error("Excel-export behöver --out FIL.xlsx", EXIT_BAD_INPUT)
    written = write_export(frame, Path(args.out) if args.out else None, fmt, stdout=sys.stdout)
    if written:
        print(f"Skrev {len(frame)} rader till {', '.join(map(str, written))}", file=sys.stderr)
    return EXIT_OK


def cmd_snapshot(args: argparse.Namespace) -> int:
    from etl.snapshot.build import build_snapshot

    result = build_snapshot(settings.warehouse_path())
    if result.published:
        print(f"Byggde {settings.warehouse_path()} från offline-ögonblicksbilden: {result.count('new')} nya, "
              f"{result.count('changed')} ändrade värden.")
    else:
        print("Offline-ögonblicksbilden finns redan i lagret; inget ändrades.")
    return EXIT_OK


def cmd_plan_check(args: argparse.Namespace) -> int:
    from malkoll.plan import PlanError, known_indicator_ids, load_plan

    known = known_indicator_ids(settings.warehouse_path())
    code = EXIT_OK
    for path in args.files:
        try:
            plan = load_plan(path, known)
        except PlanError as exc:
            print(f"{path}: {len(exc.problems)} fel; planen används inte:", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            code = EXIT_BAD_INPUT
            continue
        indicators = sum(len(g.indicators) for g in plan.goals)
        print(f"{path}: OK – {plan.name}: {len(plan.focus_areas)} fokusområden, {len(plan.goals)} mål, "
              f"{indicators} mätbara indikatorer.")
    return code


def _plans_for(args: argparse.Namespace) -> tuple[list, int]:
    """The plans named by --plan (or all in the plans folder), reporting refused ones."""
    from malkoll.plan import known_indicator_ids, load_plans_in_use, plan_files

    warehouse = settings.warehouse_path()
    paths = [Path(p) for p in args.plan] if args.plan else plan_files()
    loaded, code = [], EXIT_OK
    for item in load_plans_in_use(paths, known_indicator_ids(warehouse), warehouse):
        if item.error:
            fallback = ("; senast godkända versionen används i stället" if item.from_accepted_copy
                        else "; ingen tidigare godkänd version finns")
            print(f"{item.path} har fel och används inte{fallback}:\n{item.error}", file=sys.stderr)
            code = EXIT_BAD_INPUT
        if item.plan:
            loaded.append(item.plan)
    return loaded, code


def _require_warehouse() -> bool:
    if settings.warehouse_path().exists():
        return True
    print(f"Lagret {settings.warehouse_path()} finns inte. Kör `malkoll snapshot` eller `malkoll refresh` först.",
          file=sys.stderr)
    return False


def cmd_status(args: argparse.Namespace) -> int:
    import pandas as pd

    from malkoll.goal_status import plan_status
    from malkoll.status_table import as_text_table, status_frame

    if not _require_warehouse():
        return EXIT_BAD_INPUT
    plans, code = _plans_for(args)
    if not plans:
        return EXIT_BAD_INPUT
    frame = pd.concat([status_frame(p, plan_status(p, settings.warehouse_path())) for p in plans],
                      ignore_index=True)
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(frame.to_json(orient="records", force_ascii=False, indent=1))
    else:
        print(as_text_table(frame))
    return code


def cmd_report(args: argparse.Namespace) -> int:
    from malkoll.flags import history
    from malkoll.followup_report import build_report, write_report
    from malkoll.goal_status import plan_status
    from malkoll.plan import PlanError, known_indicator_ids, load_plan
    from warehouse.read import area_names

    if not _require_warehouse():
        return EXIT_BAD_INPUT
    if Path(args.out).suffix.lower() not in (".md", ".docx", ".pdf"):
        return _error("--out ska sluta på .md, .docx eller .pdf", EXIT_BAD_INPUT)
    try:
        plan = load_plan(args.plan, known_indicator_ids(settings.warehouse_path()))
    except PlanError as exc:
        return _error(f"{args.plan} används inte, den har fel:\n{exc}", EXIT_BAD_INPUT)
    warehouse = settings.warehouse_path()
    names = area_names(warehouse)
    flags: dict[str, list] = {}
    for flag in history(warehouse, plan.id):
        flags.setdefault(flag.goal_id, []).append(flag)
    report = build_report(plan, plan_status(plan, warehouse, until_year=args.year), args.year, names, flags)
    write_report(report, Path(args.out))
    print(f"Skrev uppföljningen {args.year} av {plan.name} till {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from etl.files.errors import FileRejected
    from etl.imports import import_file
    from warehouse.checks import DataCheckError
    from warehouse.publish import PublishBusyError

    if not _require_warehouse():
        return EXIT_BAD_INPUT
    try:
        outcome = import_file(Path(args.file), settings.warehouse_path(), args.kind, args.dry_run)
    except FileRejected as exc:
        return _error(f"Filen avvisades, inget laddades: {exc}", EXIT_BAD_INPUT)
    except OSError as exc:
        return _error(f"Kan inte läsa {args.file}: {exc.strerror or exc}", EXIT_BAD_INPUT)
    except (DataCheckError, PublishBusyError) as exc:
        return _error(f"Importen stoppades, lagret är oförändrat: {exc}", EXIT_FAILED)
    for warning in outcome.parsed.warnings:
        print(f"Obs: {warning}", file=sys.stderr)
    print(outcome.report)
    if args.dry_run:
        print("Kör utan --dry-run för att ladda.")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from etl.catalogue import load_catalogue
    from etl.imports import local_template
    from malkoll.plan import iter_loaded, known_indicator_ids

    plans = iter_loaded(known_indicator_ids())
    Path(args.out).write_text(local_template(plans, load_catalogue()), encoding="utf-8")
    print(f"Skrev mallen för lokala indikatorer till {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_user_add(args: argparse.Namespace) -> int:
    import getpass

    from malkoll.auth import UsersFileError, add_user, users_file

    try:
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Lösenord (minst 10 tecken): ")
            if getpass.getpass("Samma lösenord igen: ") != password:
                return _error("Användaren lades inte till: lösenorden var olika", EXIT_BAD_INPUT)
        login = add_user(args.login, password, args.role, args.name, replace=args.replace)
    except EOFError:
        return _error("Användaren lades inte till: inget lösenord lästes (använd --password-stdin i skript)",
                      EXIT_BAD_INPUT)
    except (ValueError, UsersFileError) as exc:
        return _error(f"Användaren lades inte till: {exc}", EXIT_BAD_INPUT)
    print(f"{login} ({args.role}) {'ändrad' if args.replace else 'tillagd'} i {users_file()}", file=sys.stderr)
    return EXIT_OK


def cmd_export_pack(args: argparse.Namespace) -> int:
    from malkoll.flags import latest_by_goal
    from malkoll.goal_status import plan_status
    from malkoll.meeting_pack import ImageError, build_pack
    from malkoll.plan import PlanError, known_indicator_ids, load_plan
    from warehouse.read import area_names

    if not _require_warehouse():
        return EXIT_BAD_INPUT
    warehouse = settings.warehouse_path()
    try:
        plan = load_plan(args.plan, known_indicator_ids(warehouse))
    except PlanError as exc:
        return _error(f"{args.plan} används inte, den har fel:\n{exc}", EXIT_BAD_INPUT)
    statuses = {g.goal.id: g for g in plan_status(plan, warehouse)}
    wanted = [g for g in (args.goals or "").split(",") if g] or [g for g, s in statuses.items() if s.indicators]
    unknown = [g for g in wanted if g not in statuses]
    if unknown:
        return _error(f"Målen {', '.join(unknown)} finns inte i {plan.id}.", EXIT_BAD_INPUT)
    if not wanted:
        return _error("Urvalet är tomt: inga mål att visa. Ingen fil skrevs.", EXIT_BAD_INPUT)
    names = area_names(warehouse)
    try:
        pack = build_pack(plan, [statuses[g] for g in wanted], warehouse, names, latest_by_goal(warehouse, plan.id))
    except ImageError as exc:
        return _error(str(exc), EXIT_FAILED)
    Path(args.out).write_bytes(pack)
    print(f"Skrev mötespaketet ({len(wanted)} mål) till {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_chart(args: argparse.Namespace) -> int:
    from malkoll.goal_status import plan_status
    from malkoll.meeting_pack import ImageError, chart_image, indicator_figure
    from malkoll.plan import known_indicator_ids, load_plan
    from warehouse.read import area_names

    if not _require_warehouse():
        return EXIT_BAD_INPUT
    warehouse = settings.warehouse_path()
    plan = load_plan(args.plan, known_indicator_ids(warehouse))
    goal = next((g for g in plan_status(plan, warehouse) if g.goal.id == args.goal), None)
    if goal is None or not any(s.points for s in goal.indicators):
        return _error(f"Målet {args.goal} finns inte i {plan.id} eller saknar värden. Ingen bild skrevs.",
                      EXIT_BAD_INPUT)
    shown = next(s for s in goal.indicators if s.points)
    names = area_names(warehouse)
    fmt = Path(args.out).suffix.lstrip(".").lower()
    if fmt not in ("png", "svg"):
        return _error("--out ska sluta på .png eller .svg", EXIT_BAD_INPUT)
    try:
        Path(args.out).write_bytes(chart_image(indicator_figure(shown, warehouse, names.get(shown.spec.area, "")), fmt))
    except ImageError as exc:
        return _error(str(exc), EXIT_FAILED)
    print(f"Skrev diagrammet till {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    from etl.snapshot.build import ensure_warehouse

    warehouse = settings.warehouse_path()
    if ensure_warehouse(warehouse):
        print(f"Byggde {warehouse} från offline-ögonblicksbilden.", file=sys.stderr)
    app = settings.PROJECT_ROOT / "app.py"
    argv = [sys.executable, "-m", "malkoll.serve", str(app), *args.streamlit_args]
    os.chdir(settings.PROJECT_ROOT)  # so .streamlit/config.toml applies
    os.environ["MALKOLL_WAREHOUSE"] = str(warehouse.resolve())
    os.execv(sys.executable, argv)
    return EXIT_OK  # pragma: no cover


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="malkoll", description="Målkoll: följ upp handlingsplaner mot levande data.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("refresh", help="hämta nya data från källorna och publicera ändringar")
    p.add_argument("--source", action="append", help="bara denna källa (kan upprepas), t.ex. kolada")
    p.add_argument("--record", type=Path, help="spara råa svar med sina adresser i denna mapp")
    p.add_argument("--full", action="store_true",
                   help="hämta hela serierna från Kolada, inte bara det som ändrats sedan förra hämtningen")
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("export", help="exportera observationer som CSV eller Excel")
    p.add_argument("--indicator", help="indikator-id, t.ex. N15428")
    p.add_argument("--area", help="områdeskod, t.ex. 0023")
    p.add_argument("--format", choices=["csv", "xlsx"])
    p.add_argument("--out", help="fil att skriva (annars CSV till standard out)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("snapshot", help="bygg lagret från den medföljande offline-ögonblicksbilden")
    p.set_defaults(func=cmd_snapshot)

    p = sub.add_parser("plan", help="handlingsplaner")
    plan_sub = p.add_subparsers(dest="plan_command", required=True)
    c = plan_sub.add_parser("check", help="kontrollera planfiler och lista alla fel med rad")
    c.add_argument("files", nargs="+", type=Path)
    c.set_defaults(func=cmd_plan_check)

    p = sub.add_parser("status", help="status för varje mål i planerna")
    p.add_argument("--plan", action="append", help="en planfil (kan upprepas); annars alla i plans/")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("report", help="skriv årets uppföljning (som i handlingsplanens avsnitt 2)")
    p.add_argument("--plan", required=True, type=Path)
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--out", required=True, help="fil som slutar på .md, .docx eller .pdf")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("import", help="läs in en fil: BUP-väntetider, skolenkät eller lokala indikatorer")
    p.add_argument("file")
    p.add_argument("--kind", choices=["bup", "survey", "local"], help="filens slag (annars känns det igen)")
    p.add_argument("--dry-run", action="store_true", help="visa vad som skulle laddas och alla fel, ladda inget")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("template", help="mallen (CSV) för planernas lokala indikatorer")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("user", help="lokala användare för inloggning i appen")
    user_sub = p.add_subparsers(dest="user_command", required=True)
    u = user_sub.add_parser("add", help="lägg till en användare (eller byt lösenord, roll, namn med --replace)")
    u.add_argument("login", help="användarnamn eller e-post: bokstäver, siffror och . _ @ + - (sparas med gemener)")
    u.add_argument("--role", required=True, choices=["viewer", "analyst", "manager"])
    u.add_argument("--name", help="namnet som visas som författare till flaggor")
    u.add_argument("--password-stdin", action="store_true",
                   help="läs lösenordet (minst 10 tecken) från standard in")
    u.add_argument("--replace", action="store_true", help="ändra en användare som redan finns")
    u.set_defaults(func=cmd_user_add)

    p = sub.add_parser("export-pack", help="mötespaket i PowerPoint: titel, dagordning, ett mål per bild")
    p.add_argument("--plan", required=True, type=Path)
    p.add_argument("--goals", help="mål-id med kommatecken, i dagordningens ordning (annars alla med indikatorer)")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_export_pack)

    p = sub.add_parser("chart", help="ett måls diagram som bild (PNG eller SVG) med källa och hämtdatum")
    p.add_argument("--plan", required=True, type=Path)
    p.add_argument("--goal", required=True)
    p.add_argument("--out", required=True, help="fil som slutar på .png eller .svg")
    p.set_defaults(func=cmd_chart)

    p = sub.add_parser("app", help="starta appen (bygger lagret från ögonblicksbilden om det saknas)")
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="skickas vidare till streamlit run")
    p.set_defaults(func=cmd_app)
    return parser


def _upgrade_older_warehouse() -> None:
    """Publish a warehouse written by an older Målkoll in the current schema before any command reads it."""
    import duckdb

    from warehouse.loader import upgrade
    from warehouse.publish import PublishBusyError

    try:
        if upgrade(settings.warehouse_path()):
            print(f"Uppgraderade {settings.warehouse_path()} till den här versionens format.", file=sys.stderr)
    except PublishBusyError as exc:
        print(exc, file=sys.stderr)
    except duckdb.Error:
        pass  # not a readable warehouse: the command itself says so where it reads it


def main(argv: list[str] | None = None) -> int:
    import duckdb

    from malkoll.i18n import t

    args = build_parser().parse_args(argv)
    _upgrade_older_warehouse()
    try:
        return args.func(args)
    except BrokenPipeError:  # `malkoll status --format csv | head`: the reader has all it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 – Python flushes stdout at exit; let that go nowhere
        return EXIT_OK
    except duckdb.Error as exc:  # e.g. MALKOLL_WAREHOUSE names a file that is not a DuckDB warehouse
        return _error(t("warehouse_unreadable", path=settings.warehouse_path(), error=str(exc).splitlines()[0]),
                      EXIT_BAD_INPUT)


if __name__ == "__main__":
    sys.exit(main())
