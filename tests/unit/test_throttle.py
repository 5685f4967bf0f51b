"""Login throttling (monitor/data/throttle.py): growing delays, lock-out, expiry, per account and
per address, shared between processes, and the client address behind nginx."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from monitor.data import throttle
from monitor.data.throttle import ACCOUNT, ADDRESS, Throttle, Verdict, client_address

from tests.conftest import REPO


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def gate(tmp_path, clock) -> Throttle:
    return Throttle(tmp_path / "state" / throttle.FILE_NAME, clock=clock)


def _fail(gate: Throttle, name: str = "anna", address: str = "10.0.0.1") -> Verdict:
    verdict = gate.begin(name, address)
    assert verdict.allowed, verdict
    return gate.failed(name, address)


def test_the_numbers():
    assert (ACCOUNT.free, ACCOUNT.lockout_after, ACCOUNT.lockout_s) == (3, 10, 900)
    assert (ADDRESS.free, ADDRESS.lockout_after, ADDRESS.lockout_s) == (10, 30, 900)
    assert [ACCOUNT.delay_after(k) for k in range(1, 10)] == [0, 0, 0, 1, 2, 4, 8, 16, 32]
    assert ACCOUNT.delay_after(20) == 60


def test_delays_grow_after_three_failures_and_an_early_attempt_is_refused_uncounted(gate, clock):
    for _ in range(3):
        assert _fail(gate).allowed  # the first three cost nothing
    expected = [1, 2, 4, 8, 16, 32]
    for delay in expected:
        verdict = _fail(gate)
        assert not verdict.allowed and verdict.wait_s == pytest.approx(delay)
        early = gate.begin("anna", "10.0.0.1")
        assert not early.allowed and not early.locked
        assert early.message() == f"Te veel mislukte pogingen. Probeer het over {delay} seconde{'n' if delay > 1 else ''} opnieuw."
        clock.now += delay - 0.5
        assert not gate.begin("anna", "10.0.0.1").allowed  # still early, still not counted
        clock.now += 0.5
    assert gate.failures("account", "anna") == 9


def test_the_wait_runs_from_the_wrong_answer_not_from_the_attempts_start(gate, clock):
    """On a busy server the password check can take longer than the first wait: the wait is
    still owed after the answer."""
    for _ in range(3):
        assert _fail(gate).allowed
    assert gate.begin("anna", "10.0.0.1").allowed
    clock.now += 1.5  # the check took 1,5 s
    verdict = gate.failed("anna", "10.0.0.1")
    assert not verdict.allowed and verdict.wait_s == pytest.approx(1)
    clock.now += 0.5
    assert not gate.begin("anna", "10.0.0.1").allowed


def test_lock_out_after_ten_failures_refuses_even_the_right_password_then_expires(gate, clock):
    for _ in range(9):
        _fail(gate)
        clock.now += 60
    verdict = _fail(gate)
    assert verdict.locked and verdict.wait_s == pytest.approx(900)
    clock.now += 60
    refused = gate.begin("anna", "10.0.0.2")  # another address: the account is locked
    assert refused.locked and refused.message() == "Te veel mislukte pogingen. Probeer het over 14 minuten opnieuw."
    clock.now += 14 * 60 - 1
    assert gate.begin("Anna ", "10.0.0.3").locked  # the name as typed: case and spaces do not matter
    clock.now += 1
    assert gate.begin("anna", "10.0.0.3").allowed  # ran out: a fresh start
    gate.succeeded("anna", "10.0.0.3")
    assert gate.failures("account", "anna") == 0


def test_success_resets_the_account_not_the_address(gate, clock):
    for _ in range(3):
        _fail(gate, "anna", "10.0.0.9")
    assert gate.begin("anna", "10.0.0.9").allowed
    gate.succeeded("anna", "10.0.0.9")
    assert gate.failures("account", "anna") == 0
    assert gate.failures("address", "10.0.0.9") == 3


def test_unknown_names_are_counted_like_known_ones(gate):
    for name in ("bestaat-niet", "anna"):
        for _ in range(4):
            gate.begin(name, f"10.1.0.{len(name)}")
            gate.failed(name, f"10.1.0.{len(name)}")
        assert gate.failures("account", name) == 4
        assert not gate.begin(name, "10.2.0.1").allowed


def test_one_address_trying_many_accounts_is_throttled(gate, clock):
    for index in range(10):
        assert _fail(gate, f"naam{index}", "192.0.2.7").allowed
        clock.now += 5
    verdict = _fail(gate, "naam10", "192.0.2.7")
    assert not verdict.allowed and verdict.wait_s == pytest.approx(1)
    assert not gate.begin("naam11", "192.0.2.7").allowed  # a fresh name does not help
    assert gate.begin("naam11", "192.0.2.8").allowed  # another address is independent
    for index in range(12, 31):
        clock.now += 61
        _fail(gate, f"naam{index}", "192.0.2.7")
    assert gate.begin("nog-een", "192.0.2.7").locked


def test_parallel_attempts_are_counted_before_the_password_is_checked(gate):
    for _ in range(3):
        _fail(gate)
    assert gate.begin("anna", "10.0.0.1").allowed  # the fourth, counted at once
    assert not gate.begin("anna", "10.0.0.1").allowed  # a parallel fifth must wait


def test_failures_are_forgotten_after_fifteen_minutes(gate, clock):
    for _ in range(3):
        _fail(gate)
    clock.now += 15 * 60
    assert gate.failures("account", "anna") == 0
    assert _fail(gate).allowed


def test_failures_and_lock_outs_are_logged_without_the_password(gate, clock, caplog):
    caplog.set_level(logging.WARNING, logger="monitor.data.throttle")
    for _ in range(10):
        _fail(gate, "anna", "203.0.113.5")
        clock.now += 120
    gate.begin("anna", "203.0.113.5")
    lines = [r.getMessage() for r in caplog.records]
    assert "mislukte inlogpoging: account 'anna' (1 keer), adres 203.0.113.5 (1 keer)" in lines
    assert any("(10 keer)" in line and "geblokkeerd voor 15 minuten: account" in line for line in lines)
    assert any(line.startswith("inlogpoging geweigerd (geblokkeerd): account 'anna'") for line in lines)


def test_the_state_is_shared_with_another_process(gate, tmp_path):
    path = gate.path
    script = ("import sys; from monitor.data.throttle import Throttle\n"
              "t = Throttle(sys.argv[1])\n"
              "for _ in range(5):\n"
              "    t.begin('anna', '10.9.9.9') and t.failed('anna', '10.9.9.9')\n")
    done = subprocess.run([sys.executable, "-c", script, str(path)], cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    real = Throttle(path)  # the real clock, as the other process had
    assert real.failures("account", "anna") >= 4
    assert not real.begin("anna", "10.0.0.1").allowed
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_foreign_state_file_refuses_login_and_is_named(gate, caplog):
    gate.path.parent.mkdir(parents=True)
    gate.path.write_text(json.dumps({"account": {"anna": "kapot"}}), encoding="utf-8")
    with pytest.raises(throttle.ThrottleUnavailable, match="Inloggen lukt nu niet"):
        gate.begin("anna", "10.0.0.1")
    assert str(gate.path) in caplog.text
    gate.path.write_bytes(b"\xff\xfe")
    with pytest.raises(throttle.ThrottleUnavailable):
        gate.begin("anna", "10.0.0.1")


def test_an_unwritable_state_folder_refuses_login(tmp_path, clock):
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    with pytest.raises(throttle.ThrottleUnavailable):
        Throttle(blocker / "sub" / throttle.FILE_NAME, clock=clock).begin("anna", "10.0.0.1")


def test_state_dir(tmp_path, monkeypatch):
    monkeypatch.delenv(throttle.STATE_DIR_ENV, raising=False)
    monkeypatch.delenv("MONITOR_DATA_URL", raising=False)
    assert throttle.state_dir(tmp_path) == tmp_path / ".state"
    monkeypatch.setenv(throttle.STATE_DIR_ENV, str(tmp_path / "elders"))
    assert throttle.state_dir(tmp_path) == tmp_path / "elders"


@pytest.mark.parametrize("peer, headers, expected", [
    ("198.51.100.4", {"X-Real-Ip": "10.0.0.1", "X-Forwarded-For": "10.0.0.2"}, "198.51.100.4"),  # direct: headers ignored
    (None, {"X-Real-Ip": "198.51.100.5"}, "198.51.100.5"),  # through nginx on this machine
    (None, {"X-Forwarded-For": "6.6.6.6, 198.51.100.6"}, "198.51.100.6"),  # the entry nginx added
    (None, {}, "lokaal"),
    (None, None, "lokaal"),
])
def test_client_address(peer, headers, expected):
    assert client_address(peer, headers) == expected
