"""CPU per page view through AppTest: ``python -m bench.reruns``.

Per page of ``bench.run.APPTEST_PAGES``, in one process on the committed datasets (or
``MONITOR_DATASETS``): the first view in a new session (``bench.run.open_page``) and the median of
``--reruns`` reruns of the same session, both as CPU of the process (``time.process_time``),
in ms. Prints one JSON object. Run two trees in turn (A B A B) to compare a change: the numbers
of one run are only comparable with another run on the same machine at the same time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time


def measure(reruns: int, without_snapshot: bool = False,
            pages: list[str] | None = None) -> dict[str, dict[str, float]]:
    from bench.run import page_times

    if without_snapshot:  # what one state per page run saves: every look-up reads the folder again
        import contextlib

        from monitor.data import snapshot

        snapshot.pinned = contextlib.nullcontext
    return {label: {"first_ms": round(first * 1000, 1), "rerun_ms": round(statistics.median(times) * 1000, 1)}
            for label, (first, times) in page_times(reruns, time.process_time, pages).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CPU per paginaweergave (AppTest): eerste weergave en herhalingen.")
    parser.add_argument("--reruns", type=int, default=5, help="herhalingen per pagina (standaard 5)")
    parser.add_argument("--without-snapshot", action="store_true",
                        help="zonder één stand van de datasets per run (monitor/data/snapshot.py)")
    parser.add_argument("--pages", nargs="*", help="alleen deze pagina's (labels van bench.run.APPTEST_PAGES)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.reruns, args.without_snapshot, args.pages)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
