"""The example systemd units and crontab in deploy/systemd run commands the CLI accepts."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from monitor.__main__ import _parser

SYSTEMD = Path(__file__).resolve().parents[2] / "deploy" / "systemd"


def _monitor_args(command: str) -> list[str]:
    words = shlex.split(command)
    return words[words.index("monitor") + 1:]


@pytest.mark.parametrize("unit, digest", [("monitor-herinneringen.service", False), ("monitor-overzicht.service", True)])
def test_each_service_runs_one_round_the_cli_accepts(unit, digest):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(SYSTEMD / unit)
    assert parser["Service"]["Type"] == "oneshot"
    assert "MONITOR_PUBLIC_URL=" in parser["Service"]["Environment"] or any(
        "MONITOR_PUBLIC_URL" in line for line in (SYSTEMD / unit).read_text().splitlines())
    args = _parser().parse_args(_monitor_args(parser["Service"]["ExecStart"]))
    assert args.command == "herinneringen" and args.digest is digest and not args.dry_run
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.read(SYSTEMD / unit.replace(".service", ".timer"))
    assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"


def test_the_crontab_lines_run_commands_the_cli_accepts():
    lines = [line for line in (SYSTEMD / "crontab.example").read_text().splitlines()
             if line and not line.startswith("#") and "python -m monitor" in line]
    parsed = [_parser().parse_args(_monitor_args(line.split("&&", 1)[1])) for line in lines]
    assert [(a.command, a.digest) for a in parsed] == [("herinneringen", False), ("herinneringen", True)]
