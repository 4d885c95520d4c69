"""Run the data checks declared in schema.yml and checks/*.sql.

Why a runner of our own: the checks are few, must run inside the staged file
before it is published, and must say exactly which table, column and rows
failed. Identifiers in the generated SQL come only from schema.yml (our own
file), never from user input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import yaml

HERE = Path(__file__).resolve().parent
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_EXAMPLES = 3


@dataclass(frozen=True)
class CheckFailure:
    """One failed check: where, what, how many rows and a few examples."""

    table: str
    column: str | None
    check: str
    failing_rows: int
    examples: list[dict[str, Any]]  # column → value of a few failing rows

    def describe(self) -> str:
        """In words, with each example named by where it came from (`source_ref`: file and row, or URL)."""
        where = f"{self.table}.{self.column}" if self.column else self.table
        rows = "1 rad" if self.failing_rows == 1 else f"{self.failing_rows} rader"
        return f"kontrollen {self.check} på {where} stoppade {rows}: " + "; ".join(map(self._example, self.examples))

    def _example(self, row: dict[str, Any]) -> str:
        found = {k: row[k] for k in ([self.column] if self.column in row else []) or
                 [k for k in row if k not in ("source_ref", "fetched_at", "load_id")]}
        what = ", ".join(f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {v}" for k, v in found.items())
        keys = " ".join(str(row[k]) for k in ("indicator_id", "area_code", "period") if k in row)
        origin = row.get("source_ref") or keys
        return f"{origin} ({what})" if origin else what


class DataCheckError(Exception):
    """The staged warehouse failed one or more data checks; nothing was published."""

    def __init__(self, failures: list[CheckFailure]):
        self.failures = failures
        super().__init__("Datakontroll misslyckades: " + "; ".join(f.describe() for f in failures))


@cache
def schema() -> dict[str, Any]:
    """schema.yml, parsed once."""
    return yaml.safe_load((HERE / "schema.yml").read_text(encoding="utf-8"))


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"unsafe identifier in schema.yml: {name!r}")
    return name


def _literal(value: Any) -> str:
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _column_check_sql(table: str, column: str, check: Any, relation: str | None = None) -> tuple[str, str]:
    """(check name, SQL selecting failing rows) for one declared column check.

    `relation` replaces the table in FROM (the rows in scope, see declared_checks).
    """
    c = _ident(column)
    t = relation or _ident(table)
    if check == "not_null":
        return "not_null", f"select * from {t} where {c} is null"
    (kind, arg), = check.items()
    if kind == "accepted_values":
        values = ", ".join(_literal(v) for v in arg)
        return f"accepted_values {arg}", f"select * from {t} where {c} is not null and {c} not in ({values})"
    if kind == "accepted_pattern":
        return f"accepted_pattern {arg}", f"select * from {t} where {c} is not null and not regexp_full_match({c}, {_literal(arg)})"
    if kind == "accepted_range":
        conds = []
        if "min" in arg:
            conds.append(f"{c} < {_literal(arg['min'])}")
        if "max" in arg:
            conds.append(f"{c} > {_literal(arg['max'])}")
        where = f" and ({arg['where']})" if "where" in arg else ""
        label = f"accepted_range {arg.get('min', '')}..{arg.get('max', '')}"
        return label, f"select * from {t} where {c} is not null and ({' or '.join(conds)}){where}"
    if kind == "relationship":
        ref_table, ref_col = (_ident(p) for p in arg.split("."))
        return (f"relationship {arg}",
                f"select * from {t} where {c} is not null and {c} not in (select {ref_col} from {ref_table})")
    raise ValueError(f"unknown check {kind!r} on {table}.{column}")


def declared_checks(scope: str | None = None) -> list[tuple[str, str | None, str, str]]:
    """Every check as (table, column, name, failing-rows SQL).

    `scope`, if given, names a table holding the observations rows in scope
    (run_checks makes it): their column checks look only at those rows, and the
    unique check only at keys those rows have (against every row). The other
    tables are small and always checked whole.
    """
    out: list[tuple[str, str | None, str, str]] = []
    for table, spec in schema()["tables"].items():
        scoped = scope is not None and table == "observations"
        relation = f"{_ident(scope)} as observations" if scoped else None
        if spec.get("unique"):
            cols = ", ".join(_ident(c) for c in spec["unique"])
            keys = f" semi join (select {cols} from {_ident(scope)}) using ({cols})" if scoped else ""
            out.append((table, None, f"unique ({cols})",
                        f"select {cols}, count(*) as n from {_ident(table)}{keys} group by all having count(*) > 1"))
        for column, cspec in spec["columns"].items():
            for check in cspec.get("checks", []):
                name, sql = _column_check_sql(table, column, check, relation)
                out.append((table, column, name, sql))
    for path in sorted((HERE / "checks").glob("*.sql")):
        out.append(("(sql)", None, path.stem, path.read_text(encoding="utf-8")))
    return out


def changed_rows(con: duckdb.DuckDBPyConnection, before: str) -> str:
    """The scope condition for a staged copy: the observations that differ from `before`.

    `before` is the catalog name under which the served file is attached to
    `con`; the copy is the database in use. Why a scope: the served file passed
    every check when it was published, so only rows this publish wrote, and
    rows whose indicator or area row it changed (a unit or frequency decides
    some checks), can fail now. Checking the whole table took 1.2 s of a
    national refresh (bench/README.md, finding d).
    """
    served = _ident(before)
    newest = con.execute(f"select coalesce(max(load_id), 0) from {served}.main.loads").fetchall()[0][0]
    for table, key in (("indicators", "indicator_id"), ("areas", "area_code")):
        con.execute(f"create or replace temp table changed_{table} as select {key} from "
                    f"(select * from {table} except select * from {served}.main.{table})")
    return (f"load_id > {int(newest)} or indicator_id in (select indicator_id from changed_indicators) "
            "or area_code in (select area_code from changed_areas)")


def run_checks(con: duckdb.DuckDBPyConnection, scope: str | None = None) -> list[CheckFailure]:
    """Run every check (observations only where the SQL condition `scope` holds); return the failures."""
    in_scope = None
    if scope is not None:  # evaluated once, not once per check
        in_scope = "observations_in_scope"
        con.execute(f"create or replace temp table {in_scope} as select * from observations where {scope}")
    failures = []
    for table, column, name, sql in declared_checks(in_scope):
        n = con.execute(f"select count(*) from ({sql})").fetchall()[0][0]
        if n:
            cursor = con.execute(f"select * from ({sql}) limit {_EXAMPLES}")
            names = [d[0] for d in cursor.description]
            examples = [dict(zip(names, row)) for row in cursor.fetchall()]
            failures.append(CheckFailure(table, column, name, n, examples))
    return failures


def assert_checks_pass(con: duckdb.DuckDBPyConnection, scope: str | None = None) -> None:
    """Raise DataCheckError listing every failed check."""
    failures = run_checks(con, scope)
    if failures:
        raise DataCheckError(failures)
