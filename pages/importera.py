"""Importera: analysts upload a file, see the dry run, then publish it; and get the local template."""

import tempfile
from pathlib import Path

import streamlit as st

from etl.catalogue import load_catalogue
from etl.files.errors import FileRejected
from etl.imports import import_file, local_template
from malkoll.i18n import t
from malkoll.ui import data
from malkoll.ui.auth import require
from malkoll.ui.plans import plans_in_use
from warehouse.checks import DataCheckError
from warehouse.publish import PublishBusyError

st.title(t("import_title"))
st.caption(t("import_intro"))

analyst = require("import")
if analyst is None:
    st.stop()
upload = st.file_uploader(t("import_file_label"), type=["csv", "txt", "xlsx"])
kind = st.selectbox(t("import_kind_label"), ["auto", "bup", "survey", "local"],
                    format_func=lambda k: t(f"import_kind_{k}"))
if upload is not None:
    # The importers read a file by path. This copy lives for this run only: uploads may hold
    # local data (school surveys), and each rerun would otherwise leave another copy in /tmp.
    with tempfile.TemporaryDirectory(prefix="malkoll-import-") as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        chosen = None if kind == "auto" else kind
        try:
            preview = import_file(path, data.warehouse(), chosen, dry_run=True, display_name=upload.name)
        except FileRejected as exc:
            st.error(t("import_rejected", message=str(exc)))
        else:
            st.subheader(t("import_preview"))
            for warning in preview.parsed.warnings:
                st.warning(warning)
            st.code(preview.report, language=None)
            if st.button(t("import_button"), type="primary", icon=":material/upload:"):
                try:
                    outcome = import_file(path, data.warehouse(), chosen, user=analyst.name, display_name=upload.name)
                except (FileRejected, DataCheckError, PublishBusyError) as exc:
                    st.error(t("import_failed", message=str(exc)))
                else:
                    st.success(t("import_done") if outcome.result.published else t("import_nothing_new"))
                    st.code(outcome.report, language=None)

st.subheader(t("template_title"))
st.caption(t("template_help"))
plans = [item.plan for item in plans_in_use() if item.plan]
st.download_button(t("template_button"), lambda: local_template(plans, load_catalogue()).encode("utf-8"),
                   file_name="malkoll_lokala_indikatorer.csv", mime="text/csv", icon=":material/download:",
                   on_click="ignore")
