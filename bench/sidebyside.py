"""Two commits side by side: ``python -m bench.sidebyside BEFORE AFTER``.

CPU per new-session page view moves with the load of a shared machine by more than most
single changes save, so a change is measured against the commit before it served *at the same
time*: each commit is copied out of git (``git archive``) into a temporary folder and served
with ``make run``'s production setup (``python -m monitor serve --replicas N``: nginx in front,
N Streamlit replicas, ``.streamlit/config.toml`` of that commit, its own committed datasets),
beside Streamlit's empty page (``bench/empty_page.py``) served the same way. Every serving tree
(launcher, nginx, replicas) is moved into a cgroup of its own (``bench.cpuclock``), so its CPU
is read to the microsecond and is its own, whatever else runs.

Page by page, round after round, each server opens ``--views`` new sessions of the page one
after another (``bench.streamclient``: a new tab at the protocol level); the server's CPU over
the batch divided by the views is one sample; the servers take turns in a rotating order. Per
page and server: the median of the ``--rounds`` samples, and its ratio to the empty page's median
over the whole run. Results: a Markdown table on stdout and ``bench/out/sidebyside.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import streamclient
from bench.cpuclock import CpuClock
from bench.loadgen import EMPTY, PAGES as MAIN_PAGES, Served
from bench.run import OUT, REPO


def registry_pages() -> list[tuple[str, str]]:
    """Every page of the registry as (label, path), in navigation order; the default page is "/"."""
    from dashboard import PAGES

    return [(page.url_path, "/" if page.default else "/" + page.url_path) for page in PAGES]


def default_pages() -> list[tuple[str, str]]:
    """The load generator's six main pages and the themalijn pages, in navigation order."""
    from dashboard import PAGES

    chosen = {page.url_path for page in PAGES if page.section == "Themalijnen"} | {label for label, _ in MAIN_PAGES}
    return [(label, path) for label, path in registry_pages() if label in chosen]


def export(commit: str, into: Path) -> Path:
    """The files of ``commit`` (as committed) in ``into``."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=REPO, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


class Server:
    """One served tree with its CPU clock (a cgroup holding the launcher and its children)."""

    def __init__(self, name: str, served: Served):
        self.name, self.served = name, served
        self.clock = CpuClock(served.proc.pid)
        if self.clock.group is not None:  # the children started before the clock: move them in too
            for pid in served.pids()[1:]:
                try:
                    (self.clock.group / "cgroup.procs").write_text(str(pid))
                except OSError:
                    pass

    def stop(self) -> None:
        self.served.stop()
        self.clock.close()


async def batch(server: Server, label: str, path: str, views: int) -> tuple[float, list[str]]:
    """CPU ms per view over ``views`` new sessions of ``path`` opened one after another."""
    conn = streamclient.connector()
    errors = []
    before = server.clock.seconds()
    for _ in range(views):
        view = await streamclient.view_once(conn, server.served.url, label, path)
        if not view.ok:
            errors.append(f"{server.name} {label}: {view.error}")
    await conn.close()
    await asyncio.sleep(0.05)  # the last session's teardown
    return (server.clock.seconds() - before) / views * 1000, errors


def measure(servers: list[Server], pages: list[tuple[str, str]], empty: Server, rounds: int,
            views: int) -> tuple[dict, list[str]]:
    """{server name: {page label: [ms per view, one per round]}}; the empty page is measured
    once per page turn, so it is sampled as often and at the same moments as the pages."""
    samples: dict[str, dict[str, list[float]]] = {s.name: {} for s in [*servers, empty]}
    errors: list[str] = []
    turn = 0
    for _round in range(rounds):
        for label, path in pages:
            order = [*servers, empty]
            order = order[turn % len(order):] + order[:turn % len(order)]
            turn += 1
            for server in order:
                got, bad = asyncio.run(batch(server, *((EMPTY, "/") if server is empty else (label, path)), views))
                samples[server.name].setdefault(EMPTY if server is empty else label, []).append(got)
                errors += bad
            print(f"  {label}: " + ", ".join(f"{s.name} {samples[s.name][label][-1]:.1f}" for s in servers)
                  + f", {EMPTY} {samples[empty.name][EMPTY][-1]:.1f} ms/view", file=sys.stderr)
    return samples, errors


def _ms(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def table(samples: dict, names: list[str], empty_name: str, pages: list[str]) -> str:
    floor = statistics.median(samples[empty_name][EMPTY])
    header = "| page | " + " | ".join(names) + " |"
    lines = [header, "|---|" + "---:|" * len(names), f"| **empty page** (floor) | " +
             " | ".join(f"**{_ms(floor)}**" for _ in names) + " |"]
    medians = {name: [] for name in names}
    for page in pages:
        cells = []
        for name in names:
            value = statistics.median(samples[name][page])
            medians[name].append(value)
            cells.append(f"{_ms(value)} ({_ms(value / floor)}×)")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines.append("| **median of the pages** | " + " | ".join(
        f"**{_ms(statistics.median(medians[n]))} ({_ms(statistics.median(medians[n]) / floor)}×)**" for n in names)
        + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Twee commits naast elkaar: CPU per nieuwe sessie per pagina.")
    parser.add_argument("commits", nargs="+", help="commits (of branches) om naast elkaar te serveren")
    parser.add_argument("--pages", nargs="+", default=None,
                        help="deze pagina's (url-paden uit het register; standaard de zes hoofdpagina's en de themalijnen)")
    parser.add_argument("--rounds", type=int, default=3, help="rondes (standaard 3)")
    parser.add_argument("--views", type=int, default=8, help="nieuwe sessies per pagina per ronde (standaard 8)")
    parser.add_argument("--replicas", type=int, default=1, help="replica's achter nginx (standaard 1)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from monitor.data.auth import add_user

    pages = default_pages() if not args.pages else [p for p in registry_pages() if p[0] in args.pages]
    work = Path(tempfile.mkdtemp(prefix="sidebyside-"))
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / "sidebyside-server.log"
    servers: list[Server] = []
    try:
        secrets = work / "secrets.toml"
        add_user("redacteur-bench", "redacteur", "een-lang-wachtwoord", secrets_path=secrets)
        names = []
        for n, commit in enumerate(args.commits):
            sha = subprocess.run(["git", "rev-parse", "--short", commit], cwd=REPO, check=True,
                                 capture_output=True, text=True).stdout.strip()
            name = sha if sha not in names else f"{sha}-{n}"
            copy = export(sha, work / name)
            servers.append(Server(name, Served(args.replicas, copy / "datasets", secrets, log, repo=copy)))
            names.append(name)
        empty = Server(EMPTY, Served(args.replicas, work / names[-1] / "datasets", secrets, log,
                                     script=work / names[-1] / "bench" / "empty_page.py", repo=work / names[-1]))
        servers_all = [*servers, empty]
        print(f"klok: {empty.clock.kind}; warm maken", file=sys.stderr)
        for server in servers:  # every page twice: caches warm, scripts compiled
            for label, path in pages * 2:
                asyncio.run(batch(server, label, path, 1))
        asyncio.run(batch(empty, EMPTY, "/", 4))
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        samples, errors = measure(servers, pages, empty, args.rounds, args.views)
        result = {"started": started, "commits": names, "rounds": args.rounds, "views": args.views,
                  "replicas": args.replicas, "clock": empty.clock.kind, "samples": samples, "errors": errors}
        (args.out / "sidebyside.json").write_text(json.dumps(result, indent=1))
        print(f"{started}, {args.rounds} × {args.views} nieuwe sessies per pagina, nginx en {args.replicas} "
              f"replica('s), klok {empty.clock.kind}, fouten {len(errors)}" + (f" ({errors[0]})" if errors else ""))
        print(table(samples, names, EMPTY, [label for label, _ in pages]))
    finally:
        for server in locals().get("servers_all", servers):
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
