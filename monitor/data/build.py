"""``python -m monitor build``: rebuild every embedded dataset from its sources.

Order: the regions table (from monitor.domain.regions), then every file of ``sources/bronnen.toml``
through the importer (the project register from this repo, the real CBS files from
``../shared/data``), then the voorbeelddata and the source row for what users record. The build runs in a
hidden scratch folder ``datasets/.build-…`` and publishes the datasets as one new generation
(``monitor.data.store``) only when it has completed, so a failed build changes nothing, and a killed
one leaves nothing behind after the next start. The result is
deterministic: ``make test`` rebuilds into a temporary folder and compares with the
committed datasets.
"""

from __future__ import annotations

import shutil
import sys
import uuid
from pathlib import Path

import pandas as pd
import tomllib

from monitor import settings
from monitor.data import events, store
from monitor.ingest import regionkind, voorbeelddata
from monitor.data.contract import TABLES
from monitor.data.errors import MonitorError
from monitor.ingest import ingest_file, sha256
from monitor.domain.regions import REGION_ROWS

MANIFEST = store.REPO_ROOT / "sources" / "bronnen.toml"


def default_shared() -> Path:
    return Path(settings.raw("MONITOR_SHARED") or store.REPO_ROOT.parent / "shared")


def datasets_present(directory: Path) -> bool:
    return all((directory / f"{name}.parquet").exists() for name in TABLES)


def regions_frame() -> pd.DataFrame:
    return pd.DataFrame(REGION_ROWS, columns=["region_code", "name", "level", "parent_code"])


def build_into(directory: Path, shared: Path, log=print) -> None:
    """Build all datasets into an empty folder."""
    with open(MANIFEST, "rb") as handle:
        manifest = tomllib.load(handle)
    store.write_tables({"regions": store.to_table("regions", regions_frame())}, directory)
    for entry in manifest["file"]:
        path = store.REPO_ROOT / entry["path"] if entry.get("in_repo") else shared / entry["path"]
        if not path.exists():
            raise MonitorError(f"Bronbestand ontbreekt: {path}. Staat ../shared naast de checkout?")
        expected = entry.get("sha256")
        if expected and sha256(path) != expected:
            raise MonitorError(f"Bronbestand {path.name} is gewijzigd (checksum klopt niet met "
                               "sources/bronnen.toml). Controleer de nieuwe versie en werk de checksum bij.")
        report = ingest_file(path, directory, retrieved=entry["retrieved"])
        log(report.summary())
    _add_sample_data(directory)
    log("Voorbeelddata toegevoegd (is_sample = true).")


def _add_sample_data(directory: Path) -> None:
    population = store.read_frame("population", directory)
    observations = store.read_frame("observations", directory)
    kpis = store.read_frame("project_kpis", directory)
    tables = {}
    sample_obs = voorbeelddata.sample_observations(population, observations)
    level_of = regionkind.levels(store.read_frame("regions", directory))
    if not sample_obs.empty:
        sample_obs = regionkind.fill(sample_obs, level_of)
    if not sample_obs.empty:
        tables["observations"] = store.merge("observations", store.read_table("observations", directory),
                                             store.to_table("observations", sample_obs))
    sample_kpi = voorbeelddata.sample_kpi_realisations(kpis)
    tables["kpi_realisations"] = store.merge(
        "kpi_realisations", store.read_table("kpi_realisations", directory),
        store.to_table("kpi_realisations", sample_kpi) if not sample_kpi.empty
        else store.empty_table("kpi_realisations"))
    source_rows = [voorbeelddata.sample_source(sample_obs, sample_kpi), events.registration_source()]
    vt = store.read_frame("vt_reports", directory)
    if not (~vt["is_sample"]).any():  # real Veilig Thuis figures replace the voorbeelddata
        sample_vt = voorbeelddata.sample_vt_reports(population, store.read_frame("regions", directory))
        if not sample_vt.empty:
            sample_vt = regionkind.fill(sample_vt, level_of)
            tables["vt_reports"] = store.merge("vt_reports", store.read_table("vt_reports", directory),
                                               store.to_table("vt_reports", sample_vt))
            source_rows.append(voorbeelddata.sample_vt_source())
    extra_sources = pd.DataFrame(source_rows)
    tables["sources"] = store.merge("sources", store.read_table("sources", directory),
                                    store.to_table("sources", extra_sources))
    store.write_tables(tables, directory)


def build(dataset_dir: Path | None = None, shared: Path | None = None, if_missing: bool = False,
          log=print, flat: bool = False) -> int:
    """Build every dataset from ``shared`` and ``sources/``. Published as one new generation
    (``store.write_tables``); ``flat``: as plain top-level files, the layout committed to git
    (``store.write_flat``; never on a folder a server is reading)."""
    target = store.dataset_dir(dataset_dir)
    if if_missing and datasets_present(target):
        log(f"Datasets staan al in {target}; niets gebouwd (gebruik 'python -m monitor build' om te herbouwen).")
        return 0
    shared = shared or default_shared()
    if not (shared / "data").is_dir():
        print(f"De map met echte bronbestanden ontbreekt ({shared}). Zet ../shared naast de checkout "
              "of geef --shared op.", file=sys.stderr)
        return 2
    # The scratch folder is a hidden folder in the dataset folder, locked while the build runs:
    # a build killed halfway leaves it unlocked, and the next start or write removes it
    # (store.recover). The datasets change only in the last step, as one new generation.
    target.mkdir(parents=True, exist_ok=True)
    scratch = target / f"{store.BUILD_PREFIX}{uuid.uuid4().hex}"
    scratch.mkdir()
    try:
        with store.folder_lock(scratch, "de build"):
            build_into(scratch, shared, log=log)
            tables = {name: store.read_table(name, scratch) for name in TABLES}
            (store.write_flat if flat else store.write_tables)(tables, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    log(f"Alle datasets gebouwd in {target}.")
    return 0
