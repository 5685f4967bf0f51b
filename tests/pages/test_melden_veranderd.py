"""AppTest: "Wie moet nog melden" (logged in only; a themaleider opens at their themalijn; owners
oldest first, the checked-in project absent, links to the forms) and "Wat is er veranderd"
(since the previous BO date, the check-in under its themalijn, following, BO dates for a
beheerder only)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from monitor.data import events, follows
from monitor.data.auth import SESSION_KEY, hash_password
from monitor.data.checkins import record_checkin
from monitor.data.owners import record_owner
from monitor.data.users import User
from monitor.domain.text import shown_text
from tests.pages.app import open_page
from tests.pages.test_projecten import datasets  # noqa: F401 - a copy as MONITOR_DATASETS

TODAY = date.today()
LEIDER = User(name="leider", role="lezer", email="lea@twente.test")
PIET = User(name="piet", role="lezer", email="piet@twente.test")
BEHEERDER = User(name="beheer", role="beheerder", email="bea@twente.test")
SECRETS = {"users": {u.name: {"password_hash": hash_password("correct-horse-battery"), "role": u.role,
                              "email": u.email} for u in (LEIDER, PIET, BEHEERDER)}}
NOTE = "Loopt **goed** <script>x</script>"


@pytest.fixture
def recorded(datasets):  # noqa: F811 - the fixture imported above
    record_owner(BEHEERDER, "themalijn", "ouderen", LEIDER.email, dataset_dir=datasets)
    for project_id in ("wonen-en-zorg", "bennie-oud"):
        record_owner(BEHEERDER, "project", project_id, PIET.email, dataset_dir=datasets)
    quarter = f"{TODAY.year}Q{(TODAY.month - 1) // 3 + 1}"
    record_checkin(PIET, "bennie-oud", checkin_date=TODAY, period=quarter, judgement="op koers", note=NOTE,
                   phase=events.current_phase("bennie-oud", dataset_dir=datasets), dataset_dir=datasets)
    follows.record_bo_date(BEHEERDER, TODAY - timedelta(days=10), "BO", dataset_dir=datasets)
    return datasets


def _open(page: str, user: User | None = None, query: dict | None = None):
    at = open_page(page, query, secrets=SECRETS, session={SESSION_KEY: user} if user else None)
    assert not at.error, [e.value for e in at.error]
    return at


def test_who_must_report_needs_a_login(recorded):
    at = _open("melden")
    assert at.title[0].value == "Wie moet nog melden"
    assert "log in" in at.info[0].value and not at.dataframe


def test_a_themaleider_sees_their_themalijn_oldest_first_with_links_to_the_forms(recorded):
    at = _open("melden", LEIDER)
    assert at.selectbox(key="themalijn").value == "ouderen"
    table = at.dataframe[0].value
    assert set(table["Themalijn"]) == {"Ouderen"}
    assert "Bennie Oud" not in set(table["Project"])  # checked in today
    piet = table[table["Eigenaar"] == PIET.email]
    assert list(piet["Project"]) == ["Wonen en zorg"]
    assert list(piet["Melden"]) == ["/projecten?project=wonen-en-zorg&voortgangsmelding=1"]
    assert list(table["Eigenaar"]).index(PIET.email) < list(table["Eigenaar"]).index("(geen eigenaar)")
    assert any("Zonder eigenaar" in w.value for w in at.warning)

    other = _open("melden", LEIDER, {"themalijn": "Bestaanszekerheid"})  # the URL wins
    assert set(other.dataframe[0].value["Themalijn"]) == {"Bestaanszekerheid"}
    programme = _open("melden", PIET)  # no themaleider: the whole programme
    assert programme.selectbox(key="themalijn").value is None
    assert programme.dataframe[0].value["Themalijn"].nunique() == 4


def test_what_changed_since_the_previous_bo_date(recorded):
    at = _open("veranderd", LEIDER)
    assert at.title[0].value == "Wat is er veranderd"
    assert at.date_input(key="sinds").value == TODAY - timedelta(days=10)
    assert any("(de vorige BO-datum)" in c.value for c in at.caption)
    assert "Ouderen" in [h.value for h in at.subheader]
    lines = [shown_text(line) for m in at.markdown for line in m.value.split("\n") if line.startswith("- **")]
    mine = [line for line in lines if "Bennie Oud: op koers" in line]
    assert len(mine) == 1 and mine[0].startswith("- **Voortgangsmelding** · ")
    assert NOTE in mine[0]  # the note as typed: literal text, never markup
    assert not [b for b in at.button if b.label == "BO-datum vastleggen"]  # not a beheerder


def test_following_is_recorded_for_the_user_and_bo_dates_by_a_beheerder(recorded):
    at = _open("veranderd", LEIDER)
    at.multiselect(key="volg-themalijnen").set_value(["ouderen"])
    next(b for b in at.button if b.label == "Volgen opslaan").click()
    at.run()
    assert any("je volgt nu 1" in s.value for s in at.success)
    follows_now = events.load_events("follow_events", recorded)
    assert list(follows_now[["email", "subject_id", "follow"]].itertuples(index=False, name=None)) == [
        (LEIDER.email, "ouderen", True)]
    at.multiselect(key="volg-themalijnen").set_value([])
    next(b for b in at.button if b.label == "Volgen opslaan").click()
    at.run()
    assert list(events.load_events("follow_events", recorded)["follow"]) == [True, False]

    beheer = _open("veranderd", BEHEERDER)
    beheer.date_input(key="bo-datum").set_value(TODAY)
    next(b for b in beheer.button if b.label == "BO-datum vastleggen").click()
    beheer.run()
    assert [d for d in events.load_events("bo_dates", recorded)["bo_date"]][-1] == TODAY
    assert any("vastgelegd" in s.value for s in beheer.success)
