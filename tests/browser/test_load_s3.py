"""The load test (``test_load.py``) through nginx and two replicas on the S3 store:
moto's server as its own process, the committed datasets uploaded with the operator's command,
the replicas with ``MONITOR_DATA_URL`` and no local dataset folder.

A smaller run than the local one, to keep ``make test`` short: MONITOR_LOAD_S3_SESSIONS
(default 6) sessions for MONITOR_LOAD_S3_SECONDS (default 15) seconds, each with its own
selection; the same checks (zero errors, zero leaks). Numbers: ``bench/out/load-replicas-s3.json``.
"""

from __future__ import annotations


import pytest

from monitor import settings
from tests import s3server
from tests.browser.conftest import REPO, start_replicas, stop_server
from tests.browser.test_load import REPLICAS, _load
from tests.faults.faults import copy_datasets

pytestmark = [pytest.mark.browser, pytest.mark.load]

SESSIONS = settings.integer("MONITOR_LOAD_S3_SESSIONS", 6)
SECONDS = settings.number("MONITOR_LOAD_S3_SECONDS", 15.0)
OUT = REPO / "bench" / "out" / "load-replicas-s3.json"


def test_sessions_through_nginx_and_two_replicas_on_s3(chromium_path, app_secrets, tmp_path, capsys):
    pytest.importorskip("moto.server")
    with s3server.server_process(tmp_path / "moto.log"):
        url = s3server.upload_datasets(copy_datasets(tmp_path / "datasets"))
        proc, proxy, prefix = start_replicas(url, app_secrets, tmp_path / "replicas.log", count=REPLICAS)
        try:
            _load(chromium_path, proxy, url, OUT, f"nginx + {REPLICAS} replicas, S3", capsys, prefix,
                  sessions=SESSIONS, seconds=SECONDS)
        finally:
            stop_server(proc)
