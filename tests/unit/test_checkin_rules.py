"""The rule for open voortgangsmeldingen (monitor/domain/checkin_rules.py), on plain inputs."""

from __future__ import annotations

from datetime import date

from monitor.domain.checkin_rules import (REASON_NEVER, REASON_UNKNOWN, KpiState, ProjectState, by_owner,
                                          due_period, open_checkins)
from monitor.domain.status import AFGEROND, ONBEKEND, OP_SCHEMA

TODAY = date(2026, 12, 7)


def project(pid: str, *, owner: str | None = "a@x.nl", status: str = OP_SCHEMA, last: date | None = None,
            themalijn: str = "Ouderen", kpis=()) -> ProjectState:
    return ProjectState(pid, pid.title(), themalijn, status, owner, "leider@x.nl", last, tuple(kpis))


def test_the_due_period_is_the_last_quarter_that_ended():
    assert due_period(date(2026, 12, 7)) == "2026Q3"
    assert due_period(date(2026, 1, 1)) == "2025Q4"
    assert due_period(date(2026, 4, 1)) == "2026Q1"
    assert due_period(date(2026, 3, 31)) == "2025Q4"


def test_a_recent_check_in_with_a_known_status_and_kpi_values_needs_nothing():
    kpi = KpiState("k", "Bereik", date(2027, 12, 31), periods_with_value=frozenset({"2026Q3"}))
    assert open_checkins([project("p", last=date(2026, 11, 20), kpis=[kpi])], TODAY, 30) == []


def test_never_stale_and_onbekend_each_give_a_reason():
    found = {item.project_id: item.reasons for item in open_checkins([
        project("nooit"),
        project("oud", last=date(2026, 11, 6)),          # 31 days ago
        project("net", last=date(2026, 11, 7)),          # 30 days ago: still fine
        project("onbekend", status=ONBEKEND, last=date(2026, 12, 1)),
    ], TODAY, 30)}
    assert found["nooit"] == (REASON_NEVER,)
    assert found["oud"] == ("geen voortgangsmelding in de laatste 30 dagen (laatste: 6-11-2026)",)
    assert "net" not in found
    assert found["onbekend"] == (REASON_UNKNOWN,)


def test_afgerond_projects_need_nothing():
    assert open_checkins([project("klaar", status=AFGEROND)], TODAY, 30) == []


def test_a_kpi_without_a_value_for_the_last_quarter_goes_to_its_own_owner():
    kpis = [KpiState("eigen", "Bereik", date(2027, 1, 1), "kpi@x.nl", frozenset({"2026Q2"})),
            KpiState("geerfd", "Deelnemers", date(2027, 1, 1), None, frozenset()),
            KpiState("voorbij", "Oud doel", date(2026, 6, 30), None, frozenset())]  # deadline before 2026Q3
    items = open_checkins([project("p", last=date(2026, 12, 1), kpis=kpis)], TODAY, 30)
    by_mail = {item.owner_email: item.reasons for item in items}
    assert by_mail == {"kpi@x.nl": ("geen waarde voor KPI 'Bereik' over 2026Q3",),
                       "a@x.nl": ("geen waarde voor KPI 'Deelnemers' over 2026Q3",)}


def test_per_owner_oldest_first_and_no_owner_last():
    items = open_checkins([
        project("b1", owner="b@x.nl", last=date(2026, 10, 1)),
        project("a1", owner="a@x.nl", last=date(2026, 9, 1)),
        project("c1", owner="c@x.nl"),                      # never: before any date
        project("a2", owner="a@x.nl", last=date(2026, 8, 1)),
        project("z", owner=None),
        project("ander", owner="d@x.nl", themalijn="Bestaanszekerheid"),
    ], TODAY, 30)
    owners = by_owner(items)
    # both never checked in: by project name (Ander before C1)
    assert [o.email for o in owners] == ["d@x.nl", "c@x.nl", "a@x.nl", "b@x.nl", None]
    assert [i.project_id for i in owners[2].items] == ["a2", "a1"]
    assert owners[2].oldest == date(2026, 8, 1) and owners[0].oldest is None
    assert [o.email for o in by_owner(items, "Bestaanszekerheid")] == ["d@x.nl"]
