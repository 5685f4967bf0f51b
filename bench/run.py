"""The benchmark: ``make bench`` (``python -m bench.run``); results in ``bench/RESULTS.md``.

For the embedded datasets and a generated national-scale store (``bench/generate.py``):

* every page's queries (``bench/pages.py``): the first run (cold: views, in-memory copies and
  materialised tables built) and then ``--repeat`` runs with the result cache cleared, so every
  run executes in DuckDB: median and 95th percentile;
* the same queries as naive pandas (read the Parquet files whole, filter in pandas), measured
  in the same run, and the ratio;
* a rerun of every page through Streamlit's AppTest (the script run a user's click causes),
  median and 95th percentile;
* the peak memory (max RSS) of the process that ran the queries and the page reruns;
* cold start: ``python -m monitor serve`` started, Debian Chromium opening ``/``, until the
  first page is ready (Streamlit idle, the Overzicht heading shown); and the server's peak
  memory after opening every page once.

Each measurement runs in its own process (``--worker``), so memory and caches of one do not
colour another. The national-scale goals (bench/RESULTS.md) are checked; the exit status is 1 when
one is missed. ``--scale smoke`` is the small run that ``make test`` does (tests/unit/test_bench.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from monitor import settings
from dashboard import page_modules
from monitor.serving.netutil import HEALTH_PATH, free_port, stop_process, wait_until_answers

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
RESULTS = REPO / "bench" / "RESULTS.md"
CHROMIUM = settings.text("MONITOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

GOALS = {
    "query_median_ms": 15.0,
    "query_p95_ms": 50.0,
    "pandas_ratio": 100.0,
    "rerun_ms": 100.0,
    "peak_memory_mb": 500.0,
    "cold_start_s": 4.0,
}

# Pages for the AppTest rerun: (label, page file or themalijn url_path, query parameters).
# Every page module of the registry (``dashboard.page_modules``; the themalijn module by its first
# themalijn), with the variants that cost more: a project's detail, a chart slide, the print view.
VARIANTS = {
    "projecten": [("project", {"project": "kinderarmoede"})],
    "presentatie": [("presentatie", {"themalijn": "Bestaanszekerheid", "dia": "6"}),
                    ("presentatie_print", {"themalijn": "Bestaanszekerheid", "weergave": "Afdrukken"})],
}
APPTEST_PAGES = [
    entry for page in page_modules()
    for entry in ([(page.name, page.url_path if page.name == "themalijn" else page.script, {})]
                  if page.name != "presentatie" else [])
    + [(label, page.script, query) for label, query in VARIANTS.get(page.name, [])]
]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def _summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "p95": _p95(values), "max": max(values), "n": len(values)}


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ``ru_maxrss``: Linux carries that over
    from the parent across fork and exec, so every worker would report the generator's peak."""
    return _vm_hwm_mb(os.getpid()) or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- workers (each in its own process) ----------------------------------------------------------

def worker_queries(store: Path, repeat: int, plan_file: Path | None = None) -> dict:
    from monitor.data import db
    from bench.pages import page_queries

    started = time.perf_counter()
    plan = page_queries(store, plan_file)
    setup = time.perf_counter() - started
    result: dict = {"pages": {}, "first_query_setup_s": setup}
    for page, queries in plan.items():
        rows = []
        for name, params in queries:
            db.clear_cache()
            t0 = time.perf_counter()
            frame = db.query(name, store, **params)
            first = time.perf_counter() - t0
            times = []
            for _ in range(repeat):
                db.clear_cache()
                t0 = time.perf_counter()
                db.query(name, store, **params)
                times.append(time.perf_counter() - t0)
            rows.append({"query": name, "params": params, "rows": len(frame), "first_ms": first * 1000,
                         **{k: (v * 1000 if k != "n" else v) for k, v in _summary(times).items()}})
        result["pages"][page] = rows
    # The Veilig Thuis suppression pattern from scratch (once per data change; then stored in
    # <store>/.cache and read from there, which is what the first_ms of the vt_* queries shows).
    from monitor.domain import privacy, privacy_relations, privacy_suppression
    from monitor.data import private_schema, store as monitor_store

    frame = monitor_store.read_frame("vt_reports", store)
    t0 = time.perf_counter()
    pattern = privacy_suppression.suppression_pattern(frame, private_schema.region_parents(store), privacy.settings().min_count)
    result["vt_pattern"] = {"seconds": time.perf_counter() - t0, "cells": len(frame),
                            "klein": int((pattern == privacy_relations.KLEIN).sum()),
                            "afgeschermd": int((pattern == privacy_relations.AFGESCHERMD).sum())}
    result["peak_memory_mb"] = _peak_mb()
    return result


def worker_pandas(store: Path, repeat: int, plan_file: Path | None = None) -> dict:
    from bench.pages import PANDAS, page_queries

    plan = page_queries(store, plan_file)
    wanted = {(name, json.dumps(params, sort_keys=True)): params
              for queries in plan.values() for name, params in queries if name in PANDAS}
    result = {}
    for (name, key), params in sorted(wanted.items()):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            PANDAS[name](store, **params)
            times.append(time.perf_counter() - t0)
        result[f"{name} {key}"] = {"query": name, "params": params,
                                   **{k: (v * 1000 if k != "n" else v) for k, v in _summary(times).items()}}
    return {"queries": result, "peak_memory_mb": _peak_mb()}


def open_page(page: str, params: dict, before_last_run=None):
    """An AppTest of the dashboard opened on ``page`` (a page file or a themalijn url_path) with
    the URL's query ``params``, on the datasets of ``MONITOR_DATASETS``. ``before_last_run``: a
    context manager around the run that shows the page (the first run shows the start page)."""
    import contextlib

    from streamlit.testing.v1 import AppTest

    from ui import streamlit_private

    streamlit_private.keep_pages_directory_mode_off()  # as a running server after its first request
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=300)
    at.run()
    if page.endswith(".py"):
        at.switch_page(page)
    else:  # a themalijn page: four pages share one file, so it is opened by its url path
        streamlit_private.open_url_path(at, page)
    for key, value in params.items():
        at.query_params[key] = value
    with before_last_run or contextlib.nullcontext():
        at.run()
    return at


def page_times(repeat: int, clock=time.perf_counter,
               pages: list[str] | None = None) -> dict[str, tuple[float, list[float]]]:
    """Per page of ``APPTEST_PAGES`` (or of its labels ``pages``): the first view in a new session
    and ``repeat`` reruns of it, in seconds of ``clock``."""
    result = {}
    for label, page, params in APPTEST_PAGES:
        if pages and label not in pages:
            continue
        t0 = clock()
        at = open_page(page, params)
        first = clock() - t0
        if at.exception:
            raise RuntimeError(f"{label}: {at.exception}")
        times = []
        for _ in range(repeat):
            t0 = clock()
            at.run()
            times.append(clock() - t0)
        result[label] = (first, times)
    return result


def worker_apptest(store: Path, repeat: int) -> dict:
    os.environ["MONITOR_DATASETS"] = str(store)
    result = {label: {"first_ms": first * 1000, **{k: (v * 1000 if k != "n" else v) for k, v in _summary(times).items()}}
              for label, (first, times) in page_times(repeat).items()}
    return {"pages": result, "peak_memory_mb": _peak_mb()}


def worker_plan(store: Path, repeat: int) -> dict:
    """The page-to-query map, recorded with AppTest (``bench.pages.record_page_queries``)."""
    from bench.pages import record_page_queries

    return record_page_queries(store)


WORKERS = {"queries": worker_queries, "pandas": worker_pandas, "apptest": worker_apptest, "plan": worker_plan}


def _run_worker(kind: str, store: Path, repeat: int, plan_file: Path | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    extra = ["--plan", str(plan_file)] if plan_file is not None else []
    proc = subprocess.run([sys.executable, "-m", "bench.run", "--worker", kind, "--store", str(store),
                           "--repeat", str(repeat), *extra], cwd=REPO, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"worker {kind} op {store} faalde:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- cold start in Chromium ---------------------------------------------------------------------

def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


PAGE_READY_JS = """() => {
  const running = document.querySelector('[data-testid="stStatusWidget"]');
  const heading = document.querySelector('[data-testid="stMain"] h1');
  return !running && heading !== null && heading.textContent.trim().length > 0;
}"""

# Every page module but the Presentatie (a slide fills the screen: no heading to wait for).
VISIT = ["/" if page.default else f"/{page.url_path}" for page in page_modules() if page.name != "presentatie"]


def cold_start(store: Path, runs: int) -> dict:
    """``streamlit run`` to the first page ready in Chromium, ``runs`` times; then the server's
    peak memory after every page was opened once (last run)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return {"skipped": f"Chromium ontbreekt ({CHROMIUM})"}
    times, memory, page_ready = [], None, {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for run in range(runs):
                port = free_port()
                env = dict(os.environ, PYTHONPATH=str(REPO), MONITOR_DATASETS=str(store))
                t0 = time.perf_counter()
                proc = subprocess.Popen(
                    [sys.executable, "-m", "monitor", "serve", "--server.port", str(port),
                     "--server.address", "127.0.0.1", "--server.headless", "true",
                     "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                    cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                try:
                    url = f"http://127.0.0.1:{port}"
                    if not wait_until_answers(url + HEALTH_PATH, proc, 60, 0.02, request_timeout_s=1):
                        raise RuntimeError("de server startte niet")
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = context.new_page()
                    page.goto(url + "/")
                    page.wait_for_function(PAGE_READY_JS, timeout=60_000, polling=20)
                    times.append(time.perf_counter() - t0)
                    if run == runs - 1:
                        for path in VISIT:
                            t1 = time.perf_counter()
                            page.goto(url + path)
                            page.wait_for_function(PAGE_READY_JS, timeout=120_000, polling=20)
                            page_ready[path] = (time.perf_counter() - t1) * 1000
                        memory = _vm_hwm_mb(proc.pid)
                    context.close()
                finally:
                    stop_process(proc)
        finally:
            browser.close()
    return {"runs_s": times, "median_s": statistics.median(times), "max_s": max(times),
            "server_peak_memory_mb": memory, "page_ready_ms": page_ready}


# --- stores ---------------------------------------------------------------------------------------

def _generator_stamp(scale: str) -> str:
    from monitor.data import store as monitor_store

    digest = hashlib.sha256()
    digest.update(scale.encode())
    digest.update((REPO / "bench" / "generate.py").read_bytes())
    digest.update((REPO / "monitor" / "data" / "store.py").read_bytes())
    for path in sorted(monitor_store.DEFAULT_DATASET_DIR.glob("*.parquet")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_store(scale: str, out: Path) -> tuple[Path, float | None]:
    """The generated store of ``scale`` under ``out`` (regenerated when the generator, the
    writer or the embedded data changed). Returns its folder and the generation time."""
    from bench.generate import SCALES, generate

    folder = out / scale
    stamp = folder / ".stamp"
    wanted = _generator_stamp(scale)
    if stamp.exists() and stamp.read_text() == wanted:
        return folder, None
    t0 = time.perf_counter()
    generate(folder, SCALES[scale])
    stamp.write_text(wanted)
    return folder, time.perf_counter() - t0


def embedded_copy(out: Path) -> Path:
    """A copy of datasets/ (without recorded events), so the benchmark never writes there."""
    from monitor.data import store as monitor_store

    target = out / "embedded"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(monitor_store.DEFAULT_DATASET_DIR, target, ignore=shutil.ignore_patterns("events", ".*"))
    return target


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def _rows(folder: Path) -> dict[str, int]:
    import pyarrow.parquet as pq

    return {p.stem: pq.ParquetFile(p).metadata.num_rows for p in sorted(folder.glob("*.parquet"))}


# --- report -----------------------------------------------------------------------------------

def check_goals(national: dict) -> list[dict]:
    queries = [q for rows in national["queries"]["pages"].values() for q in rows]
    ratios = [r["ratio"] for r in national.get("ratios", [])]
    reruns = [p["median"] for p in national["apptest"]["pages"].values()]
    # The processes that serve users: the dashboard server after every page was opened in
    # Chromium, and the process that ran every page's queries. (The AppTest harness keeps ten
    # test apps alive at once; its figure is reported but is not a serving process.)
    memory = max(national["queries"]["peak_memory_mb"],
                 national.get("cold_start", {}).get("server_peak_memory_mb") or 0)
    checks = [
        ("query median ≤ 15 ms (slowest query)", max(q["median"] for q in queries), "ms", GOALS["query_median_ms"], "≤"),
        ("query p95 ≤ 50 ms (slowest query)", max(q["p95"] for q in queries), "ms", GOALS["query_p95_ms"], "≤"),
        ("≥ 100× faster than pandas (smallest ratio)", min(ratios) if ratios else float("nan"), "×",
         GOALS["pandas_ratio"], "≥"),
        ("page rerun ≤ 100 ms (slowest page, median)", max(reruns), "ms", GOALS["rerun_ms"], "≤"),
        ("peak memory ≤ 500 MB (server; queries process)", memory, "MB", GOALS["peak_memory_mb"], "≤"),
    ]
    cold = national.get("cold_start", {})
    if "median_s" in cold:
        checks.append(("cold start ≤ 4 s (median)", cold["median_s"], "s", GOALS["cold_start_s"], "≤"))
    out = []
    for label, value, unit, goal, op in checks:
        ok = value <= goal if op == "≤" else value >= goal
        out.append({"goal": label, "value": value, "unit": unit, "target": goal, "met": bool(ok)})
    return out


def _nl(value: float, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def render_markdown(results: dict) -> str:
    lines = [f"Run: {results['started']} on {results['machine']} (`make bench`, {results['repeat']} runs per query).", ""]
    for scale, store in results["stores"].items():
        rows = store["rows"]
        lines.append(f"### {scale} ({_nl(rows.get('observations', 0), 0)} observations, "
                     f"{_nl(store['size_mb'])} MB)")
        lines.append("")
        lines.append("| page | query | rows | first (ms) | median (ms) | p95 (ms) | pandas median (ms) | ratio |")
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|")
        ratios = {(r["query"], json.dumps(r["params"], sort_keys=True)): r for r in store.get("ratios", [])}
        for page, queries in store["queries"]["pages"].items():
            for q in queries:
                r = ratios.get((q["query"], json.dumps(q["params"], sort_keys=True)))
                pandas_ms = _nl(r["pandas_ms"]) if r else "–"
                ratio = _nl(r["ratio"], 0) + "×" if r else "–"
                lines.append(f"| {page} | {q['query']} | {q['rows']} | {_nl(q['first_ms'])} | {_nl(q['median'])} | "
                             f"{_nl(q['p95'])} | {pandas_ms} | {ratio} |")
        lines.append("")
        lines.append("| page (AppTest) | first run (ms) | rerun median (ms) | rerun p95 (ms) |")
        lines.append("|---|---:|---:|---:|")
        for page, p in store["apptest"]["pages"].items():
            lines.append(f"| {page} | {_nl(p['first_ms'])} | {_nl(p['median'])} | {_nl(p['p95'])} |")
        lines.append("")
        mem = (f"Peak memory: queries process {_nl(store['queries']['peak_memory_mb'], 0)} MB, AppTest process "
               f"{_nl(store['apptest']['peak_memory_mb'], 0)} MB, pandas process "
               f"{_nl(store['pandas']['peak_memory_mb'], 0)} MB")
        cold = store.get("cold_start", {})
        if "median_s" in cold:
            mem += (f", server {_nl(cold['server_peak_memory_mb'] or 0, 0)} MB after opening every page. "
                    f"Cold start (serve → first page ready in Chromium): median {_nl(cold['median_s'], 2)} s "
                    f"(runs: {', '.join(_nl(t, 2) for t in cold['runs_s'])} s); page ready after: "
                    + ", ".join(f"`{p}` {_nl(ms, 0)} ms" for p, ms in cold["page_ready_ms"].items()) + ".")
        else:
            mem += "."
        lines += [mem, ""]
        vt = store["queries"].get("vt_pattern")
        if vt:
            lines += [f"Veilig Thuis suppression pattern from scratch: {_nl(vt['seconds'], 1)} s for "
                      f"{_nl(vt['cells'], 0)} cells ({_nl(vt['klein'], 0)} klein, {_nl(vt['afgeschermd'], 0)} "
                      "afgeschermd); computed once per data change and stored.", ""]
    if "goals" in results:
        lines += ["### Goals at national scale", "", "| goal | measured | met |", "|---|---:|---|"]
        for g in results["goals"]:
            lines.append(f"| {g['goal']} | {_nl(g['value'], 1)} {g['unit']} | {'ja' if g['met'] else 'NEE'} |")
        lines.append("")
    return "\n".join(lines)


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def write_results_md(markdown: str, path: Path = RESULTS) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmark results\n\n{BEGIN}\n{END}\n"
    head, _sep, rest = text.partition(BEGIN)
    _old, _sep2, tail = rest.partition(END)
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(f"{head}{BEGIN}\n{markdown}\n{END}{tail}", encoding="utf-8")
    os.replace(tmp, path)


def measure(store: Path, repeat: int, browser: bool, cold_runs: int) -> dict:
    result = {"rows": _rows(store), "size_mb": _size_mb(store)}
    # Which queries each page runs, recorded in a process of its own (it loads Streamlit).
    plan_file = store.parent / f"plan-{store.name}.json"
    plan_file.write_text(json.dumps(_run_worker("plan", store, 1), default=str), encoding="utf-8")
    result["queries"] = _run_worker("queries", store, repeat, plan_file)
    result["pandas"] = _run_worker("pandas", store, max(1, repeat // 10), plan_file)
    result["apptest"] = _run_worker("apptest", store, max(1, repeat // 4))
    duck = {(q["query"], json.dumps(q["params"], sort_keys=True)): q
            for rows in result["queries"]["pages"].values() for q in rows}
    result["ratios"] = []
    for entry in result["pandas"]["queries"].values():
        q = duck[(entry["query"], json.dumps(entry["params"], sort_keys=True))]
        result["ratios"].append({"query": entry["query"], "params": entry["params"], "pandas_ms": entry["median"],
                                 "duckdb_ms": q["median"], "ratio": entry["median"] / q["median"]})
    if browser:
        result["cold_start"] = cold_start(store, cold_runs)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark van de Twentse Koers Monitor.")
    parser.add_argument("--scale", choices=["national", "smoke"], default="national",
                        help="national: de landelijke store (make bench); smoke: klein, voor make test")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-browser", action="store_true", help="geen koude start in Chromium")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--write-results", action="store_true", help="de tabellen in bench/RESULTS.md bijwerken")
    parser.add_argument("--no-embedded", action="store_true", help="alleen de gegenereerde store meten")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--plan", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        extra = {"plan_file": args.plan} if args.worker in ("queries", "pandas") else {}
        print(json.dumps(WORKERS[args.worker](args.store, args.repeat, **extra), default=str))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict = {"started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                     "machine": f"{os.cpu_count()} cores", "repeat": args.repeat, "stores": {}}
    stores = {} if args.no_embedded else {"embedded": embedded_copy(args.out)}
    generated, seconds = ensure_store(args.scale, args.out)
    stores["national" if args.scale == "national" else "smoke"] = generated
    results["generation_s"] = seconds
    for label, folder in stores.items():
        print(f"meten: {label} ({folder})", file=sys.stderr)
        results["stores"][label] = measure(folder, args.repeat, not args.no_browser, args.cold_runs)
    if "national" in results["stores"]:
        results["goals"] = check_goals(results["stores"]["national"])
    (args.out / f"results-{args.scale}.json").write_text(json.dumps(results, indent=1, default=str))
    markdown = render_markdown(results)
    (args.out / f"results-{args.scale}.md").write_text(markdown)
    print(markdown)
    if args.write_results:
        write_results_md(markdown)
    missed = [g for g in results.get("goals", []) if not g["met"]]
    for g in missed:
        print(f"DOEL NIET GEHAALD: {g['goal']}: {g['value']:.1f} {g['unit']}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
