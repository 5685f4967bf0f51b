"""Where a page view's server CPU goes: py-spy profiles for ``bench.pageviews --profile``.

py-spy (pinned in requirements-dev.txt) samples the running server process from outside
(``py-spy record --pid``, all threads, idle threads left out, so a sample is a moment a thread
was on a CPU) while the page is opened in new sessions. Every sample's stack is attributed to
its *owner*: walking from the innermost frame outwards, the first frame that belongs to a
known part (``OWNERS``) decides. So pandas called from ``monitor/`` counts as the page's own
code, pyarrow called from ``st.dataframe`` as Streamlit's elements, and a hash computed by
``st.cache_data`` for a cache hit as caching. For the page's own code the report also lists
the functions (of ``monitor/``, ``pages/``, ``dashboard.py``) with the most samples, and the
Streamlit commands the page called that cost the most.
"""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY_SPY = Path(sys.executable).with_name("py-spy")
RATE = 250

# (part, regular expression on the frame's file). Checked per frame from the innermost out.
OWNERS = [
    ("file watching", r"/streamlit/watcher/"),  # with fileWatcherType none: config/secrets polled
    ("st.cache", r"/streamlit/runtime/caching/"),
    ("st.* elements", r"/streamlit/(elements|delta_generator|commands|navigation)"),
    ("page code", r"^" + re.escape(str(REPO)) + r"/((monitor/(?!serve\.py|__main__\.py))|pages/|"
                                     r"dashboard\.py)"),
    ("script runner", r"/streamlit/runtime/scriptrunner"),
    ("session, messages", r"/streamlit/runtime/(app_session|session_manager|runtime|forward_msg|"
                                   r"websocket_session|memory_session|state|pages_manager|context)"),
    ("Streamlit server", r"/streamlit/web/"),
    ("uvicorn, starlette", r"/(uvicorn|starlette|websockets|h11|httptools|anyio)/"),
    ("protobuf", r"/google/protobuf/"),
    ("event loop", r"/asyncio/"),
    ("other Streamlit", r"/streamlit/"),
]
_OWNERS = [(name, re.compile(pattern)) for name, pattern in OWNERS]
_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^():]+)(?::(?P<line>\d+))?\)$")
_PROJECT = re.compile(r"^" + re.escape(str(REPO)) + r"/((monitor/(?!serve\.py|__main__\.py)|pages/).+|dashboard\.py)$")
_WRAPPER = re.compile(r"/streamlit/runtime/metrics_util\.py$")
_COMMAND = re.compile(r"/streamlit/(elements|delta_generator|commands|components)")


def _frames(stack: str) -> list[tuple[str, str]]:
    out = []
    for frame in stack.split(";"):
        match = _FRAME.match(frame.strip())
        out.append((match["func"], match["file"]) if match else (frame.strip(), ""))
    return out


def parse(raw: str) -> list[tuple[list[tuple[str, str]], int]]:
    """py-spy's raw format: one ``frame;frame;… count`` line per distinct stack, outermost first."""
    stacks = []
    for line in raw.splitlines():
        stack, _sep, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append((_frames(stack), int(count)))
    return stacks


def owner(frames: list[tuple[str, str]]) -> str:
    for _func, file in reversed(frames):
        for name, pattern in _OWNERS:
            if pattern.search(file):
                return name
    return "other"


def summarise(raw: str, views: int, cpu_s: float) -> dict:
    """Shares per part, top functions of the page's own code, top Streamlit commands called."""
    stacks = parse(raw)
    total = sum(count for _frames, count in stacks) or 1
    parts: Counter = Counter()
    own: Counter = Counter()
    commands: Counter = Counter()
    for frames, count in stacks:
        parts[owner(frames)] += count
        seen = set()
        for func, file in frames:
            match = _PROJECT.match(file)
            if match and func != "<module>" and (func, match[1]) not in seen:
                seen.add((func, match[1]))
                own[f"{match[1]}:{func}"] += count
        # the innermost Streamlit command called from the project's code (st.markdown, …)
        for at in range(len(frames) - 1, 0, -1):
            if _PROJECT.match(frames[at - 1][1]) and "/streamlit/" in frames[at][1]:
                rest = [f for f in frames[at:] if not _WRAPPER.search(f[1])]
                if rest and _COMMAND.search(rest[0][1]):
                    commands["st." + rest[0][0].rsplit(".", 1)[-1]] += count
                    break
    share = {name: count / total for name, count in parts.most_common()}
    per_view_ms = cpu_s * 1000 / views if views else 0.0
    return {"samples": total, "views": views, "cpu_ms_per_view": per_view_ms, "parts": share,
            "own_code": [(name, count / total) for name, count in own.most_common(8)],
            "st_commands": [(name, count / total) for name, count in commands.most_common(6)]}


async def record_views(browser, app, empty, pages: list[tuple[str, str]], rounds: int, out: Path) -> dict:
    """py-spy on the server while each page (and the empty page) is opened ``rounds`` times."""
    from bench.pageviews import EMPTY, view

    out.mkdir(parents=True, exist_ok=True)
    result = {}
    for server, label, path, is_empty in [(app, lbl, p, False) for lbl, p in pages] + [(empty, EMPTY, "/", True)]:
        target = out / f"{label}.txt"
        spy = subprocess.Popen([str(PY_SPY), "record", "--pid", str(server.pid), "--rate", str(RATE),
                                "--format", "raw", "--full-filenames", "--gil", "--output", str(target)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        await asyncio.sleep(1.0)  # py-spy attached
        cpu = 0.0
        for _round in range(rounds):
            cpu += (await view(browser, server, path, is_empty))["cpu_s"]
        spy.send_signal(signal.SIGINT)
        _out, err = spy.communicate(timeout=60)
        raw = target.read_text() if target.exists() else ""
        result[label] = summarise(raw, rounds, cpu)
        if not raw:
            result[label]["error"] = err.decode(errors="replace")[-500:]
    return result


def _ms(value: float) -> str:
    return f"{value:.0f}"


def render_profile(name: str, profile: dict) -> list[str]:
    """Markdown: per page the parts' shares and the top costs of its own code."""
    parts = [p for p, _ in OWNERS] + ["other"]
    short = {p: p for p in parts}
    lines = [f"#### Where the CPU of a page view goes ({name}, py-spy)", "",
             "CPU ms per page view by part: the page's measured CPU per view while profiled, split by "
             "the share of py-spy's samples (threads holding the GIL) whose innermost known frame is in "
             "that part (`bench/profiles.py`). Work outside the GIL (DuckDB, system calls) is in the "
             "total but not in the split. py-spy pauses the process for every sample, so these totals are "
             "higher than the table's; the split is what counts.", "",
             "| page | " + " | ".join(short[p] for p in parts) + " |", "|---|" + "---:|" * len(parts)]
    lines[-2] = "| page | CPU per view | " + " | ".join(short[p] for p in parts) + " |"
    lines[-1] = "|---|---:|" + "---:|" * len(parts)
    for label, p in profile.items():
        total = p["cpu_ms_per_view"]
        lines.append(f"| {label} | {_ms(total)} | " + " | ".join(_ms(p["parts"].get(part, 0.0) * total)
                                                              for part in parts) + " |")
    lines += ["", "Top costs of each page's own code (ms per view, inclusive: a function with what it "
              "calls) and the Streamlit commands it called that cost the most:", ""]
    for label, p in profile.items():
        total = p["cpu_ms_per_view"]
        own = ", ".join(f"`{n}` {_ms(s * total)}" for n, s in p["own_code"][:6]) or "–"
        cmds = ", ".join(f"`{n}` {_ms(s * total)}" for n, s in p["st_commands"][:4]) or "–"
        lines.append(f"- **{label}**: {own}; Streamlit: {cmds}")
    lines.append("")
    return lines
