"""saferplaces.core.periods: strict months, month arithmetic, financial quarters and the
period containing a date, checked against worked values written out by hand."""

import datetime

import pytest

from saferplaces.core import periods
from saferplaces.core.periods import PeriodError

D = datetime.date


@pytest.mark.parametrize("text", ["2020-1", "2020-13", "20-01", "2020-00", "2020/01",
                                  "2020-001", "２０２０-01", "", "2020-1 "])
def test_parse_month_refuses_anything_but_yyyy_mm(text):
    with pytest.raises(PeriodError, match="month"):
        periods.parse_month(text)


def test_parse_month_reads_yyyy_mm():
    assert periods.parse_month("2020-01") == D(2020, 1, 1)
    assert periods.parse_month("1999-12") == D(1999, 12, 1)


def test_parse_month_message_says_what_to_write():
    with pytest.raises(PeriodError) as caught:
        periods.parse_month("2020-1")
    assert "YYYY-MM" in str(caught.value)


def test_month_arithmetic():
    assert periods.add_months(D(2020, 11, 1), 3) == D(2021, 2, 1)
    assert periods.add_months(D(2020, 1, 1), -1) == D(2019, 12, 1)
    assert periods.add_months(D(2020, 1, 31), 0) == D(2020, 1, 1)
    assert periods.months_between(D(2019, 11, 1), D(2020, 2, 1)) == 4
    assert periods.months_between(D(2020, 2, 1), D(2020, 2, 1)) == 1
    assert periods.months_between(D(2020, 3, 1), D(2020, 2, 1)) == 0
    assert periods.month_list(D(2019, 11, 1), D(2020, 2, 1)) == [
        D(2019, 11, 1), D(2019, 12, 1), D(2020, 1, 1), D(2020, 2, 1)]
    assert periods.month_code(D(2020, 3, 17)) == "2020-03"


@pytest.mark.parametrize("text, start, end, code, label", [
    ("2020-Q1", D(2020, 4, 1), D(2020, 6, 30), "2020-Q1", "Apr–Jun 2020 (2020/21 Q1)"),
    ("2020-Q3", D(2020, 10, 1), D(2020, 12, 31), "2020-Q3", "Oct–Dec 2020 (2020/21 Q3)"),
    ("2020-Q4", D(2021, 1, 1), D(2021, 3, 31), "2020-Q4", "Jan–Mar 2021 (2020/21 Q4)"),
    ("2020/21 Q3", D(2020, 10, 1), D(2020, 12, 31), "2020-Q3", "Oct–Dec 2020 (2020/21 Q3)"),
    ("2020/21", D(2020, 4, 1), D(2021, 3, 31), "2020/21", "Apr 2020–Mar 2021 (2020/21)"),
    ("2020-09", D(2020, 9, 1), D(2020, 9, 30), "2020-09", "September 2020"),
    ("2020", D(2020, 1, 1), D(2020, 12, 31), "2020", "2020"),
])
def test_parse_period_worked_values(text, start, end, code, label):
    period = periods.parse_period(text)
    assert (period.start, period.end, period.code, period.label) == (start, end, code, label)


@pytest.mark.parametrize("text", ["2020-9", "2020-Q5", "2020/22", "Q3 2020"])
def test_parse_period_refuses(text):
    with pytest.raises(PeriodError):
        periods.parse_period(text)


@pytest.mark.parametrize("kind, day, code", [
    ("financial_quarter", D(2020, 11, 15), "2020-Q3"),
    ("financial_quarter", D(2021, 2, 28), "2020-Q4"),
    ("financial_quarter", D(2020, 4, 1), "2020-Q1"),
    ("financial_quarter", D(2020, 3, 31), "2019-Q4"),
    ("financial_year", D(2021, 3, 31), "2020/21"),
    ("financial_year", D(2021, 4, 1), "2021/22"),
    ("month", D(2020, 2, 29), "2020-02"),
    ("year", D(2020, 7, 4), "2020"),
])
def test_period_containing_worked_values(kind, day, code):
    assert periods.period_containing(kind, day).code == code


def test_frequency_map_names_the_period_an_indicator_reports_for():
    day = D(2020, 11, 15)
    codes = {frequency: periods.period_containing(kind, day).code
             for frequency, kind in periods.FREQUENCY_KINDS.items()}
    assert codes == {"monthly": "2020-11", "quarterly": "2020-Q3", "annual": "2020/21"}


def test_latest_complete():
    # 30 December 2020: Q3 (Oct–Dec) has not ended, so the latest complete quarter is Q2.
    assert periods.latest_complete("financial_quarter", D(2020, 12, 30)).code == "2020-Q2"
    assert periods.latest_complete("financial_quarter", D(2020, 12, 31)).code == "2020-Q3"
    assert periods.latest_complete("month", D(2020, 12, 31)).code == "2020-12"


def test_previous_and_last_year():
    q1 = periods.parse_period("2020-Q1")
    assert periods.previous_period(q1).code == "2019-Q4"
    assert periods.same_period_last_year(q1).code == "2019-Q1"
    assert periods.previous_period(periods.parse_period("2020-01")).code == "2019-12"


def test_periods_covering_only_complete_periods():
    # February 2020 to December 2020: 2019-Q4 (Jan–Mar 2020) lacks January.
    quarters = periods.periods_covering(D(2020, 2, 1), D(2020, 12, 1), "financial_quarter")
    assert [q.code for q in quarters] == ["2020-Q1", "2020-Q2", "2020-Q3"]
    quarters = periods.periods_covering(D(2020, 2, 1), D(2020, 11, 1), "financial_quarter")
    assert [q.code for q in quarters] == ["2020-Q1", "2020-Q2"]
    quarters = periods.periods_covering(D(2020, 4, 1), D(2021, 3, 1), "financial_quarter")
    assert [q.code for q in quarters] == ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]
    years = periods.periods_covering(D(2019, 5, 1), D(2021, 3, 1), "financial_year")
    assert [y.code for y in years] == ["2020/21"]
    months = periods.periods_covering(D(2020, 11, 1), D(2021, 1, 1), "month")
    assert [m.code for m in months] == ["2020-11", "2020-12", "2021-01"]
