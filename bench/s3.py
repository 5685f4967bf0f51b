"""The S3 store against local disk (issue 17): cold attach and a typical page's queries.

``python -m bench.s3`` starts moto's S3 server on this machine (``moto[server]``, the test
dependency), writes the committed datasets once to a local folder and once to a bucket (each as
one generation, with the monitor's own writer), and then, in a fresh process per store and
repetition, measures:

* *cold*: the first query of a process (the database built: every view attached, the small
  tables copied into memory, recover run) — what a replica's first page view pays;
* *page*: the queries the Overzicht and Projecten pages run, first run (materialised tables
  built) and warm (the result cache cleared, every query executed in DuckDB again);
* *record*: one recorded KPI realisation (validation under the lock, the write).

moto on localhost has no network latency: against a real bucket each GET/LIST adds its round
trip (AWS in-region typically 10–30 ms), so these figures are the floor of the S3 design.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE = [("monitor_summary", {}), ("themalijnen", {}), ("data_peildatum", {}), ("sources_overview", {}),
        ("indicator_list", {}), ("project_overview", {"peildatum": "2025-07-01"}),
        ("themalijn_kpis", {"themalijn": "bestaanszekerheid"}),
        ("indicator_observations", {"indicator_ids": ["aandeel_65plus", "aandeel_80plus"]})]


def _params(params: dict) -> dict:
    return {k: date.fromisoformat(v) if k == "peildatum" else v for k, v in params.items()}


def worker(target: str, warm_repeat: int) -> dict:
    """In a fresh process: cold attach, the page's queries first and warm, one recorded change."""
    from datetime import datetime, timezone

    from monitor.data import db, events

    started = time.perf_counter()
    db.query("monitor_summary", target)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    for name, params in PAGE:
        db.query(name, target, **_params(params))
    first = time.perf_counter() - started
    warm = []
    for _ in range(warm_repeat):
        db.clear_cache()
        started = time.perf_counter()
        for name, params in PAGE:
            db.query(name, target, **_params(params))
        warm.append(time.perf_counter() - started)
    started = time.perf_counter()
    events.record_kpi_realisation(events.User("Bench", "redacteur"), "ai-use-cases",
                                  f"2024M{1 + uuid.uuid4().int % 12:02d}", float(uuid.uuid4().int % 1000),
                                  "bench", dataset_dir=target, now=datetime(2026, 6, 1, tzinfo=timezone.utc))
    record = time.perf_counter() - started
    return {"cold_s": cold, "page_first_s": first, "page_warm_s": statistics.median(warm), "record_s": record}


def main(repeat: int = 3, warm_repeat: int = 5) -> dict:
    import boto3
    from moto.server import ThreadedMotoServer

    from monitor.data import objectstore, store
    from monitor.data.contract import TABLES

    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
           "AWS_DEFAULT_REGION": "us-east-1", objectstore.ENDPOINT_ENV: endpoint}
    os.environ.update(env)
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="monitor-bench")
    tables = {name: store.read_table(name, REPO / "datasets") for name in TABLES}
    results: dict[str, list[dict]] = {"local": [], "s3": []}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            local = Path(tmp) / f"datasets-{uuid.uuid4().hex[:6]}"
            bucket = f"s3://monitor-bench/run-{uuid.uuid4().hex[:6]}"
            store.write_tables(tables, local)
            store.write_tables(tables, bucket)
            for kind, target in (("local", str(local)), ("s3", bucket)):
                code = f"import json, bench.s3 as b; print(json.dumps(b.worker({target!r}, {warm_repeat})))"
                done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True,
                                      text=True, check=True)
                results[kind].append(json.loads(done.stdout.strip().splitlines()[-1]))
    server.stop()
    summary = {kind: {key: statistics.median(run[key] for run in runs) for key in runs[0]}
               for kind, runs in results.items()}
    for key in summary["local"]:
        print(f"{key:14s} local {summary['local'][key] * 1000:8.1f} ms   s3 {summary['s3'][key] * 1000:8.1f} ms")
    return summary


if __name__ == "__main__":
    main()
