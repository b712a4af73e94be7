"""An equality analysis summed up: the impact for each protected characteristic and a
plain-English paragraph for a report's equalities implications section.

`summary_text` is a plain function (no database) so its wording is easy to test;
`equality_summary` reads an analysis into it. Committee reports call `equality_summary`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from saferplaces.core.words import date_text
from saferplaces.equality.models import Characteristic, EqualityAnalysis, Impact

ORDER = [value for value, _ in Characteristic.choices]


def _join(words: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def summary_text(title: str, conclusion: str, impacts: Sequence[tuple[str, str, str]],
                 signed_off_by: str = "", signed_off_on: datetime.date | None = None,
                 version: int = 1) -> str:
    """The paragraph. `impacts` are (characteristic label, impact code, mitigation) in the
    Act's order; characteristics missing from them count as not yet known."""
    by_impact: dict[str, list[tuple[str, str]]] = {code: [] for code, _ in Impact.choices}
    for label, impact, mitigation in impacts:
        by_impact[impact].append((label.lower(), mitigation.strip()))
    sentences = []
    if signed_off_on:
        sentences.append(f"An equality analysis, “{title}”, has been undertaken and was signed "
                         f"off by {signed_off_by} on {date_text(signed_off_on)}"
                         f"{f' (version {version})' if version > 1 else ''}.")
    else:
        sentences.append(f"An equality analysis, “{title}”, has been undertaken; it has not "
                         "yet been signed off.")
    if conclusion.strip():
        sentences.append(conclusion.strip().rstrip(".") + ".")
    if by_impact[Impact.POSITIVE]:
        names = [name for name, _ in by_impact[Impact.POSITIVE]]
        sentences.append(f"A positive impact is expected for {_join(names)}.")
    if by_impact[Impact.NEUTRAL]:
        names = [name for name, _ in by_impact[Impact.NEUTRAL]]
        sentences.append(f"No differential impact is expected for {_join(names)}.")
    negatives = by_impact[Impact.NEGATIVE]
    if negatives:
        for name, mitigation in negatives:
            sentences.append(f"A negative impact was identified for {name}; mitigation: "
                             f"{mitigation.rstrip('.')}.")
    else:
        sentences.append("No negative impact was identified.")
    unknown = [name for name, _ in by_impact[Impact.UNKNOWN]]
    if unknown:
        sentences.append(f"The impact for {_join(unknown)} is not yet known.")
    return " ".join(sentences)


def equality_summary(analysis: EqualityAnalysis) -> dict:
    """The analysis as plain data.

    Keys: title, version, signed_off (bool), signed_off_by, signed_off_on (a date or None),
    conclusion, impacts (a list in the Act's order of {characteristic (code), label,
    impact (code), impact_label, evidence, mitigation}; a characteristic with no row is
    "unknown"), counts ({impact code: number of characteristics}) and text (the paragraph).
    """
    stored = {row.characteristic: row for row in analysis.impacts.all()}
    labels = dict(Characteristic.choices)
    impact_labels = dict(Impact.choices)
    impacts = []
    for code in ORDER:
        row = stored.get(code)
        impact = row.impact if row else Impact.UNKNOWN
        impacts.append({
            "characteristic": code, "label": labels[code], "impact": str(impact),
            "impact_label": impact_labels[impact],
            "evidence": row.evidence if row else "", "mitigation": row.mitigation if row else "",
        })
    counts = {code: sum(1 for i in impacts if i["impact"] == code) for code, _ in Impact.choices}
    return {
        "title": analysis.title, "version": analysis.version,
        "signed_off": analysis.is_signed_off, "signed_off_by": analysis.signed_off_by,
        "signed_off_on": analysis.signed_off_on, "conclusion": analysis.conclusion,
        "impacts": impacts, "counts": counts,
        "text": summary_text(analysis.title, analysis.conclusion,
                             [(i["label"], i["impact"], i["mitigation"]) for i in impacts],
                             analysis.signed_off_by, analysis.signed_off_on, analysis.version),
    }
