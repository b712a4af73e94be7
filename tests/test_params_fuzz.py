"""No parameter gives a server error: hypothesis drives every page, JSON endpoint and form.

Routes come from the URL resolver (the same walk and `FILL` as tests/test_isolation.py), so a
new page is fuzzed as soon as it has a URL. `QUERY` lists the query parameters each route
reads; a route not listed gets every parameter name any route reads. Forms are found by
reading the POST forms on each page as an administrator, so a new form is fuzzed too: every
field gets random text, edge values (huge numbers, bad months, NUL, markup) or one of its
own options. Each request runs in a savepoint that is rolled back, so the examples do not
depend on each other. The settings profile `params-fuzz` keeps the whole file near a minute;
`SAFERPLACES_FUZZ_EXAMPLES=50` asks for more examples per route and form.
"""

from __future__ import annotations

import datetime
import os
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from saferplaces.core import params
from tests.test_isolation import ROUTES, url
from tests.test_isolation import alpha_objects as alpha_objects  # a fixture, used below

pytestmark = pytest.mark.django_db

settings.register_profile(
    "params-fuzz", max_examples=int(os.environ.get("SAFERPLACES_FUZZ_EXAMPLES", 8)),
    deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FUZZ = settings.get_profile("params-fuzz")

# Route name -> the query parameters its view reads.
PERIOD = ["period"]
MONTHS = ["from", "to"]
QUERY = {
    "api_summary": ["by", "measure", *MONTHS],
    "api_change": ["by", *MONTHS],
    "api_hotspots": ["measure", "crime_type", *MONTHS],
    "api_repeats": ["min", "months", "crime_type"],
    "api_outcomes": MONTHS,
    "api_stop_search": ["force", *MONTHS],
    "api_ward_geojson": ["measure", "crime_type", *MONTHS],
    "ward_map": ["measure", "crime_type", *MONTHS],
    "scorecard": PERIOD, "scorecard_csv": PERIOD, "scorecard_xlsx": PERIOD,
    "exceptions": PERIOD, "data_quality": PERIOD, "indicator": PERIOD,
    "strategy_detail": ["plan"],
    "plan_detail": ["priority", "lead_organisation", "status", "overdue", "q", "page"],
    "report_detail": ["format"],
}
EVERY_NAME = sorted({name for names in QUERY.values() for name in names})

EDGE_VALUES = [
    "", " ", "0", "-0", "1", "-1", "3", "12", "2.5", "1e309", "NaN", "inf", "١٢",
    "99999999999999999999", "9" * 5000, "2020-01", "2020-13", "0000-01", "9999-12",
    "2020-Q3", "2020/21 Q3", "2020-Q9", "9999/00 Q4", "rate", "harm", "count", "total", "ward",
    "Burglary", "west-midlands", "html", "<img src=x onerror=window.__xss=1>", "\x00",
    "a\x00b", "'; DROP TABLE auth_user; --", "%", "../../etc/passwd",
]
# Values that gave 500s before core/params.py: an overflowing month count, year 0, NUL.
SERVER_ERRORS_SEEN = ["99999999999999999999", "0000-01", "\x00"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
VALUES = st.one_of(st.sampled_from(EDGE_VALUES), TEXT,
                   st.integers(-10**20, 10**20).map(str))


def respond(client, method: str, target: str, data: dict):
    """The response, in a savepoint rolled back afterwards; a view exception becomes a 500."""
    with transaction.atomic():
        try:
            response = getattr(client, method)(target, data)
        except Exception as exc:  # noqa: BLE001 - the test client re-raises the view's error
            raise AssertionError(f"{method.upper()} {target} {data!r}: {exc!r}") from exc
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{method.upper()} {target} {data!r}"
    return response


def fuzz(values: st.SearchStrategy, send, examples=(), share: float = 1.0) -> None:
    """send(value) for each of examples and a share of the profile's generated values."""

    @settings(FUZZ, max_examples=max(1, round(FUZZ.max_examples * share)))
    @given(values)
    def check(value):
        send(value)

    for value in examples:
        check = example(value)(check)
    check()


def get_targets(objects: dict) -> list[tuple[str, str]]:
    """(route name, URL) of every GET-able page and endpoint, in alpha and at the top level."""
    targets = [(name, url(route, name, "alpha", objects)) for route, name in ROUTES]
    return targets + [("home", "/"), ("health", "/health/")]


@pytest.fixture(autouse=True)
def no_internet(settings):
    """A fuzzed fetch form runs its job inside the request: it must not reach police.uk
    (port 9 is discard)."""
    settings.POLICE_UK_BASE_URL = "http://127.0.0.1:9"


@pytest.fixture
def admin(client, world):
    client.force_login(world["users"]["admin"])
    return client


def test_query_lists_only_real_routes():
    assert set(QUERY) <= {name for _, name in ROUTES}


def test_every_query_parameter_gives_no_server_error(admin, alpha_objects):
    for name, target in get_targets(alpha_objects):
        names = QUERY.get(name, EVERY_NAME)
        queries = st.dictionaries(st.sampled_from(names), VALUES, max_size=len(names))

        # Each parameter the route reads also gets the values that once gave 500s.
        edges = [{n: value} for n in QUERY.get(name, []) for value in SERVER_ERRORS_SEEN]
        fuzz(queries, lambda query, target=target: respond(admin, "get", target, query),
             examples=edges, share=1.0 if name in QUERY else 0.4)


def test_json_endpoints_refuse_bad_choices_and_numbers_by_name(admin, alpha_objects):
    refused = {
        "api_hotspots": {"measure": "bogus"}, "api_summary": {"measure": "bogus"},
        "api_ward_geojson": {"measure": "bogus"}, "api_change": {"by": "month"},
        "api_repeats": {"months": "99999999999999999999"},
        "api_stop_search": {"force": "Atlantis Police"},
    }
    for name, target in get_targets(alpha_objects):
        if name in refused:
            response = admin.get(target, refused[name])
            assert response.status_code == 400, name
            (parameter,) = refused[name]
            assert parameter in response.json()["error"].lower(), name
    bad_crime_type = admin.get(url(*next(r for r in ROUTES if r[1] == "api_repeats"), "alpha",
                                   alpha_objects), {"crime_type": "Burglary<"})
    assert bad_crime_type.status_code == 400


def test_a_page_shows_a_bad_parameter_and_uses_the_default(admin, alpha_objects):
    target = url(*next(r for r in ROUTES if r[1] == "ward_map"), "alpha", alpha_objects)
    page = admin.get(target, {"measure": "bogus", "from": "0000-01"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "measure must be one of count, rate, harm, not &#x27;bogus&#x27;" in text
    assert "from must be a month from 1990-01 to 2100-12" in text
    assert page.context["measure"] == "rate"


# ---------------------------------------------------------------------------------------------
# Forms


class PostForms(HTMLParser):
    """The POST forms of a page: action and fields (name -> kind and the values offered)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "hidden"):
            kind = a.get("type") or "text"
            self._form["fields"].setdefault(a["name"], (kind, []))[1].append(a.get("value") or "")
        elif tag == "input" and a.get("type") == "hidden" and a["name"] != "csrfmiddlewaretoken":
            self._form["fields"][a["name"]] = ("hidden", [a.get("value") or ""])
        elif tag in ("textarea", "select"):
            self._form["fields"][a["name"]] = (tag, [])
            self._select = a["name"] if tag == "select" else None
        elif tag == "option" and self._select:
            self._form["fields"][self._select][1].append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def post_forms(client, objects: dict) -> dict[str, dict]:
    """Every distinct POST form on the partnership's pages, by where it posts to."""
    found: dict[str, dict] = {}
    for name, target in get_targets(objects):
        if name.startswith("api_") or name.endswith(("_csv", "_xlsx", "_pdf", "_export")):
            continue
        response = client.get(target)
        if "html" not in response.get("Content-Type", ""):
            continue
        parser = PostForms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = urlsplit(form["action"]).path or target
            if "/logout/" in action:
                continue  # logging out would end the test's own session
            found.setdefault(action, {}).update(form["fields"])
    return found


def field_values(kind: str, offered: list[str]):
    """A strategy for one field: absent (None), a value it offers, or anything."""
    own = [st.sampled_from(offered)] if offered else []
    if kind == "file":
        return st.one_of(st.none(), st.binary(max_size=200).map(
            lambda data: SimpleUploadedFile("fuzz.csv", data, content_type="text/csv")))
    return st.one_of(st.none(), *own, VALUES)


def test_every_form_gives_no_server_error(admin, alpha_objects):
    forms = post_forms(admin, alpha_objects)
    assert len(forms) >= 20, sorted(forms)  # the resolver walk reached the edit pages
    for action, fields in forms.items():
        data = st.fixed_dictionaries({field: field_values(kind, offered)
                                      for field, (kind, offered) in fields.items()})
        fuzz(data, lambda data, action=action: respond(
            admin, "post", action, {k: v for k, v in data.items() if v is not None}))


# ---------------------------------------------------------------------------------------------
# The one helper, on worked values


def test_whole_number_is_bounded():
    bounds = {"default": 12, "minimum": 1, "maximum": 120}
    assert params.whole_number({}, "months", **bounds) == 12
    assert params.whole_number({"months": " 36 "}, "months", **bounds) == 36
    for bad in ("0", "121", "99999999999999999999", "1.5", "--5", "twelve", "１２"):
        with pytest.raises(params.ParameterError, match="months must be a whole number from 1"):
            params.whole_number({"months": bad}, "months", **bounds)


def test_choices_months_and_periods_are_checked():
    assert params.choice({"measure": "harm"}, "measure", ("count", "harm"), default="count") \
        == "harm"
    with pytest.raises(params.ParameterError, match="measure must be one of count, harm"):
        params.choice({"measure": "Harm"}, "measure", ("count", "harm"), default="count")
    assert params.month_range({"from": "2020-02"}, default_start=None,
                              default_end=datetime.date(2020, 12, 1))[0].month == 2
    for bad in ({"from": "0000-01"}, {"to": "2101-01"}, {"from": "2020-07", "to": "2020-06"}):
        with pytest.raises(params.ParameterError):
            params.month_range(bad, default_start=datetime.date(2020, 1, 1),
                               default_end=datetime.date(2020, 12, 1))
    assert params.period({"period": "2020-Q3"}).code == "2020-Q3"
    assert params.period({}) is None
    with pytest.raises(params.ParameterError):
        params.period({"period": "9999/00 Q4"})
