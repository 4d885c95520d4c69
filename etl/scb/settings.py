"""SCB PxWeb constants: which table, which codes, which limits.

Why API v2 and table TAB638: the recorded real SCB response in
../shared/samples/pxweb_scb/ is a v2 json-stat2 answer from TAB638
("Folkmängd efter region, civilstånd, ålder, kön och år", BE0101), the same
table v1 calls BE0101A/BefolkningNy. v2 is read with GET and `valueCodes[...]`
parameters, so it goes through `etl.http.HttpClient` like every other source
(v1 needs a POSTed query, which HttpClient does not do).
"""

from __future__ import annotations

SOURCE = "scb"
DEFAULT_URL = "https://statistikdatabasen.scb.se/api/v2"  # setting MALKOLL_SCB_URL
LANGUAGE = "sv"
TABLE_ID = "TAB638"
POPULATION_CONTENTS = "BE0101N1"  # "Folkmängd", stock on 31 December
OUTPUT_FORMAT = "json-stat2"

# v2's published cap (GET /config: maxDataCells 150000). One call per region
# asks 4 civil statuses x ~102 ages x 2 sexes x ~57 years, about 46 500 cells.
MAX_DATA_CELLS = 150_000

# TAB638 has no total for civil status or sex: population is summed over the
# four civil statuses, and sex T is M + K. An unknown code here (for example a
# total added later) would double-count, so it fails the pull instead.
CIVIL_STATUS_CODES = frozenset({"OG", "G", "SK", "ÄNKL"})  # ogifta, gifta, skilda, änkor/änklingar
SEX_CODES = {"1": "M", "2": "K"}
AGE_TOTAL_CODE = "tot"      # the age dimension's own total; left out (it would double the sum)
AGE_OPEN_CODE = "100+"      # stored as age 100

# SCB region codes: Riket 00, län two digits, kommun four digits.
COUNTIES = ("00", "21", "23")
MUNICIPALITIES = (
    "2101", "2104", "2121", "2132", "2161", "2180", "2181", "2182", "2183", "2184",  # Gävleborg
    "2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380",                  # Jämtland
)
DEFAULT_REGIONS = COUNTIES + MUNICIPALITIES

# Indicators the SCB batch delivers (population on 31 December).
POPULATION_ALL_AGES = "population"
POPULATION_15_24 = "population_15_24"


def area_code(scb_region: str) -> str:
    """SCB region code -> Målkoll/Kolada area code ('00' -> '0000', '23' -> '0023', '2380' stays)."""
    if scb_region == "00":
        return "0000"
    return scb_region if len(scb_region) == 4 else "00" + scb_region
