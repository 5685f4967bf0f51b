"""The S3 store against local disk: cold attach and a typical page's queries.

``python -m bench.s3`` starts moto's S3 server on this machine (``moto[server]``, the test
dependency), writes the committed datasets once to a local folder and once to a bucket (each as
one generation, with the monitor's own writer), and then, in a fresh process per store and
repetition, measures:

* *cold*: the first query of a process (the database built: every view attached, the small
  tables copied into memory, recover run) — what a replica's first page view pays;
* *page*: the queries the Overzicht and Projecten pages run, first run (materialised tables
  built) and warm (the result cache cleared, every query executed in DuckDB again);
* *record*: one recorded KPI realisation (validation under the lock, the write).

Each of :data:`MODES`: local disk; S3 as it was before (one object after the other, no cache:
``MONITOR_S3_FETCH_WORKERS=1``, ``MONITOR_CACHE_DIR=uit``); S3 with the concurrent fetch; S3
with the local object cache empty (the first replica) and filled by a process before (a restart).

``--store <folder> --plan <file>``: a generated store (``python -m bench.generate``, national
scale) uploaded instead, and every query of the recorded page plan (``python -m bench.run
--worker plan``) measured: cold start, then median and p95 over all runs with the result cache
cleared. ``BENCH_S3_LATENCY_MS=20``: every boto3 request waits that long (a round trip);
``BENCH_S3_MODES=local,s3_parallel``: only those modes.

moto on localhost has no network latency: against a real bucket each GET/LIST adds its round
trip (AWS in-region typically 10–30 ms), so these figures are the floor of the S3 design.
"""

from __future__ import annotations

import json
import os
import shutil
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


def _latency() -> None:
    """``BENCH_S3_LATENCY_MS``: every request of the store's boto3 client waits that long first,
    as a real bucket's round trip would (moto on localhost has none). Not s3fs' range reads."""
    delay = float(os.environ.get("BENCH_S3_LATENCY_MS", "0")) / 1000
    if not delay:
        return
    from monitor.data import objectstore

    real = objectstore.S3Store.__init__

    def init(self, url: str) -> None:
        real(self, url)
        self.client.meta.events.register("before-send.s3", lambda **_kw: time.sleep(delay))

    objectstore.S3Store.__init__ = init


def worker(target: str, warm_repeat: int) -> dict:
    """In a fresh process: cold attach, the page's queries first and warm, one recorded change."""
    from datetime import datetime, timezone

    from monitor.data import db, events

    _latency()

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


# Each mode: (label, store kind, environment). "voor" is the S3 start as it was before the
# concurrent fetch and the cache: one object after the other, large tables scanned via s3fs.
MODES = [("local", "local", {}),
         ("s3_before", "s3", {"MONITOR_S3_FETCH_WORKERS": "1", "MONITOR_CACHE_DIR": "uit"}),
         ("s3_parallel", "s3", {"MONITOR_CACHE_DIR": "uit"}),
         ("s3_cache_cold", "s3", {"MONITOR_CACHE_DIR": "{fresh}"}),
         ("s3_cache_warm", "s3", {"MONITOR_CACHE_DIR": "{shared}"})]


def worker_plan(target: str, plan_file: str, repeat: int) -> dict:
    """In a fresh process: cold start (the first query), then every query of the recorded page
    plan (``bench.pages``) once and ``repeat`` times with the result cache cleared."""
    from bench.pages import page_queries
    from monitor.data import db

    _latency()
    plan = page_queries(Path(target), Path(plan_file))
    started = time.perf_counter()
    db.query("monitor_summary", target)
    cold = time.perf_counter() - started
    runs, worst, first_total = [], 0.0, 0.0
    for queries in plan.values():
        for name, params in queries:
            db.clear_cache()
            started = time.perf_counter()
            db.query(name, target, **params)
            first_total += time.perf_counter() - started
            times = []
            for _ in range(repeat):
                db.clear_cache()
                started = time.perf_counter()
                db.query(name, target, **params)
                times.append(time.perf_counter() - started)
            runs += times
            worst = max(worst, sorted(times)[max(0, round(0.95 * len(times)) - 1)])
    runs.sort()
    return {"cold_s": cold, "queries_first_s": first_total, "query_median_s": statistics.median(runs),
            "query_p95_s": runs[max(0, round(0.95 * len(runs)) - 1)], "worst_query_p95_s": worst}


def _run(code: str, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-4000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(repeat: int = 3, warm_repeat: int = 5, folder: Path | None = None, plan: Path | None = None) -> dict:
    """Every mode of :data:`MODES`, ``repeat`` times (median). Without ``folder``: the committed
    datasets and the page of :data:`PAGE` (``worker``); with it (a generated store, e.g. national
    scale) and ``plan`` (``python -m bench.run --worker plan``): ``worker_plan``."""
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    from monitor.data import objectstore, store, upload
    from monitor.data.contract import TABLES

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
           "AWS_DEFAULT_REGION": "us-east-1", objectstore.ENDPOINT_ENV: endpoint}
    os.environ.update(env)
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="monitor-bench")
    wanted = os.environ.get("BENCH_S3_MODES", "").split(",") if os.environ.get("BENCH_S3_MODES") else None
    modes = [mode for mode in MODES if wanted is None or mode[0] in wanted]
    results: dict[str, list[dict]] = {label: [] for label, _kind, _env in modes}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            bucket = f"s3://monitor-bench/run-{uuid.uuid4().hex[:6]}"
            if folder is None:
                local = Path(tmp) / f"datasets-{uuid.uuid4().hex[:6]}"
                tables = {name: store.read_table(name, REPO / "datasets") for name in TABLES}
                store.write_tables(tables, local)
                store.write_tables(tables, bucket)
            else:
                local = Path(tmp) / f"store-{uuid.uuid4().hex[:6]}"
                shutil.copytree(folder, local, symlinks=True)
                upload.upload(str(local), bucket)
            shared = Path(tmp) / f"cache-{uuid.uuid4().hex[:6]}"
            for label, kind, extra in modes:
                target = str(local) if kind == "local" else bucket
                fresh = Path(tmp) / f"cache-{uuid.uuid4().hex[:6]}"
                mode_env = {**env, **{k: v.format(fresh=fresh, shared=shared) for k, v in extra.items()}}
                if label == "s3_cache_warm":   # a replica before this one filled the cache
                    _run(f"from monitor.data import db; db.query('monitor_summary', {target!r}); print('{{}}')",
                         mode_env)
                if folder is None:
                    code = f"import json, bench.s3 as b; print(json.dumps(b.worker({target!r}, {warm_repeat})))"
                else:
                    code = (f"import json, bench.s3 as b; "
                            f"print(json.dumps(b.worker_plan({target!r}, {str(plan)!r}, {warm_repeat})))")
                results[label].append(_run(code, mode_env))
    server.stop()
    summary = {label: {key: statistics.median(run[key] for run in runs) for key in runs[0]}
               for label, runs in results.items()}
    keys = list(next(iter(summary.values())))
    print(f"{'':18s}" + "".join(f"{label:>15s}" for label in summary))
    for key in keys:
        print(f"{key:18s}" + "".join(f"{summary[label][key] * 1000:12.1f} ms" for label in summary))
    return summary


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="S3 (moto) tegen lokale schijf.")
    parser.add_argument("--store", type=Path, help="een gegenereerde store (python -m bench.generate)")
    parser.add_argument("--plan", type=Path, help="het paginaplan (python -m bench.run --worker plan)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warm-repeat", type=int, default=5)
    args = parser.parse_args()
    main(args.repeat, args.warm_repeat, args.store, args.plan)
