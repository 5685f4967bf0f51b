"""What the CBS reader (``monitor/ingest/cbstable.py``) makes of the long form, per target of
the declaration: ``observations`` (indicators, with margins and subgroups, and Twente from the
gemeenten where the declaration says how) and ``vt_reports`` (Veilig Thuis counts and rates per
1.000 inwoners), with the notes the import reports."""

from __future__ import annotations

import pandas as pd

from monitor.data.catalogue import load_catalogue
from monitor.data.contract import SCHEMAS
from monitor.domain import regions as regions_mod
from monitor.ingest.base import COLUMN, ROW
from monitor.domain.periods import period_end
from monitor.ingest.csvrows import LINE

PERIOD = "Perioden"


def published_decimals(values: pd.Series, most: int = 1) -> int:
    """The fewest decimals (at most ``most``) that write every published value exactly: 0 for
    CBS's whole-number rates per 1.000.

    >>> published_decimals(pd.Series([56.0, 78.0])), published_decimals(pd.Series([56.0, 4.3]))
    (0, 1)
    """
    for decimals in range(most + 1):
        if all(abs(round(float(v), decimals) - float(v)) < 1e-9 for v in values):
            return decimals
    return most


class Targets:
    """Mixin of the reader: needs ``fail``, ``_long``, ``mapping``, ``table_id``, ``notes``,
    ``empty_cells`` and ``skipped_regions``."""

    # --- targets ----------------------------------------------------------------------------

    def _observations(self, rows: pd.DataFrame, dims, measures) -> tuple[dict, str]:
        catalogue = load_catalogue()
        for column, measure in measures.items():
            if measure.indicator not in catalogue.indicators:
                raise self.fail(f"meetwaarde '{column}' verwijst in {self.mapping.file_name} naar onbekende indicator "
                                f"'{measure.indicator}'; voeg die toe aan sources/indicatoren.toml", row=1, column=column)
        long = self._long(rows, measures)
        long["_scale"] = long[COLUMN].map({c: m.scale for c, m in measures.items()})
        long["_number"] = long["_number"] * long["_scale"]
        long["indicator_id"] = long[COLUMN].map({c: m.indicator for c, m in measures.items()})
        subgroup = next((f"_dim:{n}" for n, d in dims.items() if d is not None and d.role == "subgroup"), None)
        margin = next((f"_dim:{n}" for n, d in dims.items() if d is not None and d.role == "margin"), None)
        long["subgroup"] = long[subgroup] if subgroup else "totaal"
        long["_margin"] = long[margin] if margin else "value"
        keys = ["indicator_id", "_region", "_period", "subgroup"]
        wide = long.pivot_table(index=keys, columns="_margin", values="_number", aggfunc="first", dropna=False)
        wide = wide.reindex(columns=["value", "ci_low", "ci_high"])
        first = long.sort_values(LINE).drop_duplicates(keys)
        value_rows = long[long["_margin"] == "value"].drop_duplicates(keys).set_index(keys)
        where = first.set_index(keys)
        wide[ROW] = value_rows[LINE].reindex(wide.index).fillna(where[LINE].reindex(wide.index))
        wide[COLUMN] = where[COLUMN].reindex(wide.index)
        wide["status"] = where["_status"].reindex(wide.index)
        wide = wide.reset_index()
        # Cells that exist in no row (a margin the file lacks) are not "not published".
        present = long.groupby(keys).size().reindex(pd.MultiIndex.from_frame(wide[keys])).notna().to_numpy()
        wide = wide[present]
        dropped = int(wide["value"].isna().sum())
        bounds_missing = int((wide["value"].notna() & (wide["ci_low"].isna() | wide["ci_high"].isna())).sum()) \
            if margin else 0
        obs = wide[wide["value"].notna()].copy()
        obs = self._twente(obs, measures)
        frame = pd.DataFrame({
            "indicator_id": obs["indicator_id"], "region_code": obs["_region"], "period": obs["_period"],
            "subgroup": obs["subgroup"], "value": obs["value"].astype("float64"),
            "ci_low": obs["ci_low"].astype("float64"), "ci_high": obs["ci_high"].astype("float64"),
            "status": obs["status"], "is_sample": False, "source_id": None,
            ROW: obs[ROW].astype("Int64"), COLUMN: obs[COLUMN],
        }).sort_values(["indicator_id", "region_code", "period", "subgroup"]).reset_index(drop=True)
        used = sorted(set(frame["indicator_id"]))
        indicators = pd.DataFrame([catalogue.indicators[i].row() for i in used], columns=list(SCHEMAS["indicators"].names))
        self._notes_observations(frame, dropped, bounds_missing)
        latest = max(frame["period"], key=period_end) if not frame.empty else max(rows["_period"], key=period_end)
        return {"observations": frame, "indicators": indicators}, latest

    def _twente(self, obs: pd.DataFrame, measures) -> pd.DataFrame:
        """Twente from the 14 gemeenten where the declaration says how (additive counts summed; a rate
        weighted by its count), for the periods in which all 14 have a figure."""
        derived = []
        by_indicator = {m.indicator: m for m in measures.values()}
        for indicator_id, measure in by_indicator.items():
            if measure.twente is None:
                continue
            mine = obs[obs["indicator_id"] == indicator_id]
            if (mine["_region"] == regions_mod.TWENTE).any():
                continue
            gemeenten = mine[mine["_region"].isin(regions_mod.GEMEENTE_CODES)]
            weight = None
            if measure.twente == "gewogen":
                weight_ind = self.mapping.measures[measure.weight].indicator
                weight = obs[obs["indicator_id"] == weight_ind].set_index(["_region", "_period", "subgroup"])["value"]
            for (period, subgroup), part in gemeenten.groupby(["_period", "subgroup"]):
                if set(part["_region"]) != set(regions_mod.GEMEENTE_CODES):
                    continue
                if measure.twente == "som":
                    value = float(part["value"].sum())
                else:
                    counts = [weight.get((r, period, subgroup)) for r in part["_region"]]
                    if any(c is None or pd.isna(c) for c in counts) or (part["value"] <= 0).any():
                        continue
                    # inhabitants back-calculated from rounded rates carry no more precision than
                    # the rates: the result gets the decimals of the gemeenten's published rates
                    inhabitants = sum(c / v for c, v in zip(counts, part["value"]))
                    value = round(sum(counts) / inhabitants, published_decimals(part["value"]))
                derived.append({"indicator_id": indicator_id, "_region": regions_mod.TWENTE, "_period": period,
                                "subgroup": subgroup, "value": value, "ci_low": None, "ci_high": None,
                                ROW: None, COLUMN: None,
                                "status": "voorlopig" if (part["status"] == "voorlopig").any() else "definitief"})
            method = ("de som van de 14 gemeenten" if measure.twente == "som" else
                      f"berekend uit de 14 gemeenten, gewogen naar hun aantal ({self.mapping.measures[measure.weight].indicator}), "
                      "met niet meer decimalen dan de gepubliceerde cijfers per gemeente")
            self.notes.append(f"Twente voor {indicator_id}: CBS publiceert geen Twents cijfer; {method}, alleen voor "
                              "perioden waarin alle 14 een cijfer hebben.")
        if not derived:
            return obs
        return pd.concat([obs, pd.DataFrame(derived)], ignore_index=True)

    def _notes_observations(self, frame: pd.DataFrame, dropped: int, bounds_missing: int) -> None:
        notes = [f"CBS-tabel {self.table_id or 'onbekend (geen tabelnummer in de bestandsnaam)'}: {len(frame)} "
                 f"waarnemingen, {frame['indicator_id'].nunique()} indicator(en), perioden "
                 f"{', '.join(sorted(set(frame['period']), key=period_end))}."]
        subgroups = sorted(set(frame["subgroup"]))
        if subgroups != ["totaal"]:
            notes.append(f"Subgroepen: {', '.join(subgroups)}.")
        if self.empty_cells:
            notes.append(f"{self.empty_cells} lege cel(len): niet gepubliceerd door CBS, overgenomen als ontbrekend "
                         "(niet als 0).")
        if dropped:
            notes.append(f"{dropped} cijfers zijn niet gepubliceerd (lege cel) en blijven ontbreken: {dropped} "
                         "waarneming(en) zonder waarde weggelaten.")
        if bounds_missing:
            notes.append(f"{bounds_missing} waarneming(en) zonder (volledig) betrouwbaarheidsinterval.")
        self._region_notes(notes, frame["region_code"])
        self.notes[:0] = notes

    def _region_notes(self, notes: list[str], found: pd.Series) -> None:
        if self.skipped_regions:
            names = sorted(self.skipped_regions)
            notes.append(f"{len(names)} regio's overgeslagen die niet in de monitor staan ({', '.join(names[:5])}"
                         f"{', …' if len(names) > 5 else ''}).")
        absent = sorted(set(regions_mod.GEMEENTE_CODES) - set(found))
        if absent and len(absent) < len(regions_mod.GEMEENTE_CODES):
            notes.append(f"Let op: geen cijfers voor {', '.join(regions_mod.region_name(c) for c in absent)}.")

    def _vt_reports(self, rows: pd.DataFrame, dims, measures) -> tuple[dict, str]:
        long = self._long(rows, measures)
        half = long["_period"].str.fullmatch(r"\d{4}H[12]")
        years = long.loc[long["_period"].str.fullmatch(r"\d{4}"), "_period"]
        other = long[~half & ~long["_period"].str.fullmatch(r"\d{4}")]
        if not other.empty:
            first = other.iloc[0]
            raise self.fail(f"periode '{first['_period']}' is geen halfjaar: Veilig Thuis-cijfers worden per halfjaar "
                            "opgeslagen", row=int(first[LINE]), column=PERIOD)
        if not years.empty:
            self.notes.append(f"{years.nunique()} jaartotaal/jaartotalen ({', '.join(sorted(set(years)))}) niet "
                              "opgeslagen: de halfjaren staan erin, en een jaartotaal naast halfjaren kan de bescherming "
                              "van ruwe aantallen ongedaan maken.")
        long = long[half]
        spec = {c: m for c, m in measures.items()}
        long["kind"] = long[COLUMN].map({c: m.kind for c, m in spec.items()})
        long["breakdown"] = long[COLUMN].map({c: m.breakdown for c, m in spec.items()})
        long["category"] = long[COLUMN].map({c: m.category for c, m in spec.items()})
        long["_role"] = long[COLUMN].map({c: m.role for c, m in spec.items()})
        long["_number"] = long["_number"] * long[COLUMN].map({c: m.scale for c, m in spec.items()})
        counts = long[long["_role"] == "count"]
        whole = counts["_number"].isna() | ((counts["_number"] >= 0) & (counts["_number"] == counts["_number"].round()))
        if not whole.all():
            first = counts[~whole].iloc[0]
            raise self.fail(f"'{first['_raw'].strip()}' is geen geheel aantal ≥ 0", row=int(first[LINE]), column=first[COLUMN])
        keys = ["_region", "_period", "kind", "breakdown", "category"]
        count = counts.set_index(keys)
        rates = long[long["_role"] == "per_1000"].set_index(keys)["_number"]
        frame = pd.DataFrame({
            "region_code": count.index.get_level_values("_region"),
            "period": count.index.get_level_values("_period"),
            "kind": count.index.get_level_values("kind"),
            "breakdown": count.index.get_level_values("breakdown"),
            "category": count.index.get_level_values("category"),
            "count": pd.array([None if pd.isna(v) else int(v) for v in count["_number"]], dtype="Int64"),
            "per_1000": rates.reindex(count.index).to_numpy(dtype="float64"),
            "protected_by": self.mapping.protected_by,
            "is_sample": False, "source_id": None,
            ROW: count[LINE].to_numpy(), COLUMN: count[COLUMN].to_numpy(),
        })
        frame["count"] = frame["count"].astype(object).where(frame["count"].notna(), None)
        hidden = int(frame["count"].isna().sum())
        periods = sorted(set(frame["period"]), key=period_end)
        notes = [f"CBS-tabel {self.table_id}: {len(frame)} Veilig Thuis-cellen, perioden {periods[0]} t/m {periods[-1]}."]
        if hidden:
            notes.append(f"{hidden} cel(len) leeg: door CBS afgeschermd of niet beschikbaar; zo overgenomen (niet als 0).")
        if self.mapping.protected_by:
            notes.append(f"Gepubliceerd door {self.mapping.protected_by}: aantallen al afgerond op 5 en kleine aantallen "
                         "afgeschermd; de monitor toont ze zoals gepubliceerd.")
        self._region_notes(notes, frame["region_code"])
        self.notes[:0] = notes
        return {"vt_reports": frame}, periods[-1]

