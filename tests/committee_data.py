"""Committee objects for tests that need one of each (tests/test_isolation.py)."""

from __future__ import annotations

import datetime

from saferplaces.committee import services
from saferplaces.committee.models import Decision, ReportParagraph
from tests.factories import CommitteeReportFactory


def committee_parts(partnership) -> dict:
    """One of each committee object, for tests/test_isolation.py."""
    made = services.create_report(CommitteeReportFactory(partnership=partnership))
    step = services.add_step(made, services.body_named(partnership, "Cabinet"),
                             datetime.date(2021, 3, 1))
    services.record_decision(step, Decision.APPROVED_WITH_CONDITIONS)
    section = made.sections.first()
    return {
        "committee_report": made.pk, "committee_section": section.pk,
        "committee_paragraph": ReportParagraph.objects.create(section=section, number=1,
                                                              text="Text").pk,
        "committee_recommendation": made.recommendations.create(number=1, text="Agree").pk,
        "committee_step": step.pk, "committee_body": step.body_id,
        "committee_condition": services.add_condition(step, "Check").pk,
    }
