"""The Server-Timing header (SERVER_TIMING): off by default; when on, every response says
its time in Django, its CPU and its database time and number of queries."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saferplaces.core.server_timing import QueryTimer, header_value

pytestmark = pytest.mark.django_db


def test_the_header_reads_in_milliseconds():
    timer = QueryTimer(seconds=0.0091, queries=14)
    assert header_value(0.2124, 0.198, timer) == (
        'app;dur=212.4, cpu;dur=198.0, db;dur=9.1;desc="14 queries"')


def test_no_header_unless_turned_on(world):
    client = Client()
    client.force_login(world["users"]["admin"])
    assert "Server-Timing" not in client.get(reverse("dashboard", args=["alpha"]))


def test_the_header_counts_every_query_of_the_request(world, settings):
    settings.SERVER_TIMING = True
    client = Client()  # a new client loads the middleware with the setting on
    client.force_login(world["users"]["admin"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard", args=["alpha"]))
    assert response.status_code == 200
    found = re.fullmatch(r'app;dur=([\d.]+), cpu;dur=([\d.]+), db;dur=([\d.]+);'
                         r'desc="(\d+) queries"', response["Server-Timing"])
    assert found, response["Server-Timing"]
    app, _cpu, db, count = found.groups()
    assert int(count) == len(queries) > 0
    assert 0 < float(db) <= float(app)
