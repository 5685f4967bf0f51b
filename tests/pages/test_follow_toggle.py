"""AppTest: following a project from its own page and a themalijn from its themalijn page (the
"Volgen" / "Niet meer volgen" button), for a logged-in user only; the follow is written as an
event and shows on the "Wat is er veranderd" page."""

from __future__ import annotations

from datetime import date

from monitor.data.auth import SESSION_KEY, hash_password
from monitor.data.users import User
from monitor.views.veranderd import load_follow_state
from tests.pages.app import open_page
from tests.pages.test_projecten import datasets  # noqa: F401 - a copy as MONITOR_DATASETS

PIET = User(name="piet", role="lezer", email="piet@twente.test")
SECRETS = {"users": {"piet": {"password_hash": hash_password("correct-horse-battery"), "role": "lezer",
                              "email": PIET.email}}}


def _open(page: str | None, user: User | None = None, query: dict | None = None, url_path: str | None = None):
    at = open_page(page, query, secrets=SECRETS, session={SESSION_KEY: user} if user else None, url_path=url_path)
    assert not at.error, [e.value for e in at.error]
    return at


def _buttons(at, *labels: str):
    return [b for b in at.button if b.label in labels]


def _click(at, label: str):
    [button] = _buttons(at, label)
    button.click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def test_a_visitor_sees_no_follow_button(datasets):  # noqa: F811
    assert not _buttons(_open("projecten", query={"project": "bennie-oud"}), "Volgen", "Niet meer volgen")
    assert not _buttons(_open(None, url_path="ouderen"), "Volgen", "Niet meer volgen")


def test_follow_and_unfollow_a_project_from_its_page(datasets):  # noqa: F811
    at = _open("projecten", PIET, {"project": "bennie-oud"})
    _click(at, "Volgen")
    assert [s.value for s in at.success] == [
        "Je volgt nu Bennie Oud: je krijgt op maandag per e-mail wat er veranderd is."]
    assert load_follow_state(PIET.email, date.today(), datasets).projects == ("bennie-oud",)
    assert _buttons(at, "Niet meer volgen") and not _buttons(at, "Volgen")

    _click(at, "Niet meer volgen")
    assert [s.value for s in at.success] == ["Je volgt Bennie Oud niet meer."]
    assert load_follow_state(PIET.email, date.today(), datasets).projects == ()
    veranderd = _open("veranderd", PIET)
    assert veranderd.multiselect(key="volg-projecten").value == []


def test_follow_a_themalijn_from_its_page_shows_on_the_veranderd_page(datasets):  # noqa: F811
    at = _open(None, PIET, url_path="ouderen")
    _click(at, "Volgen")
    assert [s.value for s in at.success] == [
        "Je volgt nu Ouderen: je krijgt op maandag per e-mail wat er veranderd is."]
    assert load_follow_state(PIET.email, date.today(), datasets).themalijnen == ("ouderen",)
    assert _open("veranderd", PIET).multiselect(key="volg-themalijnen").value == ["ouderen"]
    assert _buttons(_open(None, PIET, url_path="ouderen"), "Niet meer volgen")


def test_a_user_logged_out_before_the_click_follows_nothing(datasets):  # noqa: F811
    at = _open("projecten", PIET, {"project": "bennie-oud"})
    at.secrets["users"] = {}  # the account is removed from the secrets before the click
    [button] = _buttons(at, "Volgen")
    button.click()
    at.run()
    assert any("niet meer ingelogd" in e.value or "niets vastgelegd" in e.value for e in at.error)
    assert load_follow_state(PIET.email, date.today(), datasets).projects == ()
