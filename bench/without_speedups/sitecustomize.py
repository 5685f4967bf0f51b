"""For ``bench.pageviews``' "main" configuration only (on PYTHONPATH of that server): make
uvloop and httptools unimportable, as they were before requirements.txt pinned them, so the before
column measures the server as it was served then."""

import sys

BLOCKED = ("uvloop", "httptools")


class _Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named '{name}' (bench: without_speedups)", name=name)
        return None


sys.meta_path.insert(0, _Blocked())
