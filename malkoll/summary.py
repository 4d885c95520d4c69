"""One Swedish sentence per goal indicator, for meeting mode, slides and reports.

"BUP: andel som fått en första bedömning inom 30 dagar, Region Jämtland
Härjedalen: 63,5 % jan–aug 2018; målet är ≥ 100 %; går åt fel håll."
"""

from __future__ import annotations

from malkoll.formatting import UNIT, number, value_text
from malkoll.goal_status import IndicatorStatus

WORDS = {">=": "minst ", "<=": "högst ", "=": ""}


def target_phrase(status: IndicatorStatus) -> str:
    """'minst 100 % senast 2019', 'att minska (nollvision; delmål 10,9 per 100 000 2019)', 'att öka'."""
    spec, unit = status.spec, UNIT.get(status.unit, "")
    if status.unit == "yes_no" and spec.target and spec.target.value in (0, 1):  # as Översikt says it
        text = value_text(spec.target.value, status.unit)
    elif spec.target and spec.target.value is not None:
        text = f"{WORDS[spec.target.comparison]}{number(spec.target.value, 1, trim=True)}{unit}"
    else:
        text = "att öka" if spec.direction == "higher_is_better" else "att minska"
    extras = [f"delmål {number(m.value, 1, trim=True)}{unit} {m.period}" for m in spec.milestones]
    if spec.zero_vision:
        extras.insert(0, "nollvision")
    if spec.deadline:
        text += f" senast {spec.deadline}"
    return text + (f" ({'; '.join(extras)})" if extras else "")


def one_sentence(status: IndicatorStatus, area_name: str) -> str:
    """The indicator's latest value, period, target and status in one sentence."""
    head = f"{status.title}{f' ({status.group})' if status.group else ''}, {area_name}"
    if status.latest is None:
        return f"{head}: inga värden ännu; målet är {target_phrase(status)}."
    if status.latest.suppressed or status.latest.value is None:
        value = "för få fall"
    else:
        value = value_text(status.latest.value, status.unit, 1, trim=True) + UNIT.get(status.unit, "")
    verdict = status.headline.label_sv[0].lower() + status.headline.label_sv[1:]
    return f"{head}: {value} ({status.latest_label}); målet är {target_phrase(status)}; {verdict}."
