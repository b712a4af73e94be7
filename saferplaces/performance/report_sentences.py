"""One plain-English sentence to open each section of the board report, built from the
figures the section shows (the report's counterpart of crime/sentences.py).

Plain functions on the report snapshot's plain data (no ORM, no templates), so each wording
is tested on literal cases. Sentences start with a capital and end with a full stop.
"""

from __future__ import annotations

from saferplaces.core.numbers import format_number
from saferplaces.crime.categories import ASB


def _count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 indicator', '2 indicators', '1,204 crimes'."""
    return f"{format_number(n)} {singular if n == 1 else (plural or singular + 's')}"


def _listed(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def scorecard_sentence(rag_counts: dict[str, int]) -> str:
    """'Of 14 indicators, 5 are on target (green), 3 are close to target (amber) and 2 are off
    target (red); 4 have no target or no value to judge them by.' Empty counts are left out."""
    counts = {k: rag_counts.get(k, 0) for k in ("green", "amber", "red", "none")}
    total = sum(counts.values())
    judged = [f"{format_number(n)} {'is' if n == 1 else 'are'} {words}"
              for n, words in ((counts["green"], "on target (green)"),
                               (counts["amber"], "close to target (amber)"),
                               (counts["red"], "off target (red)")) if n]
    if not judged:
        return (f"None of the {_count(total, 'indicator')} can be rated: none has both a "
                "value and a target for the period.")
    none = counts["none"]
    unrated = (f"; {format_number(none)} {'has' if none == 1 else 'have'} no target or no "
               "value to judge by") if none else ""
    return f"Of {_count(total, 'indicator')}, {_listed(judged)}{unrated}."


def exceptions_sentence(exceptions: list[dict]) -> str:
    """'2 indicators need the board's attention, being red or significantly worse than a year
    before: VC1 Violent crimes and RO1 Reoffending.'"""
    if not exceptions:
        return ("No indicator needs the board's attention this period: none is red or "
                "significantly worse than a year before.")
    names = _listed([f"{row['code']} {row['name']}" for row in exceptions])
    verb = "needs" if len(exceptions) == 1 else "need"
    return (f"{_count(len(exceptions), 'indicator')} {verb} the board's attention, being red "
            f"or significantly worse than a year before: {names}.")


def actions_sentence(progress: dict) -> str | None:
    """'Of the 40 actions in the 2020/21 action plan, 12 are complete and 3 were overdue at
    15 February 2021; 2 were completed in the period.' None when there is no plan."""
    if not progress.get("plan"):
        return None
    total = progress["total"]
    complete = progress["totals"].get("complete", 0)
    overdue = len(progress["overdue"])
    done_now = len(progress["completed"])
    return (f"Of the {_count(total, 'action')} in {progress['plan']['label']}, "
            f"{format_number(complete)} {'is' if complete == 1 else 'are'} complete and "
            f"{format_number(overdue)} {'was' if overdue == 1 else 'were'} overdue at "
            f"{progress['as_at']}; {format_number(done_now)} "
            f"{'was' if done_now == 1 else 'were'} completed in the period.")


def trends_sentence(rows: list[dict], frequency: str) -> str:
    """'Of the 3 performance indicators charted, 2 improved on the previous quarter and 1 got
    worse.' ``rows`` are the charted indicators' scorecard rows; ``frequency`` names their
    period ('quarter'). Empty counts are left out."""
    if not rows:
        return "No performance indicator has values to chart yet."
    better = sum(1 for r in rows if r["short_term_judgement"] == "improving")
    worse = sum(1 for r in rows if r["short_term_judgement"] == "worsening")
    other = len(rows) - better - worse
    if len(rows) == 1:
        moved = ("improved on" if better else "got worse than" if worse
                 else "did not change from, or had no value for,")
        return (f"{rows[0]['code']} {rows[0]['name']}, the only performance indicator "
                f"charted, {moved} the previous {frequency}.")
    parts = [f"{format_number(n)} {words}" for n, words in (
        (better, f"improved on the previous {frequency}"), (worse, "got worse"),
        (other, "did not change or had no earlier value to compare")) if n]
    return (f"Of the {_count(len(rows), 'performance indicator')} charted, "
            f"{_listed(parts)}.")


def evidence_sentence(place: str, months: str, mix: list[dict]) -> str | None:
    """'In Oct–Dec 2020, 7,812 crimes were recorded in Wolverhampton; the most common type was
    violence and sexual offences (3,410, 44% of them).' ``mix`` is crimes by type
    ({"label", "value"}), anti-social behaviour named as such when it is there; None when
    the mix is empty."""
    total = sum(r["value"] for r in mix)
    if not total:
        return None
    top = max(mix, key=lambda r: r["value"])
    share = round(100 * top["value"] / total)
    what = _count(total, "crime")
    if any(r["label"] == ASB and r["value"] for r in mix):
        what = f"{format_number(total)} crimes and anti-social behaviour incidents"
    return (f"In {months}, {what} {'was' if total == 1 else 'were'} recorded in {place}; "
            f"the most common type was {_lower_first(top['label'])} "
            f"({format_number(top['value'])}, {share}% of them).")
