"""AppTest: the login form is throttled: twenty wrong passwords, then the right one is
refused until the lock-out has run out; an unknown name gets exactly the same answers. The
clock of the throttle is the test's (no waiting)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from monitor.data import throttle
from monitor.data.auth import SESSION_KEY, hash_password
from ui import login_guard

PASSWORD = "correct paard batterij"
SECRETS = {"users": {"anna": {"password_hash": hash_password(PASSWORD), "role": "redacteur"}}}
FAILED = "Onjuiste gebruikersnaam of wachtwoord."


class Clock:
    now = 2_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(tmp_path, monkeypatch) -> Clock:
    clock = Clock()
    path = tmp_path / throttle.FILE_NAME
    monkeypatch.setattr(login_guard, "gate", lambda: throttle.Throttle(path, clock=clock))
    return clock


def _page():
    import streamlit as st

    from ui import login

    user = login.login_form()
    st.markdown(f"ingelogd als {user.name}" if user else "niet ingelogd")


def _app() -> AppTest:
    at = AppTest.from_function(_page, default_timeout=30)
    at.secrets.update(SECRETS)
    return at.run()


def _try(at: AppTest, name: str, password: str) -> list[str]:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return [e.value for e in at.error]


def test_twenty_wrong_passwords_then_the_right_one_is_refused_until_the_lock_out_ends(clock):
    at = _app()
    answers = []
    for _ in range(20):
        answers.append(_try(at, "anna", "fout wachtwoord"))
        clock.now += 61  # slower than any delay: only the lock-out stops it
    assert answers[:3] == [[FAILED]] * 3
    assert [a[0] for a in answers[3:9]] == [f"{FAILED} Te veel mislukte pogingen. Probeer het over {n} opnieuw."
                                            for n in ("1 seconde", "2 seconden", "4 seconden", "8 seconden",
                                                      "16 seconden", "32 seconden")]
    assert answers[9] == [f"{FAILED} Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw."]
    assert answers[10] == ["Te veel mislukte pogingen. Probeer het over 14 minuten opnieuw."]
    assert all(a[0].startswith("Te veel mislukte pogingen.") for a in answers[10:])
    assert _try(at, "anna", PASSWORD) == ["Te veel mislukte pogingen. Probeer het over 4 minuten opnieuw."]
    assert SESSION_KEY not in at.session_state
    clock.now += 229
    assert _try(at, "anna", PASSWORD) == []
    assert at.session_state[SESSION_KEY].name == "anna"


def test_quick_retries_wait_and_an_unknown_name_gets_the_same_answers(clock):
    answers = {}
    for name in ("anna", "bestaat-niet"):
        at = _app()
        answers[name] = [_try(at, name, "fout wachtwoord") for _ in range(6)]
        clock.now += 16 * 60  # the address's count runs out between the two names
    assert answers["anna"] == answers["bestaat-niet"]
    assert answers["anna"][:3] == [[FAILED]] * 3
    assert answers["anna"][3] == [f"{FAILED} Te veel mislukte pogingen. Probeer het over 1 seconde opnieuw."]
    assert answers["anna"][4] == ["Te veel mislukte pogingen. Probeer het over 1 seconde opnieuw."]


def test_a_right_password_resets_the_account(clock):
    at = _app()
    for _ in range(3):
        _try(at, "anna", "fout wachtwoord")
    assert _try(at, "anna", PASSWORD) == []
    assert login_guard.gate().failures("account", "anna") == 0
