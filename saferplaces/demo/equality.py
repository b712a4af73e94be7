"""The demo's equality analysis: the analysis behind section 13 of the founding council
report ("A full equalities analysis has been undertaken to inform the strategy and its
delivery", 13.1), attached to the 2020-2023 strategy and its consultation. The evidence
quotes section 13; the impact judgements, the sign-off and anything marked "Illustrative"
are illustrative, and the analysis says so."""

from __future__ import annotations

import datetime

from saferplaces.consultation.models import Consultation
from saferplaces.demo.consultation import TITLE as CONSULTATION_TITLE
from saferplaces.demo.sync import sync
from saferplaces.equality.models import EqualityAnalysis, EqualityImpact
from saferplaces.equality.services import create_impacts

TITLE = "Equalities analysis: Community Safety and Harm Reduction Strategy 2020-2023"
NOTE = ("The evidence quotes section 13 of the founding council report (21 October 2020); "
        "the impact judgements, the sign-off and text marked 'Illustrative' are illustrative.")
PURPOSE = ("A full equalities analysis has been undertaken to inform the strategy and its "
           "delivery (appendix 2). (Founding report 13.1.)")
CONCLUSION = ("The strategy recognises this and uses a data-informed approach to target "
              "interventions and support to those most at risk (whilst also providing "
              "universal provision), thus achieving the greatest impact")

P132 = ("\"Central to the consultation methodology was the targeting of Wolverhampton's "
        "diverse residents and communities to ensure that the strategy reflects the views of "
        "residents and partners across the City.\" (13.2)")
P133_AGE = ("\"Data suggests that some groups are particularly vulnerable to crime and harm. "
            "For example, young men are particularly vulnerable to youth violence associated "
            "with Urban Street Gangs ...\" \"Anecdotal evidence suggests that those who are "
            "expelled from school, attend a PRU or are care leavers may be more vulnerable to "
            "becoming victims or perpetrators of particular crimes.\" (13.3)")
P133_SEX = ("\"For example, young men are particularly vulnerable to youth violence associated "
            "with Urban Street Gangs and females are more likely to suffer domestic Abuse.\" "
            "(13.3)")
HATE = ("\"The five strands of hate crime are an offence committed on the grounds of; race, "
        "perceived religion, sexual orientation, transgender identity or disability.\" (13.4)")
HIDDEN = ("\"... hidden crimes in relation to domestic abuse, such as female genital mutilation "
          "(FMG), so called honour-based violence (HBV) and forced marriage (FM) are most "
          "prevalent within communities where these practices are widespread in the victim or "
          "perpetrators country of origin.\" (13.4)")
NOT_NAMED = ("Illustrative: section 13 of the founding report names no impact on this "
             "characteristic; no differential impact is expected.")

# characteristic -> (impact, evidence); the impact judgements are illustrative
IMPACTS = {
    "age": ("positive", P133_AGE),
    "disability": ("positive", HATE),
    "gender_reassignment": ("positive", HATE),
    "marriage_civil_partnership": (
        "neutral", f"{NOT_NAMED} Forced marriage is named among hidden crimes: {HIDDEN}"),
    "pregnancy_maternity": ("neutral", NOT_NAMED),
    "race": ("positive", f"{P132} {HATE} {HIDDEN}"),
    "religion_belief": ("positive", HATE),
    "sex": ("positive", f"{P133_SEX} {HIDDEN}"),
    "sexual_orientation": ("positive", HATE),
}
SIGNED_OFF_BY = "Margaret Hale, Director of Communities (illustrative)"
SIGNED_OFF_ON = datetime.date(2020, 9, 24)


def load_equality_analysis(partnership, strategy) -> EqualityAnalysis:
    """Create or refresh the analysis; running it again writes nothing."""
    consultation = Consultation.objects.filter(partnership=partnership,
                                               title=CONSULTATION_TITLE).first()
    analysis = sync(EqualityAnalysis, partnership=partnership, title=TITLE, defaults={
        "purpose": PURPOSE, "strategy": strategy, "consultation": consultation,
        "conclusion": CONCLUSION, "illustrative_note": NOTE,
        "signed_off_by": SIGNED_OFF_BY, "signed_off_on": SIGNED_OFF_ON})
    create_impacts(analysis)
    for characteristic, (impact, evidence) in IMPACTS.items():
        sync(EqualityImpact, analysis=analysis, characteristic=characteristic,
             defaults={"impact": impact, "evidence": evidence})
    return analysis
