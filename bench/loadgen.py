"""How many people one server serves: ``python -m bench.loadgen`` (``make loadgen``).

A load generator that speaks Streamlit's own protocol (``bench/streamclient.py``): each page
view is a new session as a new browser tab opens it (the page, the health and host-config
requests with their cookies, the WebSocket, a ``rerun_script`` with the page and query string,
messages until the run finished; cached messages resolved as the frontend does; an exception on
the page is an error). No browser: real users' browsers run on their own machines, so what
is measured is the server.

For every serving configuration (``--serving``: ``direct``, one Streamlit process serving
everything, or ``nginx:N``, N replicas behind nginx as ``python -m monitor serve --replicas N``
and ``make run`` start them) it starts the dashboard with the production options and, after it,
Streamlit's empty page (``bench/empty_page.py``) the same way. After a warm-up (every page
twice) it runs the concurrency steps (``--steps``): ``c`` sessions at once, each opening the
pages round-robin (``PAGES``, six main pages) one after another for ``--seconds``. Per step,
overall and per page: views/s, page ready (from the page request until ``script_finished``)
p50/p95/max, errors, deltas and KB per view; the serving processes' CPU per view (utime +
stime of the launcher, nginx and every replica, from ``/proc``: robust on a shared machine,
unlike throughput and latency), the cores they kept busy, their memory (RSS), and the
generator's own CPU per view.

``--idle N`` opens N tabs on one Streamlit process (direct; nginx allows 400 connections per
address), leaves them connected and idle for ``--soak`` seconds and reports the server's memory
per idle session and its growth over the soak.

Results go to ``bench/out/loadgen.json`` (runs merged by label and configuration);
``--write-results`` rewrites the section between the ``loadgen`` markers in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import streamclient
from bench.cpuclock import proc_seconds
from bench.loadreport import render_markdown, write_results_md
from bench.pageviews import descendants
from bench.run import OUT, REPO
from monitor.serving.netutil import HEALTH_PATH, free_port, stop_process, wait_until_answers

EMPTY = "leeg"
# The six main pages, round-robin: label, path (and query).
PAGES = [("overzicht", "/"), ("projecten", "/projecten"), ("ouderen", "/ouderen"),
         ("indicatoren", "/indicatoren"), ("veilig-thuis", "/veilig-thuis"), ("bronnen", "/bronnen")]
EMPTY_PAGES = [(EMPTY, "/")]


# --- the served processes ---------------------------------------------------------------------

def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Served:
    """``python -m monitor serve`` with the production options (``replicas`` 0: one process
    serving everything; N: nginx and N replicas), the dashboard or ``script``. CPU and memory
    are those of the launcher and every process below it. ``repo``: the copy of the repository
    it is served from (``bench.sidebyside`` serves two commits at once)."""

    def __init__(self, replicas: int, datasets: Path, secrets: Path, log: Path, script: Path | None = None,
                 extra: list[str] | None = None, repo: Path = REPO):
        self.replicas = replicas
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [sys.executable, "-m", "monitor", "serve",
                        *(["--replicas", str(replicas)] if replicas else []),
                        "--server.port", str(self.port), "--server.address", "127.0.0.1",
                        "--server.headless", "true", "--browser.gatherUsageStats", "false",
                        "--secrets.files", str(secrets), *(["--script", str(script)] if script else []),
                        *(extra or [])]
        env = dict(os.environ, PYTHONPATH=str(repo), MONITOR_DATASETS=str(datasets),
                   MONITOR_COOKIE_SECRET="loadgen-" + os.urandom(16).hex())
        env.pop("MONITOR_DATA_URL", None)
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(self.command, cwd=repo, env=env, stdout=out, stderr=subprocess.STDOUT)
        self._cpu: dict[int, float] = {}
        if not wait_until_answers(self.url + HEALTH_PATH, self.proc, 240, 0.3):
            self.stop()
            raise RuntimeError(f"de server startte niet: {' '.join(self.command)}\n{log.read_text()[-3000:]}")

    def pids(self) -> list[int]:
        return [self.proc.pid, *descendants(self.proc.pid)]

    def cpu(self) -> float:
        """CPU seconds of the serving processes so far (a process that ended keeps its last reading)."""
        for pid in self.pids():
            try:
                self._cpu[pid] = proc_seconds(pid)
            except OSError:
                pass
        return sum(self._cpu.values())

    def rss(self) -> int:
        total = 0
        for pid in self.pids():
            try:
                total += rss_bytes(pid)
            except OSError:
                pass
        return total

    def settle(self, window: float = 1.0, limit: float = 20.0) -> None:
        """Wait until the serving processes use less than 5 % of a core (sessions cleaned up)."""
        deadline = time.monotonic() + limit
        before = self.cpu()
        while time.monotonic() < deadline:
            time.sleep(window)
            now = self.cpu()
            if now - before < 0.05 * window:
                return
            before = now

    def stop(self) -> None:
        if self.proc.poll() is None:
            stop_process(self.proc, timeout_s=30)


def client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- one step ---------------------------------------------------------------------------------

def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _times(views: list) -> dict:
    ready = [v.ready_s for v in views if v.ok]
    return {"views": len(views), "errors": sum(not v.ok for v in views),
            "p50_s": _pct(ready, 0.5), "p95_s": _pct(ready, 0.95), "max_s": max(ready, default=0.0),
            "deltas": statistics.median([v.summary.deltas for v in views if v.ok] or [0]),
            "kb": statistics.median([v.summary.bytes / 1024 for v in views if v.ok] or [0])}


async def step(served: Served, pages: list[tuple[str, str]], concurrency: int, seconds: float,
               timeout_s: float = 120.0) -> dict:
    """``concurrency`` sessions opening ``pages`` round-robin for ``seconds``; each starts no new
    view after that, and the step ends when the last view is ready."""
    conn = streamclient.connector()
    views: list[streamclient.View] = []
    turn = iter(range(10 ** 9))
    peak = served.rss()
    stop_at = time.perf_counter() + seconds

    async def session() -> None:
        while time.perf_counter() < stop_at:
            label, path = pages[next(turn) % len(pages)]
            views.append(await streamclient.view_once(conn, served.url, label, path, timeout_s))

    async def sample() -> None:
        nonlocal peak
        while True:
            await asyncio.sleep(1.0)
            peak = max(peak, served.rss())

    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cpu0, client0, t0 = served.cpu(), client_cpu(), time.perf_counter()
    sampler = asyncio.create_task(sample())
    await asyncio.gather(*(session() for _ in range(concurrency)))
    wall, cpu, client = time.perf_counter() - t0, served.cpu() - cpu0, client_cpu() - client0
    sampler.cancel()
    await conn.close()
    count = max(1, len(views))
    result = {"concurrency": concurrency, "started": started, "seconds": round(wall, 2), **_times(views),
              "views_per_s": len(views) / wall, "server_cpu_ms": cpu / count * 1000, "server_cores": cpu / wall,
              "client_cpu_ms": client / count * 1000, "rss_mb": served.rss() / 2 ** 20, "rss_peak_mb": peak / 2 ** 20,
              "error_texts": sorted({f"{v.page}: {v.error}" for v in views if not v.ok})[:10],
              "pages": {label: _times([v for v in views if v.page == label]) for label, _ in pages}}
    return result


async def warm_up(served: Served, pages: list[tuple[str, str]], rounds: int = 2) -> list[str]:
    conn = streamclient.connector()
    errors = []
    for _ in range(rounds):
        for label, path in pages:
            view = await streamclient.view_once(conn, served.url, label, path)
            if not view.ok:
                errors.append(f"{label}: {view.error}")
    await conn.close()
    return errors


def measure(served: Served, pages: list[tuple[str, str]], steps: list[int], seconds: float) -> list[dict]:
    warm = asyncio.run(warm_up(served, pages))
    if warm:
        print(f"  opwarmen: {len(warm)} fouten, bijvoorbeeld {warm[0]}", file=sys.stderr)
    results = []
    for concurrency in steps:
        served.settle()
        got = asyncio.run(step(served, pages, concurrency, seconds))
        results.append(got)
        print(f"  {concurrency:>3} tegelijk: {got['views']} views, {got['views_per_s']:.1f}/s, p50 {got['p50_s']:.2f} s, "
              f"p95 {got['p95_s']:.2f} s, server {got['server_cpu_ms']:.0f} ms/view ({got['server_cores']:.2f} cores), "
              f"client {got['client_cpu_ms']:.1f} ms/view, RSS {got['rss_mb']:.0f} MB, fouten {got['errors']}"
              + (f" ({got['error_texts'][0]})" if got["error_texts"] else ""), file=sys.stderr)
    return results


# --- idle sessions ----------------------------------------------------------------------------

async def idle(served: Served, count: int, soak_s: float, pages: list[tuple[str, str]], batch: int = 10,
               sample_s: float = 30.0) -> dict:
    """Open ``count`` tabs (``batch`` at a time), keep them connected and idle for ``soak_s``."""
    conn = streamclient.connector()
    before = served.rss()
    tabs, errors, turn = [], [], 0
    t0 = time.perf_counter()
    while len(tabs) < count:
        group = []
        for _ in range(min(batch, count - len(tabs))):
            label, path = pages[turn % len(pages)]
            turn += 1
            group.append(streamclient.Tab(conn, served.url, label, path))
        for tab, view in zip(group, await asyncio.gather(*(tab.open() for tab in group))):
            tabs.append(tab)
            if view.ok:
                tab.idle()
            else:
                errors.append(f"{view.page}: {view.error}")
    opened_s = time.perf_counter() - t0
    await asyncio.sleep(5.0)
    opened = served.rss()
    samples = [{"t_s": 0.0, "rss_mb": opened / 2 ** 20, "connected": sum(t.connected for t in tabs)}]
    cpu0, start = served.cpu(), time.perf_counter()
    while time.perf_counter() - start < soak_s:
        await asyncio.sleep(min(sample_s, soak_s - (time.perf_counter() - start)))
        samples.append({"t_s": round(time.perf_counter() - start, 1), "rss_mb": served.rss() / 2 ** 20,
                        "connected": sum(t.connected for t in tabs)})
    idle_cpu = (served.cpu() - cpu0) / max(1e-9, time.perf_counter() - start)
    await asyncio.gather(*(tab.close() for tab in tabs))
    await conn.close()
    return {"sessions": count, "errors": len(errors), "error_texts": errors[:10], "open_s": round(opened_s, 1),
            "rss_before_mb": before / 2 ** 20, "rss_open_mb": opened / 2 ** 20,
            "per_session_mb": (opened - before) / count / 2 ** 20, "soak_s": soak_s, "samples": samples,
            "growth_mb": samples[-1]["rss_mb"] - samples[0]["rss_mb"], "idle_cpu_cores": idle_cpu}


# --- command line -----------------------------------------------------------------------------

def _serving(text: str) -> int:
    if text == "direct":
        return 0
    if text.startswith("nginx:") and text[6:].isdigit() and int(text[6:]) >= 1:
        return int(text[6:])
    raise argparse.ArgumentTypeError(f"'{text}': verwacht 'direct' of 'nginx:N' (N replica's)")


def _name(replicas: int) -> str:
    return "direct" if replicas == 0 else f"nginx:{replicas}"


def merge(old: dict, new: dict) -> dict:
    """``new``'s runs join ``old``'s: a run with the same label, configuration and script gets
    ``new``'s steps (a step of the same concurrency replaced); idle runs by label."""
    key = lambda r: (r["label"], r["serving"], r["script"])  # noqa: E731
    runs = {key(r): r for r in old.get("runs", [])}
    for run in new.get("runs", []):
        before = runs.get(key(run), {}).get("steps", [])
        steps = {s["concurrency"]: s for s in before} | {s["concurrency"]: s for s in run["steps"]}
        runs[key(run)] = run | {"steps": [steps[c] for c in sorted(steps)]}
    idles = {r["label"]: r for r in old.get("idle", [])} | {r["label"]: r for r in new.get("idle", [])}
    return {"machine": new["machine"], "runs": list(runs.values()), "idle": list(idles.values())}


def _label() -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "?"
    return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Belastingstest op protocolniveau: nieuwe sessies zoals een "
                                                 "nieuw browsertabblad ze opent.")
    parser.add_argument("--steps", type=int, nargs="*", default=[1, 5, 20, 40],
                        help="aantallen gelijktijdige sessies (standaard 1 5 20 40; leeg: geen)")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconden per stap (standaard 30)")
    parser.add_argument("--serving", type=_serving, nargs="+", default=[1],
                        help="'direct' (één proces) en/of 'nginx:N' (N replica's achter nginx); standaard nginx:1")
    parser.add_argument("--pages", nargs="+", default=None, help="alleen deze pagina's (labels)")
    parser.add_argument("--no-empty", action="store_true", help="de lege pagina niet meten")
    parser.add_argument("--no-app", action="store_true", help="alleen de lege pagina meten")
    parser.add_argument("--idle", type=int, default=0, help="zoveel open, stille sessies op één proces")
    parser.add_argument("--soak", type=float, default=300.0, help="seconden dat de stille sessies open blijven")
    parser.add_argument("--label", default=None, help="naam van deze meting (standaard de commit)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--write-results", action="store_true", help="de sectie in bench/RESULTS.md bijwerken")
    args = parser.parse_args(argv)
    from bench.run import embedded_copy
    from monitor.data.auth import add_user

    label = args.label or _label()
    pages = [p for p in PAGES if not args.pages or p[0] in args.pages]
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / "loadgen-server.log"
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results = {"machine": f"{os.cpu_count()} cores", "runs": [], "idle": []}
    work = Path(tempfile.mkdtemp(prefix="loadgen-"))
    try:
        datasets = embedded_copy(work)
        secrets = work / "secrets.toml"
        add_user("redacteur-bench", "redacteur", "een-lang-wachtwoord", secrets_path=secrets)
        scripts = ([] if args.no_app else [("app", None, pages)]) + \
                  ([] if args.no_empty else [(EMPTY, REPO / "bench" / "empty_page.py", EMPTY_PAGES)])
        for replicas in args.serving if args.steps else []:
            for script, path, script_pages in scripts:
                print(f"meten: {script}, {_name(replicas)}", file=sys.stderr)
                served = Served(replicas, datasets, secrets, log, script=path)
                try:
                    steps = measure(served, script_pages, args.steps, args.seconds)
                finally:
                    served.stop()
                results["runs"].append({"label": label, "started": started, "serving": _name(replicas),
                                        "script": script, "pages": [p for p, _ in script_pages],
                                        "seconds": args.seconds, "steps": steps})
        if args.idle:
            print(f"meten: {args.idle} stille sessies, {args.soak:.0f} s", file=sys.stderr)
            served = Served(0, datasets, secrets, log)
            try:
                asyncio.run(warm_up(served, pages))
                served.settle()
                got = asyncio.run(idle(served, args.idle, args.soak, pages))
            finally:
                served.stop()
            print(f"  {got['sessions']} sessies, {got['per_session_mb']:.2f} MB per sessie, groei "
                  f"{got['growth_mb']:.1f} MB in {got['soak_s']:.0f} s, fouten {got['errors']}", file=sys.stderr)
            results["idle"].append({"label": label, "started": started, **got})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    publish(results, args.out / "loadgen.json", args.write_results)
    return 0


def publish(results: dict, path: Path, write_results: bool) -> None:
    """Merge into ``path`` (JSON), print the tables of everything in it and, with
    ``write_results``, put them into bench/RESULTS.md."""
    merged = merge(json.loads(path.read_text()) if path.exists() else {}, results)
    path.write_text(json.dumps(merged, indent=1, default=str))
    print(render_markdown(merged))
    if write_results:
        write_results_md(render_markdown(merged))


if __name__ == "__main__":
    sys.exit(main())
