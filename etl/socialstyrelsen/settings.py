"""Socialstyrelsen statistics database constants: which series, which codes, which limits.

The codes below are the *choices* (which cause, measure, sexes and regions to
ask for). Whether they still exist, and what the age bands are, is looked up
from the API's metadata endpoints on every pull (`/dodsorsaker/<dimension>`);
a choice the API no longer knows fails the pull with its code.
"""

from __future__ import annotations

SOURCE = "socialstyrelsen"
DEFAULT_URL = "https://sdb.socialstyrelsen.se/api/v1/sv"  # setting MALKOLL_SOCIALSTYRELSEN_URL
DATASET = "dodsorsaker"

SUICIDE_CAUSE = "2026"        # X60–X84, intentional self-harm (suicide)
UNDETERMINED_CAUSE = "2028"   # Y10–Y34, event of undetermined intent: a separate series, never added in silently
CAUSES = (SUICIDE_CAUSE, UNDETERMINED_CAUSE)
DEATHS_MEASURE = "1"          # matt 1 = antal döda (2 would be per 100 000: never used, see suicide_rates.py)

# kon: 1 men, 2 women (3 = both is not asked for: T is M + K, so the three always agree).
SEXES = {"1": "M", "2": "K"}
# Socialstyrelsen region id -> Målkoll area code (county number without the '00' prefix; 0 = Riket).
REGIONS = {"0": "0000", "21": "0021", "23": "0023"}
NATIONAL_REGION = "0"

PER_PAGE = 5000
PAGE_CAP = 200  # a runaway nasta_sida chain stops here with an error, not a hang
