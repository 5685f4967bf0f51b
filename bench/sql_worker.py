"""The SQL worker's overhead: ``python -m bench.sql_worker [--repeat N]``.

For each small query, the median wall time of ``monitor.data.sandbox.run_select`` (parsed, checked
and run in a pooled worker process, the result sent back as Arrow and made plain) against the
same query run in the dashboard's own process on a connection with the same locked settings,
converted the same way (what the page did before the worker). The difference is what the
worker costs. Also: the time to start a worker and to replace a killed one.
"""

from __future__ import annotations

import argparse
import statistics
import time

import pyarrow as pa

from monitor.data import sandbox, sql_pool, sql_results

QUERIES = {
    "select 1": "select 1 as een",
    "regions (31 rijen)": "select * from regions",
    "overgewicht per gemeente": sandbox.examples()[0].sql,
}


def _in_process(con, sql: str) -> None:
    rel = con.sql(sql)
    table = rel.to_arrow_reader(2048).read_all()
    sql_results.to_frame(table, list(rel.columns))


def measure(repeat: int = 50) -> dict:
    sandbox.prepare()
    sandbox.run_select("select 1")  # the pool is warm
    rows = {}
    for label, sql in QUERIES.items():
        worker, local = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            sandbox.run_select(sql)
            worker.append((time.perf_counter() - start) * 1000)
            con = sandbox.connect()
            try:
                start = time.perf_counter()
                _in_process(con, sql)
                local.append((time.perf_counter() - start) * 1000)
            finally:
                con.close()
        rows[label] = {"worker_ms": statistics.median(worker), "in_process_ms": statistics.median(local),
                       "extra_ms": statistics.median(worker) - statistics.median(local)}
    start = time.perf_counter()
    worker = sql_pool.Worker()
    reply = worker.request({"op": "ping"}, time.monotonic() + 30)
    start_ms = (time.perf_counter() - start) * 1000
    worker.close()
    assert reply.header["ok"]
    pool = sql_pool.pool()
    start = time.perf_counter()
    try:
        sandbox.run_select("select levenshtein(repeat('a', 100000), repeat('b', 100000))", timeout_s=1)
    except sandbox.SandboxError:
        pass
    killed_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    sandbox.run_select("select 1")
    after_kill_ms = (time.perf_counter() - start) * 1000
    return {"queries": rows, "start_ms": start_ms, "kill_ms": killed_ms, "after_kill_ms": after_kill_ms,
            "workers": pool.size, "repeat": repeat, "arrow": pa.__version__}


def _nl(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def render(result: dict) -> str:
    lines = ["| query | via de worker (mediaan) | in het eigen proces (mediaan) | extra |", "|---|---|---|---|"]
    for label, row in result["queries"].items():
        lines.append(f"| {label} | {_nl(row['worker_ms'])} ms | {_nl(row['in_process_ms'])} ms | "
                     f"{_nl(row['extra_ms'])} ms |")
    lines.append("")
    lines.append(f"{result['repeat']} runs per query, {result['workers']} workers. Starting a worker (until it "
                 f"answers): {_nl(result['start_ms'])} ms. A runaway query with a 1 s limit answered after "
                 f"{_nl(result['kill_ms'])} ms (killed at 1 s + {sql_pool.KILL_GRACE_S:g} s grace); the next query "
                 f"took {_nl(result['after_kill_ms'])} ms.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Wat het SQL-rekenproces per query kost.")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    print(render(measure(args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
