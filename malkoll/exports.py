"""Data exports (CSV and Excel) that carry their own documentation and keep suppression.

Every export says where its numbers come from (a README file beside a CSV, a
README sheet in Excel): sources, definitions, fetch dates and the suppression
rule. Values whose count is below the threshold are blanked with status
'suppressed' here too, so no export shows what the app hides.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from malkoll import stats

FIRST_COLUMNS = ["indicator_id", "area_code", "area_name", "period", "sex", "value", "numerator", "denominator",
                 "source", "subgroup", "status", "source_ref", "fetched_at"]


def apply_suppression(frame: pd.DataFrame) -> pd.DataFrame:
    """Blank value and counts where a count is below the threshold (shares: also the remainder)."""
    frame = frame.copy()
    for i, row in frame.iterrows():
        num, den = row.get("numerator"), row.get("denominator")
        if pd.isna(num):
            continue
        hidden = (stats.is_share_suppressed(int(num), int(den)) if row.get("unit") == "percent" and pd.notna(den)
                  and float(num).is_integer() and float(den).is_integer()
                  else float(num).is_integer() and stats.is_suppressed(int(num)))
        if hidden:
            frame.loc[i, ["value", "numerator"]] = None
            frame.loc[i, "status"] = "suppressed"
            frame.loc[i, "source_ref"] = stats.citation_only(row.get("source_ref"))
    return frame


def readme_text(frame: pd.DataFrame) -> str:
    """What the export contains and where each indicator comes from, in Swedish."""
    lines = [f"Export från Målkoll {dt.date.today():%Y-%m-%d}.", "",
             "Kolumner: indicator_id, area_code, area_name, period (ÅÅÅÅ eller ÅÅÅÅ-MM), sex (T totalt, K kvinnor, "
             "M män), value (procent på skalan 0-100, takter per 100 000 eller 1 000), numerator och denominator "
             "(täljare och nämnare där de är kända), source, subgroup, status, source_ref (anrop, fil och rad eller "
             "dokument och avsnitt), fetched_at (när värdet hämtades, UTC).", "",
             f"Sekretess: värden som bygger på färre än {stats.configured_threshold()} fall är tomma med status "
             "'suppressed' ('för få fall'); de är aldrig noll. Status 'missing' betyder att källan saknar värde.", "",
             "Indikatorer:"]
    meta = frame.drop_duplicates("indicator_id")
    for row in meta.itertuples():
        fetched = frame.loc[frame["indicator_id"] == row.indicator_id, "fetched_at"]
        lines += [f"- {row.indicator_id}: {row.title_sv}",
                  f"  Definition: {row.definition or '–'}",
                  f"  Källa: {row.indicator_source or row.source}",
                  f"  Hämtad: {pd.to_datetime(fetched).min():%Y-%m-%d} – {pd.to_datetime(fetched).max():%Y-%m-%d}"]
    return "\n".join(lines) + "\n"


def write_export(frame: pd.DataFrame, path: Path | None, fmt: str, stdout=None) -> list[Path]:
    """Write CSV (with a README file beside it) or Excel (with a README sheet); returns the files written."""
    data = apply_suppression(frame)
    readme = readme_text(data)
    data = data[FIRST_COLUMNS]
    if fmt == "xlsx":
        data = data.assign(fetched_at=data["fetched_at"].astype(str))
        with pd.ExcelWriter(path) as writer:
            data.to_excel(writer, index=False, sheet_name="data")
            pd.DataFrame({"README": readme.splitlines()}).to_excel(writer, index=False, sheet_name="README")
        return [Path(path)]
    if path is None:
        data.to_csv(stdout, index=False)
        return []
    data.to_csv(path, index=False, encoding="utf-8")
    readme_path = Path(path).with_name(Path(path).stem + "_README.txt")
    readme_path.write_text(readme, encoding="utf-8")
    return [Path(path), readme_path]


def export_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """The same export in memory, for the app's download buttons (Excel holds the README sheet)."""
    import io
    import tempfile

    if fmt == "csv":
        buffer = io.StringIO()
        apply_suppression(frame)[FIRST_COLUMNS].to_csv(buffer, index=False)
        return buffer.getvalue().encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        write_export(frame, path, "xlsx")
        return path.read_bytes()
