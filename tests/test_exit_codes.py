"""Exit codes of the crime analyses and of serve, through call_command (docs/commands.md):
1 refused input or partial failure, 2 usage error. The import, fetch and weights sub-commands,
and the other commands, are tested beside their own behaviour."""

import pytest

from tests.commands import run_command

pytestmark = pytest.mark.django_db

PERIOD = ("--from", "2020-01", "--to", "2020-03")


@pytest.mark.parametrize(("args", "message"), [
    (("summary", "--from", "2020-13", "--to", "2020-03", "--by", "month"),
     "'2020-13' has no month 13"),
    (("summary", *PERIOD, "--by", "county"), "invalid choice: 'county'"),
    (("summary", "--from", "2020-03", "--to", "2020-01", "--by", "month"),
     "The period ends before it starts"),
    (("summary", *PERIOD, "--by", "month", "--area", "E99999999"),
     "No area with code E99999999"),
    (("summary", *PERIOD, "--by", "month", "--measure", "harm"),
     "No harm weight table is loaded"),
    (("summary", *PERIOD), "the following arguments are required: --by"),
    (("change", *PERIOD, "--area", "E99999999"), "No area with code E99999999"),
    (("hotspots", *PERIOD), "the following arguments are required: --area"),
    (("hotspots", *PERIOD, "--area", "E99999999"), "No area with code E99999999"),
    (("repeats", *PERIOD, "--area", "E99999999"), "No area with code E99999999"),
    (("outcomes", *PERIOD, "--area", "E99999999", "--street"), "No area with code E99999999"),
    (("stop-search", *PERIOD, "--force", "Nowhere Police"),
     "Unknown force 'Nowhere Police'"),
    (("stop-search", "--from", "2020-13", "--to", "2020-03", "--force", "Nowhere Police"),
     "'2020-13' has no month 13"),
    (("nonsense",), "invalid choice: 'nonsense'"),
    ((), "the following arguments are required"),
])
def test_crime_analysis_usage_errors_exit_2(args, message):
    code, out, err = run_command("crime", *args)
    assert (code, out) == (2, "")
    assert message in err


def test_serve_refuses_a_port_out_of_range():
    code, _, err = run_command("serve", "--port", "70000")
    assert code == 2 and "--port 70000 is not a valid port number" in err


def test_serve_refuses_no_workers_and_defaults_to_twice_the_cores_plus_one(monkeypatch):
    code, _, err = run_command("serve", "--workers", "0")
    assert code == 2 and "--workers must be at least 1" in err
    from saferplaces.core.management.commands import serve

    monkeypatch.setattr(serve.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert serve.default_workers() == 7
