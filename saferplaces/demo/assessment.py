"""The demo's 2019/20 strategic assessment for Safer Wolverhampton: a draft built from the
demo's evidence (every 2019/20 crime month is simulated, and the document says so) with short
narratives that are illustrative, not the partnership's words. Idempotent; nothing is rendered
here, so the demo stays fast (the assessment's figures are built when it is shown)."""

from __future__ import annotations

from saferplaces.assessment import report
from saferplaces.assessment.models import (
    DEFAULT_SERIOUS_VIOLENCE,
    Assessment,
    AssessmentSection,
)
from saferplaces.demo.sync import sync
from saferplaces.workshop.models import Workshop

PERIOD = "2019/20"

NARRATIVES = {
    "levels": "Recorded crime and anti-social behaviour rose slightly on the year before. "
              "Violence and sexual offences remain the largest category and the main driver "
              "of harm.\n\nThe crime figures for this year are simulated demonstration data, "
              "so the changes shown here illustrate the method rather than Wolverhampton's "
              "real trends.",
    "places": "Crime concentrates in and around the city centre (St Peter's ward), which has "
              "both the highest rate per 1,000 residents and the largest cluster of hot spot "
              "LSOAs.",
    "outcomes": "Many crimes were still under investigation or closed with no suspect "
                "identified; the partnership will look at how victims are supported through "
                "the process.",
    "serious_violence": "The local definition of serious violence used here covers violence "
                        "and sexual offences, robbery and possession of weapons. These "
                        "figures will inform the Serious Violence Duty's strategic needs "
                        "assessment.",
    "community": "The consultation on the draft strategy heard most about youth provision, "
                 "visible policing and support for victims.",
    "delivery": "The 2017-2020 strategy's action plan was not recorded in saferplaces, so "
                "there is no delivery to review here.",
    "performance": "Few indicators could be rated at the end of 2019/20 because targets "
                   "start with the 2020-2023 strategy.",
    "priorities": "The June 2019 workshop's ranking informs the four priorities of the "
                  "2020-2023 strategy.",
}


def load_assessment(partnership, user=None) -> dict[str, int]:
    """The 2019/20 assessment (version 1, a draft) with its illustrative narratives, linked
    to the demo's 2019/20 workshop when that is loaded."""
    assessment = Assessment.objects.filter(partnership=partnership, period=PERIOD,
                                           version=1).first()
    created = 0
    if assessment is None:
        assessment = report.create(partnership, PERIOD, DEFAULT_SERIOUS_VIOLENCE, user,
                                   is_illustrative=True)
        created = 1
    workshop = Workshop.objects.filter(partnership=partnership, year=PERIOD).first()
    if workshop is not None and assessment.workshop_id != workshop.pk:
        assessment.workshop = workshop  # the June 2019 workshop, once its demo is loaded
        assessment.save(update_fields=["workshop"])
    for key, text in NARRATIVES.items():
        sync(AssessmentSection, {"narrative": text}, assessment=assessment, key=key)
    return {"strategic assessments": created}
