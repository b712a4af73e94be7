"""The founding report as a committee report: City of Wolverhampton Council, report to
Health and Wellbeing Together, 21 October 2020, "Safer Wolverhampton Community Safety and
Harm Reduction Strategy (2020-2023)", with its header, route, recommendations, sections and
clearance codes as published. Where the demo's strategy and consultation records hold the
text (the priorities, each priority's aims, where consultation responses came from and who
the consultation was distributed to), the paragraph draws it from them as live content
instead of repeating it. The report says only that the bodies on its route considered it;
their decisions are recorded as approvals so the route is complete, and the step notes say so.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from saferplaces.committee import report as document
from saferplaces.committee import services
from saferplaces.committee.models import (
    CommitteeReport,
    Decision,
    ReportParagraph,
    ReportRecommendation,
    ReportSection,
    SectionKind,
)
from saferplaces.consultation.models import Consultation
from saferplaces.demo.consultation import TITLE as CONSULTATION_TITLE

TITLE = "Safer Wolverhampton Community Safety and Harm Reduction Strategy (2020-2023)"

HEADER = {
    "title": TITLE,
    "committee": "Health and Wellbeing Together",
    "meeting_date": datetime.date(2020, 10, 21),
    "cabinet_member": "Councillor Jasbir Jaspal Cabinet Member for Health and Wellbeing",
    "wards_affected": "All wards",
    "accountable_director": "John Denley, Director of Public Health",
    "originating_service": "Public Health",
    "accountable_employee": "Lynsey Kelly",
    "employee_title": "Head of Communities",
    "employee_tel": "01902 5550042",
    "employee_email": "Lynsey.Kelly@wolverhampton.gov.uk",
    "is_public": True,
    "protective_marking": "NOT PROTECTIVELY MARKED",
    "is_illustrative": True,  # the route's decisions are; the text is the published report's
}

ROUTE = [
    ("Public Health Leadership Team", datetime.date(2019, 11, 5)),
    ("Scrutiny Board", datetime.date(2020, 1, 28)),
    ("Senior Executive Board", datetime.date(2020, 2, 5)),
    ("Safer Wolverhampton Partnership Board", datetime.date(2020, 5, 22)),
    ("Full Council", datetime.date(2020, 9, 16)),
]
ROUTE_NOTE = ("The founding report says the body considered the report; the approval is "
              "recorded for the demonstration.")

RECOMMENDATIONS = [
    "Endorse the Safer Wolverhampton Partnership (SWP) Community Safety and Harm Reduction "
    "Strategy (2020-2023).",
    "Collaborate with SWP where possible to strengthen the City response to crime and harm "
    "reduction.",
]


def live(text: str, key: str, option: str = "", numbered: bool = True) -> dict:
    return {"text": text, "live": key, "option": option, "numbered": numbered}


AIMS_OF = "The SWP Strategy (2020-2023) aims to:"

# (kind, title, implication, clearance code, paragraphs): a paragraph is its text, or a dict
# made by live() for one that draws on the strategy, consultation, grant or equality records.
SECTIONS = [
    (SectionKind.BODY, "Purpose", "", "", [
        "This report will outline the SWP Community Safety and Harm Reduction Strategy "
        "(2020-2023) for endorsement.",
    ]),
    (SectionKind.BODY, "Background", "", "", [
        "Safer Wolverhampton Partnership (SWP), acts as the local Police and Crime Board for "
        "Wolverhampton. The strategic board develops and delivers (in partnership with the "
        "voluntary and community sector) strategic plans for Wolverhampton; working to reduce "
        "crime and disorder across the City and to ensure the robust implementation of section "
        "17 of the Crime and Disorder Act 1998. The Act places a duty on all statutory partners "
        "to consider issues of community safety at the centre of their delivery.",
        "SWP Board is a partnership board and membership make up includes statutory members "
        "from regulatory authorities; West Midlands Police, West Midlands Fire and Rescue "
        "Service, National Probation Service, Community Rehabilitation Company, Clinical "
        "Commissioning Group and the Local Authority. To ensure balance on the board, five "
        "voluntary sector organisations are invited to sit on the board and three resident "
        "representatives.",
        "The Board refresh the Community Safety Strategy every three years to ensure that it "
        "remains relevant and fit for purpose. The previous strategy ended on 31 March 2020.",
        "The final Community Safety and Harm Reduction Strategy 2020-2023 (Appendix 1) "
        "outlines successes of the previous strategy (2017-2020) and outlines the agreed "
        "priorities for the next three years of delivery.",
    ]),
    (SectionKind.BODY, "Agreeing Priorities", "", "", [
        "Priorities for 2020-2023 were determined during an independently facilitated "
        "workshop held in June 2019. The workshop was attended by board members, statutory "
        "partners and a number of third sector representatives who deliver specialist "
        "interventions to reduce crime and disorder across the City.",
        "A number of priorities were discussed at the workshop; partners were asked to "
        "consider their importance against a number of indicators and were informed by "
        "qualitative and quantitative data from a range of sources including Wolverhampton's "
        "annual strategic assessment, local crime data, thematic trends, public health data "
        "and local community concerns.",
        live("The following overarching priorities were agreed:", "strategy_priorities"),
        "Following the success of the 2017-2020 strategy; broad overarching priorities were "
        "selected to allow flexibility to respond to any emerging crime trends or risks and "
        "focus delivery according to demand and need. Delivery will be monitored by an "
        "annually refreshed action plan which will outline specific actions sitting "
        "underneath each outcome, action owners and timescales.",
        "An overarching performance framework is monitored by SWP Board and partners are held "
        "to account and supported to achieve delivery outcomes.",
    ]),
    (SectionKind.BODY, "Overarching Priorities - Reducing Offending", "", "", [
        "The priority of reducing offending is slightly broader than in the previous "
        "strategy, which was reducing reoffending. This allows an increased focus on early "
        "intervention and prevention. Agencies can support people from the earliest possible "
        "point to stop them from offending in the first instance, as well as working with "
        "those who have already entered the criminal justice system to reduce the risk of "
        "them reoffending.",
        "Over the duration of the 2017-2020 SWP strategy, Wolverhampton's Community Safety "
        "Partnership (CSP) led on the delivery of the Black Country Reducing Reoffending "
        "Strategy in collaboration with CSPs from Dudley, Sandwell and Walsall. This joint "
        "strategy will allow the Black Country to attract additional resources to address "
        "offending and assists in strengthening our collective capacity and partnership "
        "working arrangements.",
        live("The Community Safety and Harm Reduction Strategy outlines what SWP, as a "
             "partnership, hope to achieve in Wolverhampton:", "priority_aims", "1"),
    ]),
    (SectionKind.BODY, "Overarching Priorities - Preventing Violence", "", "", [
        "Identifying those in need of support at an early stage to prevent escalation of "
        "violence and reduce crime continues to be a focus for SWP Board. There is a "
        "commitment to continue to deliver robust preventative work using a multi-agency "
        "approach to ensure that those in need of specialist services receive them at a much "
        "earlier point to reduce risk to themselves and the wider community.",
        "Wolverhampton's Tackling Violence and Exploitation Strategy outlines SWP's "
        "commitment to tackling all forms of exploitation and violence in a holistic manner "
        "with a particular focus on contextual safeguarding, whilst the Interpersonal "
        "Violence Strategy continues to deliver against the priority to tackle domestic "
        "abuse, sexual violence, female genital mutilation, honour-based violence, forced "
        "marriage and stalking and harassment across all genders.",
        "This strand will also complement the work and aims of #YES – Youth Engagement "
        "Strategy. SWP recognises the need for targeted specialist services for those young "
        "people most at risk as well as universal outreach support and activities. These will "
        "be commissioned in consultation with young people so that they are engaging and "
        "relevant for young people across the City.",
        live(AIMS_OF, "priority_aims", "2"),
    ]),
    (SectionKind.BODY, "Overarching Priorities – Harm Reduction", "", "", [
        "Reducing the harm caused by victimisation and repeat victimisation will ensure those "
        "who are most vulnerable are more effectively safeguarded and supported to reduce the "
        "risk that they continue to suffer harm.",
        "The Community Safety and Harm Reduction Strategy (2017-2020) named reducing "
        "victimisation as a priority and progressed many workstreams relating to harm "
        "reduction. This included the development of a modern slavery pathway, hate crime "
        "microsite and the progression of the Wolverhampton and Walsall Anti-Slavery "
        "Partnership.",
        live(AIMS_OF, "priority_aims", "3"),
    ]),
    (SectionKind.BODY, "Overarching Priorities - Building Community Capacity", "", "", [
        "Whilst community empowerment and engagement have been strong themes in previous "
        "strategies, building community capacity has been identified as a priority in the "
        "2020-2023 strategy to reflect the vital role which communities can play in helping "
        "to reduce crime and disorder, supporting victims of crime and reducing harm and "
        "victimisation.",
        "The Community Safety and Harm Reduction Strategy 2020-2023 sets out a commitment "
        "from the partnership to work with communities and partners to support people to "
        "become active within their local communities and to co-produce proactive solutions "
        "to the problems they may face.",
        "Using a place-based approach, the ambition is to understand specific area issues and "
        "to empower communities to identify how they can work together to make small "
        "improvements in their local area.",
        "This strand will also link with the ambition of Public Health and Wellbeing, to "
        "reduce deprivation and health inequalities by empowering communities and vulnerable "
        "residents to seek support, assistance and build resilience through support "
        "networks.",
        live("The partnership aims to:", "priority_aims", "4"),
    ]),
    (SectionKind.BODY, "Consultation", "", "", [
        "The strategy was developed following analysis of current data trends and "
        "intelligence, and from gathering the views from organisations across the "
        "partnership through ongoing consultation. SWP sought wider views of stakeholders, "
        "residents and the communities of Wolverhampton during the consultation period.",
        "Consultation for the draft strategy ran for a 12-week period to comply with "
        "Wolverhampton's compact agreement.",
        live("Consultation responses were received from;", "consultation_channels"),
        live("The Consultation was also distributed to:", "consultation_distribution",
             numbered=False),
    ]),
    (SectionKind.ALTERNATIVES, "Evaluation of alternative options", "", "", [
        "Option one – not to refresh the strategy; There is a statutory requirement to have a "
        "current and up to date Community Safety Strategy as per the Crime and Disorder Act "
        "1998. Not renewing the strategy would result in the board failing to meet statutory "
        "obligations.",
        "Option two – continue with the current strategy; Although this would allow the "
        "statutory obligation to be met, the strategy would not be addressing current and "
        "emerging issues which the City is experiencing and therefore would not be fit for "
        "purpose.",
        "Option three – Endorsement of the renewed strategy for 2020-2023. This allows SWP to "
        "meet its statutory obligations and continue to tackle crime and disorder across "
        "Wolverhampton, responding to local trends and issues.",
    ]),
    (SectionKind.REASONS, "Reasons for decision", "", "", [
        "Renewing and updating the strategy will allow the strategy requirement to be met and "
        "allows partners to understand current and emerging trends and plan to respond "
        "accordingly.",
    ]),
    (SectionKind.IMPLICATIONS, "Financial Implications", "financial", "JB/29092020/G", [
        "The Community Safety Strategy will be largely delivered through partners of the "
        "responsible organisations, partners will continue to meet their statutory "
        "responsibilities which contribute towards the overall strategy.",
        # 11.2: the amount and ring-fence are read from the demo's grant record (grants.py).
        live("Wolverhampton's grant allocation from the Police and Crime Commissioner (PCC) "
             "for 2020-2021:", "grant_figures"),
    ]),
    (SectionKind.IMPLICATIONS, "Legal Implications", "legal", "SB/24092020/D", [
        "Sections 5 and 6 of the Crime and Disorder Act 1998 require the Council and other "
        "responsible authorities to formulate and implement strategies to reduce crime and "
        "disorder in the area. Subsequent revisions to the Act (Police and Justice Act 2006) "
        "places a duty on Community Safety Partnerships to prepare strategic assessments with "
        "the purpose of informing the partnership plan revisions.",
        "Section 17 of the Crime and Disorder Act 1998 (amended) requires the Council along "
        "with the other Responsible Authorities to exercise their functions with due regard "
        "to do all that they reasonably can by way of preventing crime and disorder, "
        "anti-social behaviour, substance misuse and re-offending in the locality. All "
        "aspects of this requirement are featured within the strategy.",
    ]),
    (SectionKind.IMPLICATIONS, "Equalities implications", "equalities", "", [
        "A full equalities analysis has been undertaken to inform the strategy and its "
        "delivery (appendix 2).",
        "Central to the consultation methodology was the targeting of Wolverhampton's diverse "
        "residents and communities to ensure that the strategy reflects the views of "
        "residents and partners across the City. The addition of the priority to build "
        "community capacity will also result in empowering as many residents as possible to "
        "be more active in their area. Taking a place-based approach will mean that "
        "traditionally hidden communities will be empowered to play a leading role in "
        "delivery within their areas.",
        "Data suggests that some groups are particularly vulnerable to crime and harm. For "
        "example, young men are particularly vulnerable to youth violence associated with "
        "Urban Street Gangs and females are more likely to suffer domestic Abuse. Anecdotal "
        "evidence suggests that those who are expelled from school, attend a PRU or are care "
        "leavers may be more vulnerable to becoming victims or perpetrators of particular "
        "crimes.",
        "When considering hidden crimes; an incident based on hatred can take many different "
        "forms. The five strands of hate crime are an offence committed on the grounds of; "
        "race, perceived religion, sexual orientation, transgender identity or disability. "
        "Whilst hidden crimes in relation to domestic abuse, such as female genital "
        "mutilation (FMG), so called honour-based violence (HBV) and forced marriage (FM) are "
        "most prevalent within communities where these practices are widespread in the "
        "victim or perpetrators country of origin.",
        # 13.5: the equality analysis (equality.py) summed up; its conclusion is 13.5's words.
        live("", "equality_summary"),
    ]),
    (SectionKind.IMPLICATIONS, "Climate Change and environmental implications", "climate", "", [
        "There are no climate change and environmental implications arising from the "
        "recommendation of this report.",
    ]),
    (SectionKind.IMPLICATIONS, "Health and Wellbeing Implications", "health", "", [
        "All of the overarching priorities identified will have an impact on wider Public "
        "Health. When dealing with those at risk of or involved in exploitation in any form "
        "SWP Board and the wider Community Safety Team take a Public Health approach; using "
        "preventative measures to safeguard individuals from becoming either a victim or a "
        "perpetrator of crime. Taking a harm reduction approach whilst empowering "
        "communities, will help to reduce inequalities whilst also working to reduce "
        "deprivation across the City.",
    ]),
    (SectionKind.IMPLICATIONS, "Covid-19 Implications", "covid", "", [
        "SWP has adapted during the Covid-19 pandemic so that delivery against all statutory "
        "and priority functions can continue. For example; engagement and activities to "
        "prevent young people from becoming involved in crime and disorder has been "
        "commissioned and provided online by video link and by providing physical materials "
        "to young people.",
        "Statutory meetings and forums continue to run via online forums such as Skype and "
        "Microsoft Teams, ensuring continuity and where possible business as usual. Daily "
        "meetings with colleagues and partners have provided an up to date picture of any "
        "risks or community tensions, which colleagues are then able to proactively address "
        "and mitigate.",
        "Moving forward, these new methods will continue to be the operating model in the "
        "short term so that core business functions can continue to reduce the risk of crime "
        "and harm. SWP have worked closely with commissioned providers and partners, "
        "supporting them ensure that their services can also continue to function and "
        "deliver services safely to protect our most vulnerable residents and communities.",
        "Where there are statutory functions which require home visits, risk assessments have "
        "been put in place and relevant PPE required so that staff and residents are "
        "protected.",
    ]),
    (SectionKind.IMPLICATIONS, "Human resources implications", "human_resources", "", [
        "There are no Human Resources Implications.",
    ]),
    (SectionKind.IMPLICATIONS, "Corporate Landlord implications", "corporate_landlord", "", [
        "There are no Corporate Landlord implications.",
    ]),
    (SectionKind.BACKGROUND, "Schedule of Background papers", "", "", [
        "Appendix 1 - Safer Wolverhampton Community Safety and Harm Reduction Strategy "
        "(2020-2023), Full Council, 16 September 2020.",
        "Appendix 2 – Equalities Analysis Template",
    ]),
]


def load_committee_report(partnership, strategy, user=None, grant=None,
                          equality_analysis=None) -> dict[str, int]:
    """Create and issue the founding report once; later runs change nothing. ``grant`` and
    ``equality_analysis`` (the demo's, grants.py and equality.py) fill 11.2 and 13.5."""
    if CommitteeReport.objects.filter(partnership=partnership, title=TITLE).exists():
        return {}
    consultation = Consultation.objects.filter(partnership=partnership,
                                               title=CONSULTATION_TITLE).first()
    with transaction.atomic():
        report = CommitteeReport.objects.create(partnership=partnership, strategy=strategy,
                                                consultation=consultation, grant=grant,
                                                equality_analysis=equality_analysis,
                                                **HEADER)
        for number, text in enumerate(RECOMMENDATIONS, start=1):
            ReportRecommendation.objects.create(report=report, number=number, text=text)
        _sections(report)
        for name, day in ROUTE:
            step = services.add_step(report, services.body_named(partnership, name), day, user)
            services.record_decision(step, Decision.APPROVED, ROUTE_NOTE, user)
        document.issue(report, user, files=False)  # PDF and Word made on first download
    return {"committee reports issued": 1}


def _sections(report) -> None:
    for number, (kind, title, implication, code, paragraphs) in enumerate(SECTIONS, start=1):
        section = ReportSection.objects.create(report=report, number=number, kind=kind,
                                               title=title, implication=implication,
                                               clearance_code=code)
        ReportParagraph.objects.bulk_create(
            _paragraph(section, n, item) for n, item in enumerate(paragraphs, start=1))


def _paragraph(section, number: int, item) -> ReportParagraph:
    spec = item if isinstance(item, dict) else {"text": item}
    return ReportParagraph(section=section, number=number, text=spec["text"],
                           is_numbered=spec.get("numbered", True),
                           live_content=spec.get("live", ""), live_option=spec.get("option", ""))
