"""Socialstyrelsen's statistics database API: deaths by cause (Dödsorsaksregistret)."""
