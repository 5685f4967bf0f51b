"""The CPU time a server process uses, read to the microsecond (for the page-view benchmark, ``bench.pageviews``).

``/proc/<pid>/stat`` counts CPU time in clock ticks of 10 ms. Behind nginx an empty Streamlit
page costs its server one or two ticks per page view, so a ratio to it read from ticks is mostly
rounding. Where the machine allows it (root, and a cgroup file system the process may write:
cgroup v2's ``cpu.stat`` or cgroup v1's ``cpuacct``), the process is moved into a cgroup of its
own and its CPU time read from the cgroup: in microseconds (v2) or nanoseconds (v1), every
thread included, also the threads that ended (Streamlit starts one per script run). Elsewhere
the clock falls back to the ticks, and says so (``kind``).

Bench-only: nothing of the monitor uses it.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` and all its threads, live and finished, in
    clock ticks (``/proc/<pid>/stat``)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def _mounts() -> list[tuple[str, str, set[str]]]:
    """(mount point, file system type, options) of the cgroup file systems."""
    found = []
    try:
        lines = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        parts = line.split()
        if len(parts) >= 4 and parts[2] in ("cgroup", "cgroup2"):
            found.append((parts[1], parts[2], set(parts[3].split(","))))
    return found


def _candidates() -> list[tuple[Path, str]]:
    """Where a cgroup with a CPU counter can be made, best first: (folder, counter file)."""
    out = []
    for point, kind, options in _mounts():
        if kind == "cgroup2":
            out.append((Path(point), "cpu.stat"))
    for point, kind, options in _mounts():
        if kind == "cgroup" and "cpuacct" in options:
            out.append((Path(point), "cpuacct.usage"))
    return out


class CpuClock:
    """CPU seconds of process ``pid`` (and of the processes it starts after this) since it started.

    Call :meth:`close` when the process has ended (removes the cgroup)."""

    def __init__(self, pid: int, *, precise: bool = True):
        self.pid = pid
        self.group: Path | None = None
        self.counter = ""
        self.kind = "ticks"
        self.offset = 0.0
        if precise:
            for root, counter in _candidates():
                if self._enter(root, counter):
                    break

    def _enter(self, root: Path, counter: str) -> bool:
        group = root / f"tkm-bench-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            before = proc_seconds(self.pid)
            group.mkdir()
            (group / "cgroup.procs").write_text(str(self.pid))
            if not (group / counter).exists():
                raise OSError("no counter")
        except OSError:
            try:
                group.rmdir()
            except OSError:
                pass
            return False
        self.group, self.counter = group, counter
        self.kind = "cgroup v2 (µs)" if counter == "cpu.stat" else "cgroup v1 cpuacct (ns)"
        self.offset = before  # what the process used before it was moved (read in ticks)
        return True

    def _group_seconds(self) -> float:
        text = (self.group / self.counter).read_text()
        if self.counter == "cpu.stat":
            for line in text.splitlines():
                name, _sep, value = line.partition(" ")
                if name == "usage_usec":
                    return int(value) / 1e6
            raise OSError("cpu.stat zonder usage_usec")
        return int(text.strip()) / 1e9

    def seconds(self) -> float:
        if self.group is None:
            return proc_seconds(self.pid)
        return self.offset + self._group_seconds()

    def close(self) -> None:
        """Remove the cgroup (its processes must have ended or moved)."""
        if self.group is None:
            return
        try:
            parent = self.group.parent / "cgroup.procs"
            for pid in (self.group / "cgroup.procs").read_text().split():
                try:
                    parent.write_text(pid)
                except OSError:
                    pass
            self.group.rmdir()
        except OSError:
            pass
        self.group = None
