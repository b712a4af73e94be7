"""`saferplaces reminders`: one digest per person, with the right actions and indicator values,
none for people with nothing due; --dry-run, --today and --partnership."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command

from saferplaces.core import periods
from saferplaces.partnership.models import Membership
from saferplaces.performance import reminders, rules
from tests.commands import run_command, usage_error
from tests.conftest import make_action, make_partnership, make_user
from tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2021, 1, 15)  # quarterly values due: 2020-Q2; monthly: 2020-11
BASE = "https://csp.example.org"


@pytest.fixture
def place(db):
    """Partnership Alpha as on TODAY:

    - police (officer police-a): PV-01 fine; PV-04 overdue; PV-05 stale (last update 1 Oct
      2020, interval 60 days); PV-09 overdue but in a closed plan; indicator IP1 (submitted,
      quarterly) has only 2020-Q1, so 2020-Q2 is due; IP2 (monthly) has November awaiting
      approval, so nothing is due; IP3 is imported, so never due from a partner.
    - fire (officer fire-a): PV-02 overdue, led by Pat; IF1 has a returned 2020-Q2 value.
    - council (officer council-a): PV-03 overdue but complete; IC1 (annual) has 2019/20:
      nothing due.
    - pat (board member, no email on the login) is PV-02's lead officer through Person.
    - admin-a: one value awaiting approval. board-a: nothing.
    Partnership Beta: admin-b with a value awaiting approval.
    """
    a = make_partnership("alpha", "Alpha")
    b = make_partnership("beta", "Beta")
    plan = a["plan"]
    users = {
        "admin": make_user("admin-a", a["partnership"], "admin"),
        "police": make_user("police-a", a["partnership"], "officer", a["police"]),
        "fire": make_user("fire-a", a["partnership"], "officer", a["fire"]),
        "council": make_user("council-a", a["partnership"], "officer", a["council"]),
        "board": make_user("board-a", a["partnership"], "board"),
        "pat": make_user("pat", a["partnership"], "board"),
        "admin_b": make_user("admin-b", b["partnership"], "admin"),
    }
    users["pat"].email = ""
    users["pat"].save()
    a["person"].user = users["pat"]  # Pat Lead, pat@example.org
    a["person"].save()
    actions = {
        "fine": make_action(plan, "PV-01", a["police"], due_date=datetime.date(2021, 3, 31),
                            last_update_date=datetime.date(2020, 12, 20)),
        "overdue": make_action(plan, "PV-04", a["police"], due_date=datetime.date(2020, 12, 31),
                               last_update_date=datetime.date(2021, 1, 10),
                               title="Street lighting & CCTV"),
        "stale": make_action(plan, "PV-05", a["police"], due_date=datetime.date(2021, 6, 30),
                             last_update_date=datetime.date(2020, 10, 1)),
        "fire": make_action(plan, "PV-02", a["fire"], due_date=datetime.date(2020, 6, 30),
                            lead_officer=a["person"],
                            last_update_date=datetime.date(2021, 1, 5)),
        "complete": make_action(plan, "PV-03", a["council"], status="complete",
                                due_date=datetime.date(2020, 6, 30)),
    }
    old_plan = ActionPlanFactory(strategy=a["strategy"], year=2019, status="closed")
    make_action(old_plan, "PV-09", a["police"], due_date=datetime.date(2020, 3, 31))
    ip1 = IndicatorFactory(partnership=a["partnership"], code="IP1", owner=a["police"])
    IndicatorValueFactory(indicator=ip1, period="2020-Q1")
    ip2 = IndicatorFactory(partnership=a["partnership"], code="IP2", owner=a["police"],
                           frequency="monthly")
    IndicatorValueFactory(indicator=ip2, period="2020-11", status="submitted")
    IndicatorFactory(partnership=a["partnership"], code="IP3", owner=a["police"],
                     source="imported")
    if1 = IndicatorFactory(partnership=a["partnership"], code="IF1", owner=a["fire"])
    IndicatorValueFactory(indicator=if1, period="2020-Q2", status="rejected")
    ic1 = IndicatorFactory(partnership=a["partnership"], code="IC1", owner=a["council"],
                           frequency="annual")
    IndicatorValueFactory(indicator=ic1, period="2019/20")
    bx1 = IndicatorFactory(partnership=b["partnership"], code="BX1", owner=b["police"])
    IndicatorValueFactory(indicator=bx1, period="2020-Q2", status="submitted")
    return {"a": a, "b": b, "users": users, "actions": actions}


def digests_by_user(**kwargs):
    kwargs.setdefault("base_url", BASE)
    return {d.username: d for d in reminders.build_digests(TODAY, **kwargs)}


def test_digests_hold_the_right_items_per_person(place):
    digests = digests_by_user()
    assert sorted(digests) == ["admin-a", "admin-b", "fire-a", "pat", "police-a"]

    police = digests["police-a"]
    assert [(i.reference, i.overdue, i.stale) for i in police.actions] == [
        ("PV-04", True, False), ("PV-05", False, True)]
    assert police.actions[0].reason == "overdue: due 31 December 2020"
    assert police.actions[1].reason == "no update since 1 October 2020"
    pk = place["actions"]["overdue"].pk
    assert police.actions[0].url == f"{BASE}/p/alpha/actions/{pk}/"
    assert [(i.code, i.period_code) for i in police.indicators] == [("IP1", "2020-Q2")]
    assert police.indicators[0].url == f"{BASE}/p/alpha/performance/indicators/IP1/"
    assert police.indicators[0].period_label == "Jul–Sep 2020 (2020/21 Q2)"
    assert police.approvals == []

    fire = digests["fire-a"]
    assert [i.reference for i in fire.actions] == ["PV-02"]
    assert [(i.code, i.period_code) for i in fire.indicators] == [("IF1", "2020-Q2")]

    pat = digests["pat"]  # lead officer through Person; email from the Person
    assert [i.reference for i in pat.actions] == ["PV-02"]
    assert pat.indicators == [] and pat.approvals == []
    assert (pat.email, pat.name) == ("pat@example.org", "Pat Lead")

    admin = digests["admin-a"]
    assert admin.actions == [] and admin.indicators == []
    assert [(i.partnership, i.count, i.text) for i in admin.approvals] == [
        ("Alpha", 1, "1 indicator value awaits your approval")]
    assert admin.approvals[0].url == f"{BASE}/p/alpha/performance/data-quality/"


def test_one_email_per_person_none_for_people_with_nothing_due(place, capsys):
    call_command("reminders", "--today", TODAY.isoformat(), "--base-url", BASE + "/")
    assert "5 digests sent." in capsys.readouterr().out
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["admin-a@example.org", "admin-b@example.org", "fire-a@example.org",
                          "pat@example.org", "police-a@example.org"]
    police = next(m for m in mail.outbox if m.to == ["police-a@example.org"])
    assert police.subject == "[saferplaces] Reminder: 2 actions, 1 indicator value"
    assert "PV-04 Street lighting & CCTV (POL, Alpha)" in police.body
    assert "Overdue: due 31 December 2020" in police.body
    assert f"{BASE}/p/alpha/actions/{place['actions']['stale'].pk}/" in police.body
    assert "IP1 Indicator IP1 (Alpha): the value for Jul–Sep 2020 (2020/21 Q2) is due" in (
        police.body)
    for absent in ("PV-01", "PV-02", "PV-03", "PV-09", "IP2", "IP3", "&amp;"):
        assert absent not in police.body  # nothing else, and no HTML escaping in plain text
    html, mimetype = police.alternatives[0]
    assert mimetype == "text/html"
    assert (f'<a href="{BASE}/p/alpha/performance/indicators/IP1/">IP1 Indicator IP1</a>'
            in html)
    assert "Street lighting &amp; CCTV" in html


def test_one_digest_across_partnerships(place):
    both = make_user("both", place["a"]["partnership"], "admin")
    Membership.objects.create(user=both, partnership=place["b"]["partnership"], role="admin")
    call_command("reminders", "--today", TODAY.isoformat())
    messages = [m for m in mail.outbox if m.to == ["both@example.org"]]
    assert len(messages) == 1
    assert "Alpha: 1 indicator value awaits your approval" in messages[0].body
    assert "Beta: 1 indicator value awaits your approval" in messages[0].body
    assert "http://127.0.0.1:8000/p/beta/performance/data-quality/" in messages[0].body


class RefusesPoliceBackend(locmem.EmailBackend):
    """The test mailbox, except that the mail server refuses police-a's address."""

    def send_messages(self, messages):
        if any("police-a@example.org" in m.to for m in messages):
            raise ConnectionRefusedError("mail server refused the connection")
        return super().send_messages(messages)


def test_a_digest_that_cannot_be_sent_means_exit_code_1(place, settings):
    settings.EMAIL_BACKEND = "tests.test_reminders.RefusesPoliceBackend"
    code, out, err = run_command("reminders", "--today", TODAY.isoformat())
    assert code == 1
    assert "Could not send to police-a@example.org (police-a)" in err
    assert "1 digest could not be sent." in err
    assert mail.outbox and all(m.to != ["police-a@example.org"] for m in mail.outbox)
    assert f"{len(mail.outbox)} digest" in out


def test_dry_run_sends_nothing(place, capsys):
    call_command("reminders", "--dry-run", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert mail.outbox == []
    assert "police-a@example.org (police-a): 2 actions, 1 indicator value" in out
    assert "  indicator IP1 Indicator IP1 [Alpha]: value for 2020-Q2 due" in out
    assert "council-a" not in out and "board-a" not in out
    assert "Dry run: 5 digests would be sent." in out


def test_today_changes_what_is_overdue(place, capsys):
    # On 30 October 2020 PV-04 is not yet due, PV-05 was updated 29 days ago, and 2020-Q2
    # (ended 30 September) is not yet due: the police officer has nothing to do.
    earlier = {d.username: d for d in reminders.build_digests(datetime.date(2020, 10, 30))}
    assert "police-a" not in earlier
    assert [i.reference for i in earlier["fire-a"].actions] == ["PV-02"]
    # 2020-Q1 is the quarter due then, and IF1 has no value for it (Q2's was returned).
    assert [(i.code, i.period_code) for i in earlier["fire-a"].indicators] == [
        ("IF1", "2020-Q1")]
    call_command("reminders", "--today", "2020-10-30", "--partnership", "alpha")
    assert "police-a@example.org" not in [m.to[0] for m in mail.outbox]


def test_partnership_option_limits_the_digests(place, capsys):
    call_command("reminders", "--today", TODAY.isoformat(), "--partnership", "beta")
    assert [m.to for m in mail.outbox] == [["admin-b@example.org"]]
    assert "1 digest sent." in capsys.readouterr().out
    assert "No partnership 'gamma'" in usage_error("reminders", "--partnership", "gamma")
    assert "is not a date" in usage_error("reminders", "--today", "15/01/2021")
    assert "unrecognized arguments: --bogus" in usage_error("reminders", "--bogus")


def test_person_with_no_email_is_skipped_and_reported(place, capsys):
    place["a"]["person"].email = ""
    place["a"]["person"].save()
    call_command("reminders", "--today", TODAY.isoformat())
    captured = capsys.readouterr()
    assert "Skipped pat: no email address (1 action)." in captured.err
    assert "4 digests sent." in captured.out
    assert len(mail.outbox) == 4


def test_inactive_logins_get_nothing(place):
    place["users"]["police"].is_active = False
    place["users"]["police"].save()
    assert "police-a" not in digests_by_user()


def test_due_period_matches_the_data_quality_rule():
    # Q2 (July-September) ends on 30 September; with 30 days' grace it is due from 31 October.
    assert reminders.due_period("quarterly", datetime.date(2020, 10, 30)).code == "2020-Q1"
    assert reminders.due_period("quarterly", datetime.date(2020, 10, 31)).code == "2020-Q2"
    assert reminders.due_period("monthly", TODAY).code == "2020-11"
    assert reminders.due_period("annual", TODAY).code == "2019/20"
    for day in (datetime.date(2020, 10, 30), datetime.date(2020, 10, 31), TODAY):
        for frequency in ("monthly", "quarterly", "annual"):
            due = reminders.due_period(frequency, day)
            flags = rules.data_quality_flags(has_baseline=True, latest_period_end=due.end,
                                             frequency=frequency, today=day,
                                             unapproved_count=0)
            assert flags == []
            before = periods.previous_period(due)
            flags = rules.data_quality_flags(has_baseline=True, latest_period_end=before.end,
                                             frequency=frequency, today=day,
                                             unapproved_count=0)
            assert [f.code for f in flags] == ["value_overdue"]
            assert due.label in flags[0].reason


def test_action_never_updated_is_stale_from_its_creation(place):
    fine = place["actions"]["fine"]
    type(fine).objects.filter(pk=fine.pk).update(
        last_update_date=None, created_at=datetime.datetime(2020, 6, 1, tzinfo=datetime.UTC))
    police = digests_by_user()["police-a"]
    item = next(i for i in police.actions if i.reference == "PV-01")
    assert (item.overdue, item.stale, item.reason) == (False, True, "no update yet")
