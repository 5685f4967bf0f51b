"""Server CPU per page view in a new browser session: ``python -m bench.pageviews``.

For each serving configuration (``PROFILES``: the one ``make run`` used before the serving work on page-view cost, the
production configuration, and the production options added one at a time), this starts two
servers with exactly the same Streamlit options: the dashboard (``python -m monitor serve``)
and an empty page beside it (``bench/empty_page.py``: a title and one line, through the same
launcher). Debian Chromium then opens every page (``PAGES``) and the empty page, each time in
a new browser context (a new user: no cookies, no cached files, a new Streamlit session),
round after round, after two warm-up rounds (caches warm). Around each view it reads the
server process's CPU time (utime + stime of all its threads, ``/proc/<pid>/stat``): from just
before the navigation until the page is ready as ``tests/browser/ready.py`` defines it. The
context is then closed and the server left to settle before the next view. Reported per page:
the median (and range) over the rounds, and the ratio to the empty page of the same run.

``--profile`` also records each page's views with py-spy (sampling the server process, all
threads, idle threads left out) and reports where the CPU went: Streamlit's own parts
(session set-up, script run, messages, file watching, HTTP) and the top functions of the
page's own code (``bench/profiles.py``).

Results go to ``bench/out/pageviews.json``; ``--write-results`` rewrites the section between
the ``pageviews`` markers in bench/RESULTS.md. ``make bench`` runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from dashboard import PAGES as REGISTRY
from bench.cpuclock import CLK_TCK, CpuClock, proc_seconds
from bench.run import CHROMIUM, CHROMIUM_ARGS, OUT, REPO, RESULTS  # the bench's one set of paths
from monitor.serving.netutil import HEALTH_PATH, free_port, stop_process, wait_until_answers

EMPTY = "leeg"

# label, path (and query): every page of the registry (``dashboard.PAGES``) by its url path, the
# default page as "/", and one project's detail after the list.
PAGES = [(page.url_path, "/" if page.default else f"/{page.url_path}") for page in REGISTRY]
PAGES.insert(PAGES.index(("projecten", "/projecten")) + 1, ("project", "/projecten?project=kinderarmoede"))

# Serving configurations: (name, ``python -m monitor serve`` arguments, how it is served).
# "main" is what ``make run`` served before the production profile: .streamlit/config.toml and Streamlit's
# defaults (the file watcher on, run-on-save off), without uvloop and httptools. The steps
# add the production options one at a time, then uvloop and httptools (= production, one
# Streamlit process serving everything), then nginx in front serving the static files.
MAIN = ["--dev", "--server.runOnSave", "false"]
DIRECT = {"speedups": False, "proxy": False}


def production_steps() -> list[tuple[str, list[str], dict]]:
    from ui.serve import profile_options

    options = profile_options("production")
    steps = [("main", MAIN, DIRECT)]
    for at in range(0, len(options), 2):
        steps.append((f"+ {options[at][2:]}={options[at + 1]}", MAIN + options[:at + 2], DIRECT))
    steps.append(("production", [], {"speedups": True, "proxy": False}))
    steps.append(("production + nginx", [], {"speedups": True, "proxy": True}))
    return steps


def profiles(names: list[str] | None) -> list[tuple[str, list[str], dict]]:
    steps = production_steps()
    if not names:
        return [steps[0], steps[-2], steps[-1]]
    if names == ["steps"]:
        return steps
    by_name = {name: (name, options, how) for name, options, how in steps}
    return [by_name[name] for name in names]


# --- the server process --------------------------------------------------------------------

cpu_seconds = proc_seconds  # in clock ticks; a server's own clock (``Server.clock``) is finer where it can be


def _parent_and_name(pid: str) -> tuple[int, str]:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2:].split()[1]), stat[stat.index("(") + 1:stat.rindex(")")]


def descendants(root: int) -> list[int]:
    """Every live process below ``root`` (children, their children …)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                children.setdefault(_parent_and_name(entry.name)[0], []).append(int(entry.name))
            except OSError:  # ended meanwhile
                pass
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def browser_cpu() -> dict[int, float]:
    """CPU seconds of each live Chromium process this benchmark started (below this process:
    Playwright's driver starts the browser, which starts its renderers, GPU and network service)."""
    out = {}
    for pid in descendants(os.getpid()):
        try:
            if "chrom" in _parent_and_name(str(pid))[1].lower():
                out[pid] = cpu_seconds(pid)
        except OSError:
            pass
    return out


def cpu_since(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two ``browser_cpu`` readings by the processes alive at the second: a
    process started in between counts from zero; one that ended in between is not counted (its
    time is gone with it, so a view's own renderer is read before its context closes)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def _env(datasets: Path, speedups: bool) -> dict:
    path = str(REPO) if speedups else f"{REPO / 'bench' / 'without_speedups'}{os.pathsep}{REPO}"
    return dict(os.environ, PYTHONPATH=path, MONITOR_DATASETS=str(datasets))


def _common(secrets: Path, script: Path | None) -> list[str]:
    return ["--browser.gatherUsageStats", "false", "--secrets.files", str(secrets),
            *(["--script", str(script)] if script is not None else [])]


class Server:
    """``python -m monitor serve`` with ``options`` (and ``--script`` for the empty page)."""

    def __init__(self, options: list[str], datasets: Path, secrets: Path, log: Path, script: Path | None = None,
                 speedups: bool = True):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "monitor", "serve", *options,
                   "--server.port", str(self.port), "--server.address", "127.0.0.1",
                   "--server.headless", "true", *_common(secrets, script)]
        self.command = command
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(command, cwd=REPO, env=_env(datasets, speedups), stdout=out,
                                         stderr=subprocess.STDOUT)
        self.clock = CpuClock(self.proc.pid)
        if not wait_until_answers(self.url + HEALTH_PATH, self.proc, 90, 0.2):
            self.stop()
            raise RuntimeError(f"de server startte niet: {' '.join(command)}\n{log.read_text()[-3000:]}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def cpu(self) -> float:
        """The server process's CPU seconds so far (``bench.cpuclock``: to the microsecond where
        the machine allows a cgroup, else in 10 ms ticks)."""
        return self.clock.seconds()

    def settle(self, window: float = 0.3, limit: float = 10.0) -> None:
        """Wait until the server used at most one clock tick of CPU over ``window`` seconds
        (a closed session's clean-up done), at most ``limit`` seconds."""
        deadline = time.monotonic() + limit
        before = self.cpu()
        while time.monotonic() < deadline:
            time.sleep(window)
            now = self.cpu()
            if now - before <= 1.0 / CLK_TCK:
                return
            before = now

    def idle_rate(self, seconds: float = 3.0) -> float:
        """CPU seconds per second while nobody is connected (pollers, timers)."""
        before = self.cpu()
        time.sleep(seconds)
        return (self.cpu() - before) / seconds

    def stop(self) -> None:
        if self.proc.poll() is None:
            stop_process(self.proc, timeout_s=15)
        self.clock.close()


class ProxiedServer(Server):
    """The same behind nginx (``monitor.serving.replicas``, one replica): nginx serves the static
    files; the CPU measured is the Streamlit process's."""

    def __init__(self, options: list[str], datasets: Path, secrets: Path, log: Path, script: Path | None = None,
                 speedups: bool = True):
        from monitor.serving.replicas import Cluster
        from ui.serve import frontend_folder

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log, "ab")  # noqa: SIM115 - open for the servers' lifetime
        self.cluster = Cluster(1, [*options, "--server.port", str(self.port), "--server.address", "127.0.0.1",
                                   *_common(secrets, script)], static_dir=frontend_folder(), log=self._log,
                               env=_env(datasets, speedups))
        self.cluster.start()
        self.proc = self.cluster.replicas[0].proc
        self.clock = CpuClock(self.proc.pid)
        self.command = ["nginx →", *self.cluster.replica_command(self.cluster.replicas[0])]

    def stop(self) -> None:
        self.cluster.stop()
        self._log.close()
        self.clock.close()


# --- one page view --------------------------------------------------------------------------

async def view(browser, server: Server, path: str, empty: bool) -> dict:
    """Open ``path`` in a new context until ready; the server's CPU for it (seconds)."""
    from tests.browser import ready

    context = await browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    await context.add_init_script(ready.INIT_SCRIPT)
    page = await context.new_page()
    channel = ready.Channel(page)
    mark = channel.mark()
    server.settle()
    cpu0, browser0, t0 = server.cpu(), browser_cpu(), time.perf_counter()
    try:
        await page.goto(server.url + path, wait_until="commit")
        await ready.wait_ready(page, channel, mark, new_document=True, title=None, needles=[],
                               timeout_ms=120_000, footer=not empty)
        cpu1, browser1, t1 = server.cpu(), browser_cpu(), time.perf_counter()
    finally:
        await context.close()
    return {"cpu_s": cpu1 - cpu0, "wall_s": t1 - t0, "browser_s": cpu_since(browser0, browser1)}


async def measure_profile(name: str, options: list[str], how: dict, datasets: Path, secrets: Path, rounds: int,
                          pages: list[tuple[str, str]], log: Path, profile_dir: Path | None) -> dict:
    from playwright.async_api import async_playwright

    kind = ProxiedServer if how["proxy"] else Server
    app = kind(options, datasets, secrets, log, speedups=how["speedups"])
    empty = kind(options, datasets, secrets, log, script=REPO / "bench" / "empty_page.py", speedups=how["speedups"])
    views: dict[str, list[dict]] = {label: [] for label, _ in pages}
    views[EMPTY] = []
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                       args=CHROMIUM_ARGS)
            try:
                for _warm in range(2):
                    for _label, path in pages:
                        await view(browser, app, path, empty=False)
                    await view(browser, empty, "/", empty=True)
                idle = {"app": app.idle_rate(6.0), EMPTY: empty.idle_rate(6.0)}
                for _round in range(rounds):
                    for label, path in pages:
                        views[label].append(await view(browser, app, path, empty=False))
                    views[EMPTY].append(await view(browser, empty, "/", empty=True))
                profile = None
                if profile_dir is not None:
                    from bench.profiles import record_views
                    profile = await record_views(browser, app, empty, pages, rounds, profile_dir / _slug(name))
            finally:
                await browser.close()
    finally:
        app.stop()
        empty.stop()
    floor = statistics.median(v["cpu_s"] for v in views[EMPTY])
    result = {"name": name, "options": options, "how": how, "rounds": rounds, "command": app.command,
              "clock": app.clock.kind,
              "idle_cpu_per_s": idle,
              "pages": {}}
    for label, got in views.items():
        cpu = [v["cpu_s"] for v in got]
        result["pages"][label] = {
            "cpu_ms": [round(c * 1000, 1) for c in cpu],
            "median_ms": statistics.median(cpu) * 1000,
            "min_ms": min(cpu) * 1000, "max_ms": max(cpu) * 1000,
            "wall_median_ms": statistics.median(v["wall_s"] for v in got) * 1000,
            # Chromium's own CPU for the same view (all its processes), beside the server's
            "browser_median_ms": statistics.median(v["browser_s"] for v in got) * 1000,
            "ratio": statistics.median(cpu) / floor if floor else None,
        }
    app_pages = [result["pages"][label]["median_ms"] for label, _ in pages]
    browser = [result["pages"][label]["browser_median_ms"] for label, _ in pages]
    result["summary"] = {"empty_ms": floor * 1000, "median_ms": statistics.median(app_pages),
                         "slowest_ms": max(app_pages),
                         "browser_empty_ms": result["pages"][EMPTY]["browser_median_ms"],
                         "browser_median_ms": statistics.median(browser), "browser_slowest_ms": max(browser),
                         "slowest_page": max(pages, key=lambda p: result["pages"][p[0]]["median_ms"])[0]}
    if profile is not None:
        result["profile"] = profile
    return result


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name).strip("-") or "profile"


# --- report ----------------------------------------------------------------------------------

def _nl(value: float, digits: int = 0) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _cell(r: dict, label: str) -> str:
    p = r["pages"].get(label)
    if p is None:
        return "–"
    if label == EMPTY:
        return f"**{_nl(p['median_ms'])}**"
    return f"{_nl(p['median_ms'])} ({_nl(p['ratio'], 1)}×)"


def _table(runs: list[dict], labels: list[str], totals: bool) -> list[str]:
    lines = ["| page | " + " | ".join(r["name"] for r in runs) + " |", "|---|" + "---:|" * len(runs)]
    for label in [EMPTY, *labels]:
        name = "**empty page** (floor)" if label == EMPTY else label
        lines.append(f"| {name} | " + " | ".join(_cell(r, label) for r in runs) + " |")
    medians = [statistics.median(r["pages"][label]["median_ms"] for label in labels) for r in runs]
    lines.append(f"| median of {'the' if totals else 'these'} pages | " + " | ".join(
        f"{_nl(m)} ({_nl(m / r['pages'][EMPTY]['median_ms'], 1)}×)" for m, r in zip(medians, runs)) + " |")
    if totals:
        lines.append("| slowest page | " + " | ".join(
            f"{_nl(r['summary']['slowest_ms'])} ({r['summary']['slowest_page']})" for r in runs) + " |")
        lines.append("| idle server, CPU ms per s (app / empty) | " + " | ".join(
            f"{_nl(r['idle_cpu_per_s']['app'] * 1000, 1)} / {_nl(r['idle_cpu_per_s'][EMPTY] * 1000, 1)}"
            for r in runs) + " |")
    return lines + [""]


def _clock_text(results: dict) -> str:
    kinds = sorted({r.get("clock", "ticks") for r in results["profiles"]})
    texts = {"ticks": "`/proc/<pid>/stat` in 10 ms ticks",
             "cgroup v2 (µs)": "a cgroup of its own, `cpu.stat`, in µs (`bench/cpuclock.py`)",
             "cgroup v1 cpuacct (ns)": "a cgroup of its own, `cpuacct.usage`, in ns (`bench/cpuclock.py`)"}
    return " and ".join(texts.get(kind, kind) for kind in kinds)


def render_markdown(results: dict) -> str:
    """Every page for the configurations measured on all pages; then, when some were measured
    on fewer pages (the steps), one table per configuration change on those pages."""
    runs = results["profiles"]
    rounds = sorted({r.get("rounds", results["rounds"]) for r in runs})
    lines = [f"Run: {results['started']} on {results['machine']} (`python -m bench.pageviews`), embedded "
             f"datasets, {'/'.join(map(str, rounds))} new sessions per page and configuration, caches warm. "
             f"CPU: the server process's CPU time (all its threads and the processes it starts; "
             f"read from {_clock_text(results)}) "
             "from the navigation until the page is ready (`tests/browser/ready.py`); median per page over "
             "the sessions, in ms. In brackets: the ratio to the empty page (`bench/empty_page.py`) served "
             "beside it, in the same run, by the same launcher with the same options.", ""]
    every = [label for label, _path in PAGES]
    full = [r for r in runs if all(label in r["pages"] for label in every)]
    partial = [r for r in runs if r not in full]
    if full:
        lines += _table(full, every, totals=True)
    if partial:
        common = [label for label in every if all(label in r["pages"] for r in runs)]
        lines += ["Per configuration change (each column adds one option to the one before it; "
                  "measured on fewer pages):", ""]
        lines += _table(runs, common, totals=False)
    lines += ["Options per column (on top of `.streamlit/config.toml`):", ""]
    for r in runs:
        served = ("behind nginx (`monitor.serving.replicas`, one replica; nginx serves the frontend, the Dutch "
                  "`index.html` included)" if r["how"]["proxy"]
                  else "one Streamlit process serving everything")
        extra = "" if r["how"]["speedups"] else ", without uvloop and httptools"
        command = " ".join(["python -m monitor serve", *r["options"]])
        lines.append(f"- {r['name']}: `{command}`, {served}{extra}")
    lines.append("")
    measured = [r for r in runs if "browser_median_ms" in r["summary"]]
    if measured:
        lines += ["Chromium's own CPU for the same views (all its processes: browser, renderer, GPU, network "
                  "service; the renderer read before its context closes), median in ms:", "",
                  "| configuration | empty page | pages, median | slowest page |", "|---|---:|---:|---:|"]
        lines += [f"| {r['name']} | {_nl(r['summary']['browser_empty_ms'])} | {_nl(r['summary']['browser_median_ms'])}"
                  f" | {_nl(r['summary']['browser_slowest_ms'])} |" for r in measured]
        lines.append("")
    for r in runs:
        if "profile" in r:
            from bench.profiles import render_profile
            lines += render_profile(r["name"], r["profile"])
    return "\n".join(lines)


def merge(old: dict, new: dict) -> dict:
    """``new``'s configurations replace ``old``'s of the same name; in the order of the steps."""
    order = [name for name, _options, _how in production_steps()]
    by_name = {r["name"]: r for r in old["profiles"]} | {r["name"]: r for r in new["profiles"]}
    ranked = sorted(by_name.values(), key=lambda r: order.index(r["name"]) if r["name"] in order else len(order))
    return new | {"profiles": ranked, "started": f"{old['started'].split(' – ')[0]} – {new['started']}"
                  if old["started"][:10] == new["started"][:10] else new["started"]}


BEGIN, END = "<!-- pageviews:begin -->", "<!-- pageviews:end -->"


def write_results_md(markdown: str, path: Path = RESULTS, *, begin: str = BEGIN, end: str = END,
                     heading: str = "CPU per page view") -> None:
    """Replace what stands between the markers ``begin`` and ``end`` in ``path`` (a new section
    ``heading`` at the end when they are missing)."""
    text = path.read_text(encoding="utf-8")
    if begin not in text:
        text += f"\n## {heading}\n\n{begin}\n{end}\n"
    head, _sep, rest = text.partition(begin)
    _old, _sep2, tail = rest.partition(end)
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(f"{head}{begin}\n{markdown}\n{end}{tail}", encoding="utf-8")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Server-CPU per paginaweergave in een nieuwe sessie.")
    parser.add_argument("--rounds", type=int, default=5, help="nieuwe sessies per pagina (standaard 5)")
    parser.add_argument("--profiles", nargs="*", default=None,
                        help="configuraties: main, production, 'steps' (elke optie apart) of namen uit de stappen")
    parser.add_argument("--pages", nargs="*", default=None, help="alleen deze pagina's (labels)")
    parser.add_argument("--profile", action="store_true",
                        help="ook een py-spy-profiel per pagina (van de laatste configuratie)")
    parser.add_argument("--write-results", action="store_true", help="de sectie in bench/RESULTS.md bijwerken")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--merge", action="store_true",
                        help="bij de configuraties in bench/out/pageviews.json voegen (per naam vervangen)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"Chromium ontbreekt ({CHROMIUM})", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    from monitor.data.auth import add_user
    from bench.run import embedded_copy

    args.out.mkdir(parents=True, exist_ok=True)
    pages = [p for p in PAGES if not args.pages or p[0] in args.pages]
    work = Path(tempfile.mkdtemp(prefix="pageviews-"))
    try:
        datasets = embedded_copy(work)
        secrets = work / "secrets.toml"
        add_user("redacteur-bench", "redacteur", "een-lang-wachtwoord", secrets_path=secrets)
        results = {"started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                   "machine": f"{os.cpu_count()} cores", "rounds": args.rounds, "profiles": []}
        chosen = profiles(args.profiles)
        for name, options, how in chosen:
            print(f"meten: {name}", file=sys.stderr)
            profile_dir = args.out / "profiles" if args.profile and name == chosen[-1][0] else None
            result = asyncio.run(measure_profile(name, options, how, datasets, secrets, args.rounds, pages,
                                                 args.out / "pageviews-server.log", profile_dir))
            results["profiles"].append(result)
            s = result["summary"]
            print(f"  leeg {s['empty_ms']:.0f} ms, mediaan pagina's {s['median_ms']:.0f} ms, traagste "
                  f"{s['slowest_page']} {s['slowest_ms']:.0f} ms; Chromium: leeg {s['browser_empty_ms']:.0f} ms, "
                  f"mediaan pagina's {s['browser_median_ms']:.0f} ms", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.merge and (args.out / "pageviews.json").exists():
        results = merge(json.loads((args.out / "pageviews.json").read_text()), results)
    (args.out / "pageviews.json").write_text(json.dumps(results, indent=1, default=str))
    markdown = render_markdown(results)
    print(markdown)
    if args.write_results:
        write_results_md(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
