"""A real S3 API for the tests: moto's server, started by the tests themselves.

Two ways, one environment:

* ``threaded_server()``: moto's ``ThreadedMotoServer`` inside the test process (the unit tests;
  cheap, gone with the process).
* ``server_process()``: ``python -m moto.server`` as its own process (the browser tests: the
  replicas, nginx and Chromium talk to it while the test process waits in Playwright, and a
  ``kill -9`` of a replica never touches it).

Both yield the endpoint URL with ``AWS_*`` test credentials and ``MONITOR_S3_ENDPOINT`` set in
``os.environ`` (so child processes started meanwhile inherit them) and restore the environment
afterwards. ``upload_datasets`` puts a local dataset folder into a fresh prefix the way an
operator does, through ``python -m monitor.data.upload``.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from monitor.data import objectcache, objectstore
from monitor.serving.netutil import free_port, stop_process, wait_until_answers

REPO = Path(__file__).resolve().parents[1]
BUCKET = "monitor-test"
ENV_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", objectstore.ENDPOINT_ENV,
            objectcache.CACHE_DIR_ENV)


@contextmanager
def _environment(endpoint: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in ENV_KEYS}
    # The local object cache in a folder of its own (shared by the processes started meanwhile,
    # as replicas on one machine share it), never the user's ~/.cache.
    cache = tempfile.mkdtemp(prefix="monitor-s3-cache-")
    os.environ.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                       "AWS_DEFAULT_REGION": "us-east-1", objectstore.ENDPOINT_ENV: endpoint,
                       objectcache.CACHE_DIR_ENV: cache})
    try:
        yield
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _create_bucket(endpoint: str, bucket: str) -> None:
    import boto3

    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=bucket)


@contextmanager
def threaded_server(bucket: str = BUCKET) -> Iterator[str]:
    """moto's server on a free port in a thread of this process, with ``bucket`` created."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        with _environment(endpoint):
            _create_bucket(endpoint, bucket)
            yield endpoint
    finally:
        server.stop()


@contextmanager
def server_process(log: Path, bucket: str = BUCKET) -> Iterator[str]:
    """``python -m moto.server`` on a free port as its own process (output to ``log``)."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        if not wait_until_answers(f"{endpoint}/moto-api/", proc, 30, 0.2):
            raise RuntimeError(f"moto startte niet:\n{log.read_text(errors='replace')}")
        with _environment(endpoint):
            _create_bucket(endpoint, bucket)
            yield endpoint
    finally:
        stop_process(proc)


def committed_datasets_prefix(bucket: str = BUCKET) -> str:
    """A fresh prefix in ``bucket`` holding the repository's committed datasets as one
    generation (the S3 store's tests start from it)."""
    from monitor.data import store
    from monitor.data.contract import TABLES

    url = f"s3://{bucket}/run-{uuid.uuid4().hex[:8]}"
    store.write_tables({name: store.read_table(name, REPO / "datasets") for name in TABLES}, url)
    return url


def upload_datasets(folder: Path, bucket: str = BUCKET) -> str:
    """A fresh ``s3://bucket/run-…`` prefix holding ``folder`` as one generation, uploaded with
    ``python -m monitor.data.upload`` (the operator's command). Needs the
    environment of ``threaded_server``/``server_process``."""
    url = f"s3://{bucket}/run-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop(objectstore.DATA_URL_ENV, None)
    subprocess.run([sys.executable, "-m", "monitor.data.upload", str(folder), url],
                   cwd=REPO, env=env, check=True, capture_output=True, timeout=120)
    return url
