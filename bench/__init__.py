"""Målkoll's benchmark at national scale: `python -m bench` (or `python -m bench --quick`).

It measures, it does not assert: figures go to a printed table and to
bench/results/latest.json, each beside a baseline measured in the same run,
so a slow machine shows up in both columns instead of as a false alarm.
See bench/README.md.
"""
