"""The toegankelijkheidsverklaring's view model."""

from __future__ import annotations

from datetime import date

from monitor.views import toegankelijkheid

STATEMENT = {"toepassing": "T", "organisatie": "O", "standaard": "WCAG 2.1 AA", "contact": "c",
             "maatregel": [{"onderwerp": "Toetsenbord", "stand": "voldoet", "toelichting": "x"}]}


def _results(*violations):
    found = {"pagina:a": {"titel": "A", "pad": "a", "axe": "4.12.1", "overtredingen": list(violations)}}
    return toegankelijkheid.results_document(found, checked_on=date(2026, 12, 2))


def test_status_follows_the_results_and_the_measures():
    assert toegankelijkheid.build_toegankelijkheid(_results(), STATEMENT).status == toegankelijkheid.STATUS_FULL
    partial = dict(STATEMENT, maatregel=[*STATEMENT["maatregel"],
                                         {"onderwerp": "Grafieken", "stand": "nog niet", "toelichting": "y",
                                          "gepland": "2027-03-31"}])
    view = toegankelijkheid.build_toegankelijkheid(_results(), partial)
    assert view.status == toegankelijkheid.STATUS_PARTIAL and view.measures[1].planned == "2027-03-31"
    failing = _results({"regel": "color-contrast", "impact": "serious", "elementen": 2, "uitleg": "u",
                        "voorbeeld": ["p"]})
    view = toegankelijkheid.build_toegankelijkheid(failing, STATEMENT)
    assert view.status == toegankelijkheid.STATUS_FAILS and view.states_failing == [("A", "color-contrast")]
    assert view.state_rows == [toegankelijkheid.CheckedState("A", "/a", 2)]


def test_comparable_ignores_the_date_but_not_a_new_violation():
    first = _results()
    later = toegankelijkheid.results_document({"pagina:a": {"titel": "A", "pad": "a", "axe": "4.12.1", "overtredingen": []}},
                                  checked_on=date(2027, 1, 5))
    assert toegankelijkheid.comparable(first) == toegankelijkheid.comparable(later)
    worse = _results({"regel": "list", "impact": "serious", "elementen": 1, "uitleg": "u", "voorbeeld": ["ul"]})
    assert toegankelijkheid.comparable(first) != toegankelijkheid.comparable(worse)


def test_the_committed_results_cover_every_page_and_pass():
    results = toegankelijkheid.load_results()
    ids = {s["id"] for s in results["toestanden"]}
    assert {"pagina:overzicht", "pagina:toegankelijkheid", "sql-fout", "presentatie-afdrukken",
            "redacteur-projectdetail"} <= ids
    assert all(not s["overtredingen"] for s in results["toestanden"])
