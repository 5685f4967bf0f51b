"""bench.pageviews and bench.profiles without a browser: the configurations measured, the CPU
reading, the report, and how profile samples are attributed."""

from __future__ import annotations

import os
import time

from bench import pageviews, profiles
from ui.serve import profile_options


def test_cpu_seconds_counts_this_process_and_its_threads():
    import threading

    before = pageviews.cpu_seconds(os.getpid())

    def spin():
        end = time.process_time() + 0.2
        while time.process_time() < end:
            pass

    worker = threading.Thread(target=spin)
    worker.start()
    worker.join()  # a finished thread's time stays counted
    assert pageviews.cpu_seconds(os.getpid()) - before >= 0.15


def test_the_clock_reads_a_process_and_its_threads_in_any_of_its_kinds():
    """``bench.cpuclock.CpuClock``: a busy child's CPU time, with a cgroup where the machine
    allows it (finer than a tick) and in ticks otherwise; both agree with /proc."""
    import subprocess
    import sys

    from bench.cpuclock import CpuClock

    code = ("import sys, threading, time\n"
            "def spin(s):\n    end = time.thread_time() + s\n    while time.thread_time() < end: pass\n"
            "sys.stdin.readline()\n"
            "t = threading.Thread(target=spin, args=(0.3,)); t.start(); t.join()\n"  # a thread that ends
            "spin(0.2)\nprint('klaar', flush=True)\nsys.stdin.readline()\n")
    for precise in (True, False):
        child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        clock = CpuClock(child.pid, precise=precise)
        try:
            assert precise or clock.kind == "ticks"
            before = clock.seconds()
            child.stdin.write("\n")
            child.stdin.flush()
            assert child.stdout.readline().strip() == "klaar"
            used = clock.seconds() - before
            assert 0.45 <= used <= 0.9, (clock.kind, used)
            assert abs(clock.seconds() - pageviews.cpu_seconds(child.pid)) <= 0.05, clock.kind
        finally:
            child.stdin.write("\n")
            child.stdin.flush()
            child.wait(timeout=10)
            clock.close()
        assert clock.group is None


def test_the_steps_go_from_main_to_production_one_option_at_a_time():
    steps = pageviews.production_steps()
    names = [name for name, _options, _how in steps]
    assert names[0] == "main" and names[-2:] == ["production", "production + nginx"]
    options = profile_options("production")
    assert len(steps) == 3 + len(options) // 2
    for at, (_name, opts, how) in enumerate(steps[1:-2], 1):
        assert opts == pageviews.MAIN + options[:2 * at] and how == pageviews.DIRECT
    assert steps[-2][2] == {"speedups": True, "proxy": False} and steps[-1][2]["proxy"]
    assert [p[0] for p in pageviews.profiles(None)] == ["main", "production", "production + nginx"]


def _result(name, empty, pages):
    return {"name": name, "options": [], "how": {"speedups": True, "proxy": False}, "rounds": 5,
            "idle_cpu_per_s": {"app": 0.003, pageviews.EMPTY: 0.002},
            "pages": {pageviews.EMPTY: {"median_ms": empty},
                      **{k: {"median_ms": v, "ratio": v / empty} for k, v in pages.items()}},
            "summary": {"empty_ms": empty, "median_ms": sorted(pages.values())[len(pages) // 2],
                        "slowest_ms": max(pages.values()), "slowest_page": max(pages, key=pages.get)}}


def test_the_report_has_a_row_per_page_and_the_floor_first():
    every = {label: 500 + i for i, (label, _path) in enumerate(pageviews.PAGES)}
    results = {"started": "2026-12-01 10:00 UTC", "machine": "2 cores", "rounds": 5,
               "profiles": [_result("main", 400, every | {"overzicht": 800, "bronnen": 700}),
                            _result("+ step", 100, {"overzicht": 200, "bronnen": 300})]}
    text = pageviews.render_markdown(results)
    full, steps = text.split("Per configuration change")
    rows = [line for line in full.splitlines() if line.startswith("| ")]
    assert rows[0] == "| page | main |"
    assert rows[1] == "| **empty page** (floor) | **400** |"
    assert "| overzicht | 800 (2,0×) |" in rows and len(rows) == 2 + len(pageviews.PAGES) + 3
    rows = [line for line in steps.splitlines() if line.startswith("| ")]
    assert rows[0] == "| page | main | + step |"
    assert rows[1:] == ["| **empty page** (floor) | **400** | **100** |", "| overzicht | 800 (2,0×) | 200 (2,0×) |",
                        "| bronnen | 700 (1,8×) | 300 (3,0×) |", "| median of these pages | 750 (1,9×) | 250 (2,5×) |"]


def test_merge_replaces_by_name_and_keeps_the_steps_order():
    old = {"started": "2026-12-01 10:00 UTC", "profiles": [_result("production", 100, {"a": 1}),
                                                           _result("main", 400, {"a": 2})]}
    new = {"started": "2026-12-01 11:00 UTC", "profiles": [_result("main", 300, {"a": 3})]}
    merged = pageviews.merge(old, new)
    assert [r["name"] for r in merged["profiles"]] == ["main", "production"]
    assert merged["profiles"][0]["summary"]["empty_ms"] == 300


def test_a_sample_belongs_to_the_innermost_known_part():
    repo = str(profiles.REPO)
    site = "/venv/lib/python3.11/site-packages"
    raw = "\n".join([
        # the page's code calling pandas: page code
        (f"run (/x/threading.py:1);_run_script ({site}/streamlit/runtime/scriptrunner/script_runner.py:9);"
        f"<module> ({repo}/pages/overzicht.py:3);card ({repo}/pages/overzicht.py:9);"
        f"sum ({site}/pandas/core/frame.py:1) 6"),
        # the page calling st.markdown: Streamlit's elements, command st.markdown
        (f"_run_script ({site}/streamlit/runtime/scriptrunner/script_runner.py:9);card ({repo}/pages/overzicht.py:9);"
        f"wrapped_func ({site}/streamlit/runtime/metrics_util.py:7);MarkdownMixin.markdown "
        f"({site}/streamlit/elements/markdown.py:3);encode (/usr/lib/python3.11/json/encoder.py:1) 3"),
        # the launcher's event loop is not the page's code
        f"main ({repo}/ui/serve.py:1);run ({site}/uvicorn/server.py:1) 1",
    ])
    summary = profiles.summarise(raw, views=2, cpu_s=0.2)
    assert summary["samples"] == 10 and summary["cpu_ms_per_view"] == 100
    assert summary["parts"] == {"page code": 0.6, "st.* elements": 0.3, "uvicorn, starlette": 0.1}
    assert dict(summary["own_code"]) == {"pages/overzicht.py:card": 0.9}
    assert dict(summary["st_commands"]) == {"st.markdown": 0.3}
    lines = profiles.render_profile("production + nginx", {"overzicht": summary})
    assert any(line.startswith("| overzicht | 100 |") for line in lines)


def test_browser_cpu_counts_processes_alive_at_the_second_reading():
    before = {1: 1.0, 2: 5.0}  # 2 ended in between; 3 started in between
    after = {1: 1.5, 3: 0.25}
    assert pageviews.cpu_since(before, after) == 0.75


def test_descendants_finds_a_grandchild():
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", ("import subprocess, sys, time; "
                              "p = subprocess.Popen(['sleep', '5']); time.sleep(5)")])
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            # the child's tree first: a grandchild it shows is there when the whole tree is read
            grandchildren = pageviews.descendants(child.pid)  # the sleep, and only ours
            found = pageviews.descendants(os.getpid())
            if child.pid in found and grandchildren and set(grandchildren) <= set(found):
                break
            time.sleep(0.05)
        assert child.pid in found and grandchildren and set(grandchildren) <= set(found), found
        # python and sleep are not Chromium (a browser another test left running may be)
        assert not set(pageviews.browser_cpu()) & ({child.pid} | set(grandchildren))
    finally:
        child.kill()
        child.wait()


def test_the_report_has_chromiums_share_when_measured():
    every = {label: 50 for label, _path in pageviews.PAGES}
    run = _result("production", 20, every)
    run["summary"] |= {"browser_empty_ms": 1200, "browser_median_ms": 2900, "browser_slowest_ms": 3400}
    text = pageviews.render_markdown({"started": "x", "machine": "2 cores", "rounds": 5, "profiles": [run]})
    assert "| production | 1.200 | 2.900 | 3.400 |" in text
    assert "Chromium's own CPU" not in pageviews.render_markdown(
        {"started": "x", "machine": "2 cores", "rounds": 5, "profiles": [_result("main", 20, every)]})


def test_the_load_floor_report_has_the_empty_page_first_in_dutch_numbers():
    from bench import loadfloor

    target = {"views": 186, "errors": 0, "median_s": 3.615, "p95_s": 20.7, "max_s": 21.6, "wall_s": 63.2,
              "machine_cpu_s": 125.4, "server_cpu_s": 1.7, "chromium_cpu_s": 45.0,
              "chromium_cpu_per_view_s": 0.242, "server_cpu_per_view_s": 0.0091}
    text = loadfloor.render({"started": "2026-12-06 05:56 UTC", "machine": "2 cores", "sessions": 20,
                             "seconds": 60.0, "targets": {pageviews.EMPTY: target, "over": target | {"views": 92}}})
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[1] == ("| **Streamlit's empty page** | 186 | 3,6 s | 20,7 s | 21,6 s | 0 | 0,24 s | 9 ms | "
                       "125 s / 63 s |")
    assert rows[2].startswith("| over | 92 |") and "20 Chromium contexts" in text
