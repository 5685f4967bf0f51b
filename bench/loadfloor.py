"""What 20 browsers on the same 2 cores cost, whatever the app: ``python -m bench.loadfloor``.

The load test (``tests/browser/test_load.py``) runs 20 Chromium contexts on the machine that
serves the monitor. This benchmark asks how much of its page-ready time is the browsers' own
work: it runs the same kind of load, 20 contexts at once each opening a page again and again
for ``--seconds`` (a new document each time, ready as ``tests/browser/ready.py`` defines it),
against

* Streamlit's empty page (``bench/empty_page.py``: a title and one line), served by the same
  launcher with the same production options beside the monitor: the floor of any Streamlit app;
* monitor pages (``--pages``, by default Over, Overzicht and Bronnen).

Per target it reports the page-ready median, p95 and maximum, the page views, and where the
machine's CPU went: the server process (``bench.cpuclock``), Chromium (all its processes) and
the rest. Not part of ``make test`` or ``make bench``; its table is in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.pageviews import EMPTY, PAGES as PAGE_PATHS, Server, browser_cpu, cpu_since
from bench.run import CHROMIUM, CHROMIUM_ARGS, OUT, REPO

SESSIONS = 20
PAGES = dict(PAGE_PATHS)  # every page of the registry (dashboard.PAGES) by its url path
MEASURED = ["over", "overzicht", "bronnen"]  # measured unless --pages names others


def _busy_seconds() -> float:
    """CPU time the whole machine spent busy (all cores, /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


async def _session(context, url: str, deadline: float, footer: bool, times: list[float], errors: list[str]) -> None:
    """One user: the page opened again and again until the deadline (the context is closed by
    the caller, after Chromium's CPU was read: a closed context's renderer takes its time along)."""
    from tests.browser import ready

    await context.add_init_script(ready.INIT_SCRIPT)
    page = await context.new_page()
    channel = ready.Channel(page)
    while time.monotonic() < deadline:
        mark = channel.mark()
        started = time.perf_counter()
        try:
            await page.goto(url, wait_until="commit")
            _finished, ready_at = await ready.wait_ready(page, channel, mark, new_document=True, title=None,
                                                         needles=[], timeout_ms=300_000, footer=footer)
            times.append(ready_at - started)  # to the page's last change, as the load test counts
        except Exception as exc:  # noqa: BLE001 - counted; the next view starts on a new document
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")


async def measure(server: Server, path: str, sessions: int, seconds: float, footer: bool) -> dict:
    from playwright.async_api import async_playwright

    times: list[float] = []
    errors: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            warm = await browser.new_page()
            await warm.goto(server.url + path)
            await warm.wait_for_timeout(3000)
            await warm.close()
            contexts = [await browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
                        for _ in range(sessions)]
            busy, serving, chrome = _busy_seconds(), server.cpu(), browser_cpu()
            started = time.monotonic()
            deadline = started + seconds
            await asyncio.gather(*(_session(context, server.url + path, deadline, footer, times, errors)
                                   for context in contexts))
            wall = time.monotonic() - started
            chrome_s = cpu_since(chrome, browser_cpu())
            machine, server_s = _busy_seconds() - busy, server.cpu() - serving
            for context in contexts:
                await context.close()
        finally:
            await browser.close()
    p95 = statistics.quantiles(times, n=100, method="inclusive")[94] if len(times) > 1 else (times or [0])[0]
    return {"views": len(times), "errors": len(errors), "first_errors": errors[:3],
            "median_s": statistics.median(times) if times else None, "p95_s": p95,
            "max_s": max(times) if times else None, "wall_s": wall, "machine_cpu_s": machine,
            "server_cpu_s": server_s, "chromium_cpu_s": chrome_s,
            "chromium_cpu_per_view_s": chrome_s / len(times) if times else None,
            "server_cpu_per_view_s": server_s / len(times) if times else None}


def _nl(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def render(results: dict) -> str:
    lines = [f"Run: {results['started']} on {results['machine']} (`python -m bench.loadfloor`), "
             f"{results['sessions']} Chromium contexts at once, each opening the page again and again for "
             f"{results['seconds']:g} s (a new document each time, ready as `tests/browser/ready.py` defines it), "
             "production options, one Streamlit process.", "",
             "| page | page views | page-ready median | p95 | max | errors | CPU per view: Chromium | server | "
             "machine busy / wall |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, r in results["targets"].items():
        name = "**Streamlit's empty page**" if label == EMPTY else label
        lines.append(f"| {name} | {r['views']} | {_nl(r['median_s'])} s | {_nl(r['p95_s'])} s | {_nl(r['max_s'])} s | "
                     f"{r['errors']} | {_nl(r['chromium_cpu_per_view_s'], 2)} s | "
                     f"{_nl(1000 * (r['server_cpu_per_view_s'] or 0), 0)} ms | "
                     f"{_nl(r['machine_cpu_s'], 0)} s / {_nl(r['wall_s'], 0)} s |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Wat 20 browsers op dezelfde 2 kernen kosten, los van de app.")
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--pages", nargs="*", default=MEASURED, choices=list(PAGES), help="monitorpagina's")
    parser.add_argument("--out", type=Path, default=OUT / "loadfloor.json")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"Chromium ontbreekt ({CHROMIUM})", file=sys.stderr)
        return 2
    from bench.run import embedded_copy
    from monitor.data.auth import add_user

    work = Path(tempfile.mkdtemp(prefix="loadfloor-"))
    results = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": f"{os.cpu_count()} cores",
               "sessions": args.sessions, "seconds": args.seconds, "targets": {}}
    try:
        datasets = embedded_copy(work)
        secrets = work / "secrets.toml"
        add_user("redacteur-bench", "redacteur", "een-lang-wachtwoord", secrets_path=secrets)
        targets = [(EMPTY, "/", REPO / "bench" / "empty_page.py")] + [(p, PAGES[p], None) for p in args.pages]
        for label, path, script in targets:
            print(f"meten: {label}", file=sys.stderr)
            server = Server([], datasets, secrets, work / "server.log", script=script)
            try:
                result = asyncio.run(measure(server, path, args.sessions, args.seconds, footer=script is None))
            finally:
                server.stop()
            results["targets"][label] = result
            print(f"  {result['views']} weergaven, mediaan {result['median_s']} s, p95 {result['p95_s']} s, "
                  f"{result['errors']} fouten", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, default=str))
    print(render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
