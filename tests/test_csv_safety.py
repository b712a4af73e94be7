"""Safe CSV (issue 9 points 2 and 6): formula cells escaped on the way out and unescaped on the
way in, upload size limits, capped error lists, and an action import whose queries do not grow
with its rows."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from saferplaces.core.csv_output import csv_text, xlsx_text_stays_text
from saferplaces.core.csv_records import read_table
from saferplaces.strategy import services
from saferplaces.strategy.models import Action
from tests.commands import run_command
from tests.conftest import make_action
from tests.factories import ActionPlanFactory

#: The OWASP formula-injection payloads, and text that merely starts with a quote.
PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1,1)", "\t=1", "\r=1",
            "'=already", "'quoted"]


# --- the writer and the reader -----------------------------------------------------------


def test_formula_cells_are_written_with_a_quote_and_numbers_stay_numbers():
    text = csv_text(["name", "value"], [
        ["=1+1", -3], ["-2+3", Decimal("-0.5")], ["'=x", -0.25], ["'quoted", 7],
        ["plain", None], ["-3", 1],
    ])
    assert text == ("name,value\n'=1+1,-3\n'-2+3,-0.5\n''=x,-0.25\n'quoted,7\nplain,\n"
                    "'-3,1\n")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_reads_back_exactly(payload):
    written = csv_text(["title"], [[payload]]).encode()
    assert read_table(written).rows[0].cells == [payload]


def test_a_quote_before_ordinary_text_is_kept_and_cells_are_trimmed():
    table = read_table(b"a,b,c\n'quoted,  padded  ,'=x\n")
    assert table.rows[0].cells == ["'quoted", "padded", "=x"]


def test_xlsx_text_that_looks_like_a_formula_is_stored_as_text():
    book = Workbook()
    book.active.append(['=HYPERLINK("http://x","y")', -3])
    xlsx_text_stays_text(book.active[1])
    out = io.BytesIO()
    book.save(out)
    cells = load_workbook(io.BytesIO(out.getvalue())).active[1]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        ('=HYPERLINK("http://x","y")', "s"), (-3, "n")]


# --- web export -> web import ------------------------------------------------------------


def _payload_actions(world):
    a = world["a"]
    for number, title in enumerate(PAYLOADS, start=1):
        make_action(a["plan"], f"OW-{number:02d}", a["police"], aims=[a["aims"][0]],
                    title=title, description=title)


def _export(client, plan):
    response = client.get(reverse("plan_export", args=["alpha", plan.pk]))
    assert response.status_code == 200
    return response.content


def _upload(client, plan, data, name="plan.csv"):
    return client.post(reverse("plan_import", args=["alpha", plan.pk]),
                       {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_owasp_titles_round_trip_through_web_export_and_import(world, login):
    _payload_actions(world)
    plan = world["a"]["plan"]
    client = login(world["users"]["admin"])
    data = _export(client, plan)
    rows = list(csv.DictReader(io.StringIO(data.decode(), newline="")))
    written = {row["reference"]: row for row in rows if row["reference"].startswith("OW-")}
    assert [written[f"OW-{n:02d}"]["title"] for n in range(1, 9)] == [
        "'" + title for title in PAYLOADS[:7]] + ["'quoted"]
    history = Action.history.count()

    assert _upload(client, plan, data).status_code == 302  # back onto the same plan...
    assert Action.history.count() == history               # ...changes nothing
    titles = dict(plan.actions.values_list("reference", "title"))
    assert [titles[f"OW-{n:02d}"] for n in range(1, 9)] == PAYLOADS

    next_year = ActionPlanFactory(strategy=world["a"]["strategy"], year=2021)
    assert client.post(reverse("plan_import", args=["alpha", next_year.pk]), {
        "file": SimpleUploadedFile("plan.csv", data)}).status_code == 302
    copied = next_year.actions.filter(reference__startswith="OW-").order_by("reference")
    assert [(a.title, a.description) for a in copied] == [(t, t) for t in PAYLOADS]


# --- upload limits and error lists -------------------------------------------------------


def test_an_upload_over_the_limit_is_refused_next_to_the_field(world, login, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    plan = world["a"]["plan"]
    client = login(world["users"]["admin"])
    header = b"reference,title,aims,lead_organisation,due_date,status\n"
    row = b"BIG-%05d,Big file,1.1,POL,2021-01-01,on_track\n"
    data = header + b"".join(row % n for n in range(30_000))  # 1.3 MB
    response = _upload(client, plan, data)
    assert response.status_code == 200
    assert len(data) == 1_410_055  # 1.34 MB
    assert response.context["form"].errors["file"] == [
        "This file is 1.3 MB, over the 1 MB upload limit. Split it into smaller files, or ask "
        "your administrator to raise the UPLOAD_MAX_MB setting."]
    assert 'class="errorlist' in response.content.decode()
    assert not plan.actions.filter(reference__startswith="BIG-").exists()


def _bad_rows(count):
    header = "reference,title,aims,lead_organisation,due_date,status\n"
    return (header + "".join(f"X-{n},T,1.1,POL,2021-01-01,done\n" for n in range(count))
            ).encode()


def test_the_web_lists_the_first_100_problems_and_counts_the_rest(world, login):
    plan = world["a"]["plan"]
    response = _upload(login(world["users"]["admin"]), plan, _bad_rows(1334))
    html = response.content.decode()
    assert html.count("unknown status &#x27;done&#x27;") == 100
    assert "And 1,234 more; 1,334 errors in all." in html
    assert "line 102" not in html and "<td>101</td>" in html and "<td>102</td>" not in html


def test_the_command_lists_the_first_100_problems_and_counts_the_rest(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(_bad_rows(150))
    code, _, err = run_command("actions", "import", path, "--plan", world["a"]["plan"].pk)
    lines = err.splitlines()
    assert code == 1
    assert sum("unknown status" in line for line in lines) == 100
    assert lines[-2:] == ["and 50 more; 150 errors in all",
                          f"{path}: refused, 150 problems; nothing written."]


# --- a large import -----------------------------------------------------------------------


def _rows(count, start=0):
    header = ("reference,title,aims,lead_organisation,partner_organisations,lead_officer,"
              "start_date,due_date,status,progress\n")
    body = "".join(f"L-{n:05d},Action {n},1.1; 1.2,POL,CNCL; FIRE,Pat Lead,2020-04-01,"
                   f"2021-03-31,on_track,{n % 101}\n" for n in range(start, start + count))
    return (header + body).encode()


@pytest.mark.parametrize("count", [10, 300])
def test_import_queries_do_not_grow_with_rows(world, count, django_assert_max_num_queries):
    plan = world["a"]["plan"]
    with django_assert_max_num_queries(40):
        result = services.import_actions(plan, _rows(count))
    assert (len(result.created), result.errors) == (count, [])


def test_a_bulk_import_keeps_the_audit_trail_and_every_value(world):
    plan, a = world["a"]["plan"], world["a"]
    user = world["users"]["admin"]
    services.import_actions(plan, _rows(3), user=user)
    text = _rows(3).decode().replace("Action 1,", "Action one,").replace("CNCL; FIRE,Pat Lead,"
                                                                         "2020-04-01,2021-03-31,"
                                                                         "on_track,2", "CNCL,"
                                                                         "Pat Lead,2020-04-01,"
                                                                         "2021-03-31,on_track,2")
    result = services.import_actions(plan, text.encode(), user=user)
    assert (result.created, result.updated, result.unchanged) == (
        [], ["L-00001", "L-00002"], ["L-00000"])
    one = plan.actions.get(reference="L-00001")
    assert (one.title, one.progress, one.lead_officer, one.due_date) == (
        "Action one", 1, a["person"], datetime.date(2021, 3, 31))
    assert sorted(one.aims.all(), key=lambda aim: aim.pk) == a["aims"]
    two = plan.actions.get(reference="L-00002")
    assert list(two.partner_organisations.all()) == [a["council"]]
    records = list(two.history.order_by("history_id"))
    assert [(r.history_type, r.history_change_reason, r.history_user) for r in records] == [
        ("+", "CSV import", user), ("~", "CSV import", user)]
    assert [sorted(link.organisation_id for link in r.partner_organisations.all())
            for r in records] == [sorted([a["council"].pk, a["fire"].pk]), [a["council"].pk]]
    assert plan.actions.get(reference="L-00000").history.count() == 1


def test_past_the_limit_no_bytes_are_kept(settings, rf):
    settings.UPLOAD_MAX_BYTES = 100_000
    request = rf.post("/", {"file": SimpleUploadedFile("big.csv", b"x" * 300_000)})
    upload = request.FILES["file"]
    assert (upload.too_large, upload.size, upload.read()) == (True, 300_000, b"")
    small = rf.post("/", {"file": SimpleUploadedFile("ok.csv", b"y" * 99_999)}).FILES["file"]
    assert (getattr(small, "too_large", False), small.read()) == (False, b"y" * 99_999)


def test_a_file_over_the_row_limit_is_refused_as_a_whole(world, monkeypatch):
    from saferplaces.strategy import action_csv

    monkeypatch.setattr(action_csv, "MAX_ACTIONS", 5)
    result = services.import_actions(world["a"]["plan"], _rows(6), file="big.csv")
    assert [str(error) for error in result.errors] == [
        "big.csv: the file has 6 actions; at most 5 are imported at once, so split it into "
        "smaller files"]
    assert services.import_actions(world["a"]["plan"], _rows(5)).ok
