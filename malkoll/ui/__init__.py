"""Streamlit helpers shared by the pages: cached reads and URL state.

Kept apart from malkoll/ so that everything else stays free of Streamlit.
"""
