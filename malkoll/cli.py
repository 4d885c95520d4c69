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
    from etl.refresh import RefreshFailed, refresh

    progress = Progress()
    try:
        outcome = refresh(settings.warehouse_path(), args.source or None, progress, args.record)
    except RefreshFailed as exc:
        progress.done()
        return _error(f"Uppdateringen misslyckades, lagret är oförändrat: {exc}", EXIT_FAILED)
    progress.done()
    print(outcome.report)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
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
    if fmt == "xlsx":
        if not args.out:
            return _error("Excel-export behöver --out FIL.xlsx", EXIT_BAD_INPUT)
        frame["fetched_at"] = frame["fetched_at"].astype(str)
        frame.to_excel(args.out, index=False, sheet_name="data")
    elif fmt == "csv":
        if args.out:
            frame.to_csv(args.out, index=False, encoding="utf-8")
        else:
            frame.to_csv(sys.stdout, index=False)
    else:
        return _error(f"okänt format {fmt!r}: välj csv eller xlsx", EXIT_BAD_INPUT)
    if args.out:
        print(f"Skrev {len(frame)} rader till {args.out}", file=sys.stderr)
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
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("export", help="exportera observationer som CSV eller Excel")
    p.add_argument("--indicator", help="indikator-id, t.ex. N15428")
    p.add_argument("--area", help="områdeskod, t.ex. 0023")
    p.add_argument("--format", choices=["csv", "xlsx"])
    p.add_argument("--out", help="fil att skriva (annars CSV till standard out)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("snapshot", help="bygg lagret från den medföljande offline-ögonblicksbilden")
    p.set_defaults(func=cmd_snapshot)

    p = sub.add_parser("app", help="starta appen (bygger lagret från ögonblicksbilden om det saknas)")
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="skickas vidare till streamlit run")
    p.set_defaults(func=cmd_app)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
