"""Copy a local dataset folder to object storage: ``python -m monitor.data.upload datasets/ [s3://…]``.

Above both the store and the event reader (it reads the folder's tables and its recorded
events), so neither of them needs the other's module to upload.
"""

from __future__ import annotations

from monitor.data import store
from monitor.data.contract import EVENT_TABLES, TABLES
from monitor.data.event_reader import event_files
from monitor.data.objectstore import DATA_URL_ENV, PreconditionFailed, configured_url, open_store


def upload(folder: str, url: str | None = None) -> str:
    """Copy a local dataset folder's tables to the bucket as one new generation (recorded
    event files too, each as its own object). Returns the generation's name."""
    target = url or configured_url()
    if not target:
        raise SystemExit(f"Geef een s3://-adres of zet {DATA_URL_ENV}.")
    store.write_tables({name: store.read_table(name, folder) for name in TABLES}, target)
    bucket = open_store(target)
    for table in EVENT_TABLES:
        for path in event_files(table, folder):
            try:
                bucket.put_event(table, path.stem, path.read_bytes())
            except PreconditionFailed:
                pass  # uploaded before: an event object never changes
    return bucket.pointer().generation


if __name__ == "__main__":  # python -m monitor.data.upload datasets/ [s3://bucket/prefix]
    import sys

    if len(sys.argv) < 2:
        raise SystemExit("gebruik: python -m monitor.data.upload <map> [s3://bucket/prefix]")
    print(upload(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
