"""Målkoll: follow up regional mental-health action plans against live data."""
