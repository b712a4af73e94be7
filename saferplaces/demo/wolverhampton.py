"""The Safer Wolverhampton Partnership as published, plus illustrative people.

Sources: City of Wolverhampton Council, report to Health and Wellbeing Together, 21 October 2020,
"Safer Wolverhampton Community Safety and Harm Reduction Strategy (2020-2023)" (sections 2-7):
the board's statutory members, its five voluntary sector and three resident seats, its role as
Wolverhampton's local Police and Crime Board (2.1), the four priorities with their aims (worded
as in the strategy), the linked strategies (4.2, 5.2, 5.3) and the anti-slavery partnership
(6.2). Everything
about individual people, and which voluntary organisations hold the five seats, is illustrative.
"""

import datetime

PARTNERSHIP = {
    "name": "Safer Wolverhampton Partnership",
    "short_name": "SWP",
    "slug": "swp",
    "area_description": "City of Wolverhampton",
    "update_interval_days": 60,
    "also_acts_as": "the local Police and Crime Board for Wolverhampton",
    # The demo stands in its 2020/21 year, the day after its board report's "as at" date.
    "shown_as_at": datetime.date(2021, 2, 15),
}

# (short name, name, statutory role, authority type)
ORGANISATIONS = [
    ("CWC", "City of Wolverhampton Council", "responsible", "council"),
    ("WMP", "West Midlands Police", "responsible", "police"),
    ("WMFS", "West Midlands Fire and Rescue Service", "responsible", "fire"),
    ("NPS", "National Probation Service", "responsible", "probation"),
    ("CRC", "Staffordshire and West Midlands Community Rehabilitation Company", "responsible",
     "probation"),
    ("CCG", "Wolverhampton Clinical Commissioning Group", "responsible", "health"),
    ("WH", "Wolverhampton Homes", "cooperating", ""),
    ("OPCC", "Office of the West Midlands Police and Crime Commissioner", "participating", ""),
    ("WVSC", "Wolverhampton Voluntary Sector Council", "voluntary", ""),
    ("HAVEN", "The Haven Wolverhampton", "voluntary", ""),
    ("IFW", "Interfaith Wolverhampton", "voluntary", ""),
    ("SGH", "St George's Hub", "voluntary", ""),
    ("WDVF", "Wolverhampton Domestic Violence Forum", "voluntary", ""),
    ("RES", "Wolverhampton residents", "resident", ""),
]

# Illustrative people: (name, job title, organisation short name, login user name or "")
PEOPLE = [
    ("Alex Morgan", "Community Safety Partnership Coordinator", "CWC", "swp-admin"),
    ("Priya Sandhu", "Head of Community Safety", "CWC", "cwc-officer"),
    ("Ruth Okafor", "Youth Offending Team Manager", "CWC", ""),
    ("Karen Lloyd", "Domestic Abuse Coordinator", "CWC", ""),
    ("Margaret Hale", "Director of Communities", "CWC", ""),
    ("Daniel Whitmore", "Partnerships Inspector", "WMP", "wmp-officer"),
    ("Fiona Grant", "Detective Chief Inspector, Public Protection", "WMP", ""),
    ("Richard Boyd", "Chief Superintendent, Wolverhampton Neighbourhood Policing Unit", "WMP",
     ""),
    ("Sam Patel", "Station Commander", "WMFS", ""),
    ("Mark Ellis", "Head of Wolverhampton Probation Delivery Unit", "NPS", ""),
    ("Jo Turner", "Senior Operational Manager", "CRC", ""),
    ("Helen Price", "Designated Nurse, Safeguarding", "CCG", ""),
    ("Tom Hughes", "Anti-social Behaviour Manager", "WH", ""),
    ("Grace Bennett", "Chief Executive", "WVSC", ""),
    ("Leah Coleman", "Service Manager", "HAVEN", ""),
    ("Imran Qureshi", "Coordinator", "IFW", ""),
    ("Chris Walker", "Centre Manager", "SGH", ""),
    ("Nadia Rahman", "Chair", "WDVF", ""),
    ("Beverley Adams", "Resident representative", "RES", "board-member"),
    ("Paul Dhillon", "Resident representative", "RES", ""),
    ("Janet Wright", "Resident representative", "RES", ""),
]

# (seat type, office, organisation short name, holder name, label)
BOARD_SEATS = [
    ("statutory", "chair", "WMP", "Richard Boyd", ""),
    ("statutory", "vice_chair", "CWC", "Margaret Hale", ""),
    ("statutory", "member", "WMFS", "Sam Patel", ""),
    ("statutory", "member", "NPS", "Mark Ellis", ""),
    ("statutory", "member", "CRC", "Jo Turner", ""),
    ("statutory", "member", "CCG", "Helen Price", ""),
    ("voluntary", "member", "WVSC", "Grace Bennett", ""),
    ("voluntary", "member", "HAVEN", "Leah Coleman", ""),
    ("voluntary", "member", "IFW", "Imran Qureshi", ""),
    ("voluntary", "member", "SGH", "Chris Walker", ""),
    ("voluntary", "member", "WDVF", "Nadia Rahman", ""),
    ("resident", "member", "RES", "Beverley Adams", "Resident representative"),
    ("resident", "member", "RES", "Paul Dhillon", "Resident representative"),
    ("resident", "member", "RES", "Janet Wright", "Resident representative"),
]

# (title, owner, description)
LINKED_STRATEGIES = [
    ("Black Country Reducing Reoffending Strategy",
     "Black Country CSPs: Dudley, Sandwell, Walsall and Wolverhampton",
     "Joint strategy led by Wolverhampton's CSP with the Dudley, Sandwell and Walsall CSPs, "
     "attracting additional resources to address offending."),
    ("Tackling Violence and Exploitation Strategy", "Safer Wolverhampton Partnership",
     "Tackling all forms of exploitation and violence holistically, with a focus on "
     "contextual safeguarding."),
    ("Interpersonal Violence Strategy", "Safer Wolverhampton Partnership",
     "Domestic abuse, sexual violence, female genital mutilation, honour-based violence, "
     "forced marriage, and stalking and harassment across all genders."),
    ("#YES – Youth Engagement Strategy", "City of Wolverhampton Council",
     "Targeted specialist services for young people most at risk, and universal outreach "
     "support and activities, commissioned in consultation with young people."),
]

# Rows earlier versions of the demo wrote wrongly: old linked-strategy title -> its right
# title, or None when the row is not a linked strategy at all (the anti-slavery partnership is
# a partnership, listed in PARTNER_BODIES).
SUPERSEDED_LINKED_STRATEGIES = {
    "#YES Youth Engagement Strategy": "#YES – Youth Engagement Strategy",
    "Wolverhampton and Walsall Anti-Slavery Partnership": None,
}

# Partnerships the SWP works with: (name, made up of, description)
PARTNER_BODIES = [
    ("Wolverhampton and Walsall Anti-Slavery Partnership", "Wolverhampton and Walsall partners",
     "Progressed under the 2017-2020 strategy's reducing victimisation priority, alongside "
     "the development of a modern slavery pathway and a hate crime microsite."),
]

STRATEGY_2017 = {
    "title": "Safer Wolverhampton Partnership Community Safety and Harm Reduction Strategy "
             "2017-2020",
    "start_date": "2017-04-01",
    "end_date": "2020-03-31",
    "status": "superseded",
    "summary": "The predecessor strategy, which ended on 31 March 2020. Its priorities included "
               "reducing reoffending and reducing victimisation; delivery priorities were set "
               "each year from the strategic assessment.",
}

STRATEGY_2020 = {
    "title": "Community Safety and Harm Reduction Strategy 2020-2023",
    "start_date": "2020-04-01",
    "end_date": "2023-03-31",
    "status": "adopted",
    "summary": "Agreed at an independently facilitated priority-setting workshop in June 2019, "
               "consulted on for 12 weeks, and adopted by Full Council on 16 September 2020. "
               "Broad overarching priorities allow the partnership to respond to emerging "
               "trends; delivery is monitored through an annually refreshed action plan and an "
               "overarching performance framework.",
}

# Priorities of the 2020-2023 strategy: (title, CDA s.6 strands, linked strategies, aims)
PRIORITIES = [
    ("Reducing offending", ["crime_disorder", "reoffending", "substance_misuse"],
     ["Black Country Reducing Reoffending Strategy"], [
         "Reduce adult and youth offending",
         "Earlier identification of those in need of support",
         "Work effectively with the partnership to utilise appropriate enforcement and implement "
         "interventions to change the behaviour of offenders and prevent reoffending",
         "Effective management of high volume/risk offenders",
         "Improved use of pathways to change offender attitudes and behaviours",
     ]),
    ("Preventing violence", ["serious_violence", "crime_disorder"],
     ["Tackling Violence and Exploitation Strategy", "Interpersonal Violence Strategy",
      "#YES – Youth Engagement Strategy"], [
         "Promote a shared understanding that all forms of violence are unacceptable, therefore "
         "increasing confidence in reporting and help seeking",
         "Reduce the prevalence of violent crime across all age groups",
         "Ensure Wolverhampton is a safe place to live, work and visit",
         "Work effectively with the partnership to support offenders and utilise appropriate "
         "enforcement when necessary",
         "Influence implementation and delivery of the West Midlands Violence Reduction Unit to "
         "ensure that it meets local need",
     ]),
    ("Reducing harm", ["crime_disorder", "substance_misuse"], [], [
         "Increase reporting of under-reported crimes",
         "Earlier identification of those at risk of harm",
         "Recognition that reducing harm is everyone's business",
         "Empower residents to build a community response",
     ]),
    ("Building community capacity", ["crime_disorder"], [], [
        "Encourage and enable residents to become more involved in their local area and take "
        "pride in it",
        "Build on trust and confidence within communities to increase reporting of crime",
        "Enable residents to take responsibility for appropriate issues within their communities "
        "and support each other",
        "Strengthen community cohesion",
    ]),
]

PRIORITY_DESCRIPTIONS = {
    "Reducing offending": "Broader than the previous priority of reducing reoffending, to allow "
    "early intervention and prevention as well as work with those already in the criminal "
    "justice system.",
    "Preventing violence": "Identifying those in need of support early to prevent escalation of "
    "violence, with robust multi-agency preventative work.",
    "Reducing harm": "Reducing the harm caused by victimisation and repeat victimisation so that "
    "the most vulnerable are safeguarded and supported.",
    "Building community capacity": "A place-based approach that recognises the role communities "
    "play in reducing crime and disorder, supporting victims and reducing harm.",
}

# The 2017-2020 strategy's priorities that the 2020 report names: reducing reoffending (4.1)
# and reducing victimisation (6.2). It names no others, so the demo shows no others.
PRIORITIES_2017 = [
    ("Reducing reoffending", ["reoffending", "substance_misuse"]),
    ("Reducing victimisation", ["crime_disorder"]),
]

PLAN_2020 = {"year": 2020, "start_date": "2020-04-01", "end_date": "2021-03-31",
             "status": "active"}

# Demo logins: user name -> (role, organisation short name, first name, last name)
USERS = {
    "swp-admin": ("admin", "CWC", "Alex", "Morgan"),
    "cwc-officer": ("officer", "CWC", "Priya", "Sandhu"),
    "wmp-officer": ("officer", "WMP", "Daniel", "Whitmore"),
    "board-member": ("board", "RES", "Beverley", "Adams"),
}

DEMO_PASSWORD = "safer-wolverhampton-demo"  # the published password of the demo logins only
