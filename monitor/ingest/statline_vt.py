"""The StatLine web export ("Downloaden → CSV" on opendata.cbs.nl/statline) of a declared table
with a ``category`` dimension (84851NED, 84849NED), read by the same code as its TypedDataSet.

StatLine writes titles where the open-data files have keys (``monitor/ingest/statline.py``):
``;``, UTF-8 with BOM, every field quoted, the region and period *titles* (``Almelo``,
``2024 1e halfjaar``), the member titles of the category dimension, and one column per measure
named by its title path with CBS's unit in parentheses: ``Gestarte adviezen (aantal)``,
``Relatief/Gestarte adviezen (per 100 000 inwoners)``; a decimal comma; ``.`` or an empty cell
where CBS publishes no figure.

Everything is resolved through the declaration (``sources/cbs/<table>.toml``), no code per file:

- the table: the table id in the file name, or a column titled as a declared category dimension
  (its ``title``, name or label);
- the dimension column: the one with that title; else the only leading column (before the first
  column with a unit) that is not ``Perioden`` or ``Regio's``; its cells are member titles;
- every measure column: the declared measure whose CBS title (the ``Title`` in a
  ``<stem>.DataProperties.csv``/``.json`` beside the file, else the declared ``title``) is the
  column's last part and whose
  ``unit`` is the unit in parentheses: so the count and its rate per 100 000 inwoners, which
  share a title, are told apart by their unit. A column whose title matches ``ignore`` is skipped;
  any other column is refused, saying what to declare where.

The cells become the TypedDataSet's rows (key header, numbers with a decimal point) and
``monitor/ingest/veilig_thuis.py`` reads them; its errors name the StatLine column titles.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from monitor.data.errors import IngestError
from monitor.ingest import cbsjson, cbsmap, veilig_thuis
from monitor.ingest.base import Batch, Context
from monitor.ingest.common import NumberTooLarge, parse_number, shorten, table_id_from_name
from monitor.ingest.csvrows import LINE

PERIOD_COLUMN, REGION_COLUMN = "Perioden", "Regio's"
_UNIT = re.compile(r"^(?P<name>.*?)\s*\((?P<unit>[^()]*)\)\s*$")


def _fold(text: str) -> str:
    return " ".join(str(text).replace("…", "...").split()).casefold()


def _title_fits(declared: str, title: str) -> bool:
    declared, title = _fold(declared), _fold(title)
    return title.startswith(declared[:-3].rstrip()) if declared.endswith("...") else title == declared


def split_column(column: str) -> tuple[str, str | None]:
    """'Relatief/Gestarte adviezen (per 100 000 inwoners)' → ('Gestarte adviezen', 'per 100 000 inwoners')."""
    last = column.split("/")[-1].strip()
    match = _UNIT.match(last)
    return (match["name"].strip(), match["unit"].strip()) if match else (last, None)


def fitting_measures(mapping: cbsmap.TableMapping, titles: dict[str, str], title: str, unit: str | None) -> list[str]:
    """The declared measure keys whose CBS title (``titles``: key → title) is ``title`` and whose
    declared unit is ``unit``: a count and its rate share a title, their unit tells them apart."""
    return [key for key, measure in mapping.measures.items()
            if key in titles and _title_fits(titles[key], title)
            and unit is not None and cbsmap.unit_of(unit) == measure.unit]


def ignored_title(mapping: cbsmap.TableMapping, title: str) -> bool:
    """An ``ignore`` entry with a space is a CBS title (``Casussen met ontvangen melding…``)."""
    return any(" " in entry and _title_fits(entry, title) for entry in mapping.ignore)


def declared_titles(path: Path, mapping: cbsmap.TableMapping) -> dict[str, str]:
    """Measure key → CBS title: CBS's own (a DataProperties with ``Title`` beside ``path``), else
    the declaration's ``title``."""
    titles: dict[str, str] = {}
    meta = cbsjson.beside(path, "DataProperties")
    if meta is not None:
        header, rows = cbsjson.read_metadata(meta)
        if "Key" in header and "Title" in header:
            key_at, title_at = header.index("Key"), header.index("Title")
            for row in rows.itertuples(index=False, name=None):
                key, title = str(row[key_at]).strip(), str(row[title_at]).strip()
                if key in mapping.measures and title:
                    titles[key] = title
    for key, measure in mapping.measures.items():
        if measure.title:
            titles.setdefault(key, measure.title)
    return titles


def _dimension_names(dim: cbsmap.Dimension) -> set[str]:
    return {_fold(n) for n in (dim.title, dim.name, dim.label) if n}


def table_for(path: Path, header: list[str]) -> veilig_thuis.TableMap | None:
    """The declared category table a StatLine export belongs to, or None (another StatLine table)."""
    try:
        tables = veilig_thuis.tables()
    except IngestError:
        return None
    named = tables.get(table_id_from_name(path) or "")
    if named is not None:
        return named
    folded = {_fold(c) for c in header}
    return next((t for t in tables.values() if _dimension_names(t.dim) & folded), None)


class _Export:
    def __init__(self, path: Path, table: veilig_thuis.TableMap, frame: pd.DataFrame, row: str) -> None:
        self.path, self.table, self.frame, self.row = path, table, frame, row
        self.columns = [c for c in frame.columns if c != row]

    def fail(self, message: str, row: int | None = 1, column: str | None = None) -> IngestError:
        return IngestError(message, file=self.path, row=row, column=column)

    def dimension_column(self) -> str:
        names = _dimension_names(self.table.dim)
        found = [c for c in self.columns if _fold(c) in names]
        if found:
            return found[0]
        lead = []
        for column in self.columns:
            if split_column(column)[1] is not None:
                break
            if column not in (PERIOD_COLUMN, REGION_COLUMN):
                lead.append(column)
        if len(lead) == 1:
            return lead[0]
        title = self.table.dim.title or self.table.dimension
        raise self.fail(f"de kolom met de onderdelen van {self.table.dimension} ('{title}') is niet te vinden"
                        + (f" (kandidaten: {', '.join(repr(c) for c in lead)})" if lead else "")
                        + f"; geef de dimensie in {self.table.file_name} de titel die StatLine als kolomnaam "
                        "schrijft (title onder [dimensions." + self.table.dimension + "])", column=title)

    def _titles(self) -> dict[str, str]:
        return declared_titles(self.path, self.table.mapping)

    def measures(self, skip: set[str]) -> tuple[dict[str, str], list[str]]:
        """StatLine column → declared measure key, and the columns skipped (``ignore``)."""
        mapping = self.table.mapping
        titles = self._titles()
        found: dict[str, str] = {}
        ignored: list[str] = []
        for column in self.columns:
            if column in skip:
                continue
            title, unit = split_column(column)
            fits = fitting_measures(mapping, titles, title, unit)
            if len(fits) == 1:
                if fits[0] in found.values():
                    other = next(c for c, k in found.items() if k == fits[0])
                    raise self.fail(f"de kolommen '{other}' en '{column}' zijn allebei '{fits[0]}' in "
                                    f"{mapping.file_name}", column=column)
                found[column] = fits[0]
                continue
            if len(fits) > 1:
                raise self.fail(f"de kolom past bij meer dan één meetwaarde van {mapping.file_name} "
                                f"({', '.join(fits)}): geef ze een eigen title en unit", column=column)
            if ignored_title(mapping, title):
                ignored.append(column)
                continue
            hint = f"title = \"{title}\"" + (f", unit = \"{unit}\"" if unit else "")
            raise self.fail(f"de kolom '{shorten(column, 80)}' past bij geen meetwaarde van {mapping.file_name} "
                            f"(gezocht op CBS-titel en eenheid). Hoort hij erbij, geef de meetwaarde daar {hint}; "
                            "anders: zet de titel bij ignore", column=column)
        if not found:
            raise self.fail("het bestand heeft geen kolommen met cijfers van deze tabel")
        return found, ignored

    def rows(self, dimension: str, measures: dict[str, str]) -> tuple[list[str], pd.DataFrame]:
        """The TypedDataSet's header and text cells (decimal point), with the file's line numbers."""
        frame = self.frame
        cells = {0: [str(i) for i in range(len(frame))], 1: list(frame[dimension]),
                 2: list(frame[REGION_COLUMN]), 3: list(frame[PERIOD_COLUMN])}
        for position, column in enumerate(measures, start=4):
            numbers: dict[str, str] = {}
            for raw, line in zip(frame[column], frame[self.row]):
                if raw not in numbers:
                    numbers[raw] = self._number(raw, int(line), column)
            cells[position] = [numbers[raw] for raw in frame[column]]
        rows = pd.DataFrame(cells, dtype=object)
        rows[LINE] = list(frame[self.row])
        return ["ID", self.table.dimension, "RegioS", "Perioden", *measures.values()], rows

    def _number(self, raw: str, line: int, column: str) -> str:
        try:
            number = parse_number(raw, decimal=",")
        except NumberTooLarge as exc:
            raise self.fail(str(exc), row=line, column=column) from None
        except ValueError:
            raise self.fail(f"'{shorten(raw)}' is geen getal (StatLine schrijft een decimale komma, en '.' voor "
                            "niet gepubliceerd)", row=line, column=column) from None
        if number is None:
            return ""
        return str(int(number)) if number.is_integer() else repr(number)


def parse(path: Path, ctx: Context, table: veilig_thuis.TableMap, frame: pd.DataFrame, row: str) -> tuple[Batch, dict]:
    """The batch of a StatLine export of ``table`` (``frame``: its cells, ``row``: the line column)
    and the renaming of keys to the file's column titles, for error messages."""
    export = _Export(path, table, frame, row)
    for required in (PERIOD_COLUMN, REGION_COLUMN):
        if required not in export.columns:
            raise export.fail(f"verplichte kolom '{required}' ontbreekt", column=required)
    dimension = export.dimension_column()
    measures, ignored = export.measures({PERIOD_COLUMN, REGION_COLUMN, dimension})
    header, rows = export.rows(dimension, measures)
    names = {key: column for column, key in measures.items()}
    names.update({"RegioS": REGION_COLUMN, "Perioden": PERIOD_COLUMN, table.dimension: dimension})
    try:
        batch = veilig_thuis._Parser(path, ctx, veilig_thuis.tables(), table=(header, rows)).run()
    except IngestError as exc:
        raise cbsjson.relabel(exc, path, names) from None
    if ignored:
        batch.notes.append(f"Kolom(men) overgeslagen (zo gedeclareerd bij ignore in {table.file_name}): "
                           f"{', '.join(ignored)}.")
    return batch, names
