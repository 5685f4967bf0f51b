"""The BO presentation: a deck of slides per themalijn, or for the whole programme.

A pure model (no Streamlit): :func:`build_deck` reads the data through the named queries
and returns a :class:`Deck`; the Presentatie page shows it slide by slide, and
``monitor.export.slides_pptx`` / ``slides_pdf`` write the same slides as PowerPoint and PDF.
All figures, sentences and charts come from the modules the themalijn pages and the
Overzicht use (``monitor.domain.indicators``, ``compare``, ``targets``, ``projects``, ``charts``);
nothing here decides what a figure means.

Per themalijn, in order:

1. title slide (themalijn, Bestuurlijk Overleg, peildatum);
2. ambition and targets (the jaarplan's words; every headline indicator with its target and
   deadline, or "geen streefwaarde");
3. kerncijfers: up to four headline indicators, Twente's newest real figure with its status
   against the target (or against Nederland when there is no target);
4. one slide per headline indicator with a target: the figure against target and path;
5. Twente against Nederland over time (trend with 95% intervals and Realisatie periods);
6. the 14 gemeenten compared (ranked bars against Twente and Nederland);
7. projects per phase, with the projects behind schedule named;
8. local highlights: the jaarplan's local assignments for this themalijn's projects, by gemeente.

The whole programme: a title slide, each themalijn's slides, and a closing overview.
Every slide carries its source lines (source and peildatum) and the voorbeelddata mark
where it applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

import altair as alt
import pandas as pd

from monitor.charts import comparisons as comparison_charts, indicators as indicator_charts, projects as project_charts
from monitor.charts.peers import regions_strip_chart
from monitor.domain.ranking import kind_plural
from monitor.domain import compare
from monitor.data.catalogue import headline_indicators
from monitor.domain.indicator import Indicator
from monitor.domain.indicators import (NO_TARGET_TEXT, HeadlineStatus, for_group, gemeenten_comparison,
                                       headline_figure, headline_status, latest_period, pick, target_figure,
                                       trend_frame)
from monitor.domain.projects import (behind_items, phase_summary, plan_moments, realisation_bands, register_source_line,
                              status_summary)
from monitor.domain.regions import NEDERLAND, TWENTE, title_with_twente, twente_focus_name
from monitor.domain.quotes import Quote, quotes_of, reference_line
from monitor.domain.targets import Target, as_given, target_phrase
from monitor.domain.periods import period_label
from monitor.domain.text import SAMPLE_MARK, format_date, format_value, source_line, with_period
from monitor.views.inputs import ThemalijnenInputs, ThemalijnInfo, load_themalijnen
from monitor.views.veranderd import build_veranderd, changes_slide, load_veranderd
from monitor.views.vergelijken import RegionView, region_views

APP_TITLE = "Twentse Koers Monitor"
MEETING = "Bestuurlijk Overleg"
PROGRAMME_LABEL = "Hele programma"
MAX_HEADLINES = 4
# The age group of the slides: all adults, or the indicator's own group when it has no figures
# for all adults (eenzaamheid: 65+, as its name says).
GROUP = "totaal"
SAMPLE_NOTE = "de cijfers per gemeente zijn gegenereerd; alleen het Twentse cijfer is echt."
BANDS_NOTE = ("Grijs vlak: de periode waarin projecten van deze themalijn in Realisatie zijn. Dat is context, "
              "geen bewijs dat een project de indicator beïnvloedt.")

# Slide kinds, in the order they appear for one themalijn.
KINDS: tuple[str, ...] = ("titel", "ambitie", "kerncijfers", "doel", "trend", "gemeenten", "regios", "projecten",
                          "lokaal", "veranderd")


@dataclass(frozen=True)
class KeyFigure:
    """A large figure on a slide: 'Moeite met rondkomen' · '18,0%' · 'Twente, 2023 · op koers'."""

    label: str
    value: str
    note: str = ""


@dataclass
class Slide:
    kind: str
    title: str
    lead: str = ""
    bullets: list[str] = field(default_factory=list)
    heading: str = ""  # a heading above the bullets ("Achter op schema (5):"), not a bullet itself
    figures: list[KeyFigure] = field(default_factory=list)
    chart: alt.TopLevelMixin | None = None
    chart_text: str = ""  # the chart's text alternative (its duiding sentence)
    sources: list[str] = field(default_factory=list)  # source and peildatum, voorbeelddata mark
    is_sample: bool = False
    themalijn: str | None = None
    notes: str = ""  # speaker notes (PowerPoint)

    def texts(self) -> list[str]:
        """Every text on the slide, in reading order (tests, search, print)."""
        parts = [self.title, self.lead, self.heading, *self.bullets]
        for figure in self.figures:
            parts += [figure.label, figure.value, figure.note]
        return [p for p in parts if p]


@dataclass
class Deck:
    title: str
    themalijn: str | None
    peildatum: date
    slides: list[Slide]

    @property
    def is_sample(self) -> bool:
        return any(slide.is_sample for slide in self.slides)

    def footer(self, index: int) -> str:
        """The deck line of the footer on slide ``index`` (0-based)."""
        return (f"{APP_TITLE} · {self.title} · peildatum {format_date(self.peildatum)} · "
                f"dia {index + 1} van {len(self.slides)}")

    def file_name(self, extension: str) -> str:
        return file_name(self.themalijn, self.peildatum, extension)


def file_name(themalijn: str | None, peildatum: date, extension: str) -> str:
    """'bo-bestaanszekerheid-2026-11-01.pptx'; the whole programme: 'bo-twentse-koers-2026-11-01.pdf'."""
    return f"bo-{themalijn or 'twentse-koers'}-{peildatum.isoformat()}.{extension}"


# --- Loading --------------------------------------------------------------------------

def build_deck(themalijn: str | None, peildatum: date, dataset_dir: str | Path | None = None) -> Deck:
    """The deck for one themalijn (its id, e.g. ``"ouderen"``) or, with None, the whole programme;
    last, what changed since the previous BO date (``monitor.views.veranderd``)."""
    inputs = load_themalijnen(peildatum, dataset_dir)
    deck = deck_from_inputs(themalijn, peildatum, inputs)
    add_regions_slides(deck, inputs, dataset_dir)
    changes = build_veranderd(load_veranderd(peildatum, None, dataset_dir), themalijn)
    # Last for a themalijn; before the closing overview for the programme.
    deck.slides.insert(len(deck.slides) - (themalijn is None), Slide("veranderd", **changes_slide(changes)))
    return deck


def add_regions_slides(deck: Deck, inputs: ThemalijnenInputs, dataset_dir: str | Path | None = None) -> None:
    """After each themalijn's gemeenten slide, Twente among the regions for its headline indicators
    whose sources publish other regions of Twente's kind (none: no slide)."""
    for info in inputs.infos():
        found = region_views([h.indicator for h in _headlines(info, inputs)], dataset_dir)
        where = [i for i, s in enumerate(deck.slides) if s.kind == "gemeenten" and s.themalijn == info.themalijn]
        if found and where:
            slide = regions_slide(list(found.values()))
            slide.themalijn = info.themalijn
            deck.slides.insert(where[0] + 1, slide)


def regions_slide(views: list[RegionView]) -> Slide:
    """The rank statements of a themalijn's indicators among the regions, the first one's regions
    as a chart."""
    first = views[0]
    chart = regions_strip_chart(first.ranked, first.indicator, first.national, kind_plural(first.kind),
                                first.twente_name, description=first.sentence)
    sources = _unique(source_line(t, p, s) for view in views for t, p, s in view.sources)
    return Slide("regios", f"Twente tussen de regio's: {with_period(first.indicator.name, first.period)}",
                 bullets=[view.sentence for view in views], chart=slide_chart(chart), chart_text=first.sentence,
                 sources=sources)


def deck_from_inputs(themalijn: str | None, peildatum: date, inputs: ThemalijnenInputs) -> Deck:
    infos = {info.themalijn: info for info in inputs.infos()}
    if themalijn is None:
        slides = [_programme_title(inputs, peildatum)]
        for info in infos.values():
            slides += _themalijn_slides(info, inputs, peildatum)
        slides.append(_programme_overview(inputs, peildatum))
        return Deck(f"{MEETING} Twentse Koers – hele programma", None, peildatum, slides)
    if themalijn not in infos:
        raise ValueError(f"Onbekende themalijn '{themalijn}'.")
    info = infos[themalijn]
    return Deck(f"{MEETING} – {info.name}", themalijn, peildatum, _themalijn_slides(info, inputs, peildatum))


# --- Helpers ----------------------------------------------------------------------------

def _unique(lines) -> list[str]:
    return list(dict.fromkeys(line for line in lines if line))


def source_lines(rows: pd.DataFrame) -> list[str]:
    """One line per (source, peildatum) of the rows, with the voorbeelddata mark where any row is sample."""
    if rows.empty:
        return []
    frame = rows.assign(_sample=rows["is_sample"].fillna(False).astype(bool))
    return [source_line(title_with_twente(title, group), peildatum, bool(group["_sample"].any()))
            for (title, peildatum), group in frame.groupby(["source_title", "source_peildatum"], sort=False)]


def _jaarplan_line(info: ThemalijnInfo) -> str:
    return source_line(info.source_title, info.source_peildatum)


class Headline(NamedTuple):
    indicator: Indicator
    rows: pd.DataFrame  # its observations in the slide group
    goal: Target | None  # its target, if the jaarplan sets one
    quotes: tuple[Quote, ...] = ()  # the jaarplan's quotes for it: beside the measurements, never one


def _headlines(info: ThemalijnInfo, inputs: ThemalijnenInputs) -> list[Headline]:
    """The themalijn's headline indicators (at most :data:`MAX_HEADLINES`) that exist in the data."""
    found = []
    for indicator_id in headline_indicators(info.themalijn, info.headline_indicators)[:MAX_HEADLINES]:
        indicator = inputs.indicator(indicator_id)
        if indicator is None:
            continue
        rows, _note = for_group(inputs.observations[inputs.observations["indicator_id"] == indicator_id], GROUP)
        goals = inputs.goals[inputs.goals["indicator_id"] == indicator_id]
        found.append(Headline(indicator, rows, None if goals.empty else Target.from_row(goals.iloc[0]),
                              tuple(quotes_of(inputs.quotes, indicator_id, (TWENTE,)))))
    return found


def first_paragraph(text: str) -> str:
    """The first paragraph of a text (paragraphs are separated by a blank line)."""
    return re.split(r"\n\s*\n", (text or "").strip(), maxsplit=1)[0].strip()


def ambition_lead(info: ThemalijnInfo) -> str:
    """The ambition for a slide, in the jaarplan's words: its first paragraph, plus the short
    ambition when that paragraph does not already hold it (it carries the target)."""
    lead = first_paragraph(info.ambition)
    short = (info.ambition_short or "").strip()
    if short and short not in lead:
        lead = f"{lead} {short}"
    return lead


def target_bullet(indicator: Indicator, goal: Target | None) -> str:
    """'Moeite met rondkomen: doel onder 17% uiterlijk 31 december 2026 (nulmeting 18% in 2023).'"""
    if goal is None:
        return f"{indicator.name}: geen streefwaarde in het jaarplan."
    text = f"{indicator.name}: {target_phrase(goal, indicator.unit)}"
    if goal.baseline_value is not None and goal.baseline_period:
        text += f" (nulmeting {as_given(goal.baseline_value, indicator.unit)} in {goal.baseline_period})"
    return text + "."


def key_figure(indicator: Indicator, headline: HeadlineStatus, quotes: tuple[Quote, ...] = ()) -> KeyFigure:
    """The newest measurement with its interval; the jaarplan's quotes only as a note beside it."""
    latest = headline.latest
    cited = "".join(f" · citaat {q.label}" for q in quotes)
    if latest is None:
        return KeyFigure(indicator.name, "–", f"nog geen meting voor Twente{cited}")
    status = headline.status or "geen streefwaarde"
    return KeyFigure(indicator.name, headline_figure(latest, indicator.unit),
                     f"Twente, {period_label(latest['period'])} · {status}{cited}")


def slide_chart(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """A chart builder's chart with the larger type a projected slide needs."""
    return (chart.configure_axis(labelFontSize=14, titleFontSize=14)
            .configure_legend(labelFontSize=13, titleFontSize=13, labelLimit=320)
            .configure_header(labelFontSize=14)
            .configure_title(fontSize=20, subtitleFontSize=14))


def phase_chart(projects: pd.DataFrame) -> alt.TopLevelMixin:
    """``project_charts.phase_summary_chart`` for a slide: wider cells, so the larger phase names do not touch."""
    chart = project_charts.phase_summary_chart(phase_summary(projects))
    chart.spec = chart.spec.properties(width=alt.Step(100))
    return slide_chart(chart)


def programme_phase_chart(projects: pd.DataFrame) -> alt.TopLevelMixin:
    """The programme's projects per phase, now and expected at the plan's end, one row per themalijn.

    ``project_charts.phase_summary_chart`` with its two roles swapped (a panel per moment, a row
    per themalijn), so that the four themalijnen fit on the closing slide; tooltips and title say so.
    """
    start, _now, expected = plan_moments(projects)
    summary = phase_summary(projects)
    summary = summary[summary["moment"] != start]
    swapped = summary.rename(columns={"themalijn_label": "moment", "moment": "themalijn_label"})
    chart = project_charts.phase_summary_chart(swapped[["themalijn_label", "moment", "phase", "count"]])
    tooltip = [alt.Tooltip("moment:N", title="Themalijn"), alt.Tooltip("themalijn_label:N", title="Moment"),
               alt.Tooltip("phase:N", title="Fase"), alt.Tooltip("aantal_label:N", title="Aantal projecten")]
    for layer in chart.spec.layer:
        layer.encoding.tooltip = tooltip
    chart.spec = chart.spec.properties(width=alt.Step(100))
    chart.title = f"Projecten per fase en themalijn: nu en {expected}"
    chart.description = (f"Aantal projecten per fase per themalijn, nu en {expected}. "
                         f"{len(projects)} projecten.")
    return slide_chart(chart)


# --- The slides of one themalijn --------------------------------------------------------

def _themalijn_slides(info: ThemalijnInfo, inputs: ThemalijnenInputs, peildatum: date) -> list[Slide]:
    themalijn = info.themalijn
    headlines = _headlines(info, inputs)
    projects = inputs.projects[inputs.projects["themalijn"] == themalijn]
    slides = [
        _title_slide(info, peildatum, projects),
        _ambition_slide(info, headlines),
        _key_figures_slide(info, headlines, peildatum),
        *[_target_slide(info, indicator, rows, goal, peildatum) for indicator, rows, goal, _quotes in headlines
          if goal is not None],
        _trend_slide(info, headlines, realisation_bands(inputs.events, projects, peildatum)),
        _gemeenten_slide(info, headlines),
        _projects_slide(info, projects, peildatum),
        _local_slide(info, projects, inputs.assignments),
    ]
    for slide in slides:
        slide.themalijn = themalijn
    return slides


def _title_slide(info: ThemalijnInfo, peildatum: date, projects: pd.DataFrame) -> Slide:
    return Slide(
        "titel", info.name, lead=f"{MEETING} Twentse Koers · peildatum {format_date(peildatum)}",
        bullets=["Ambitie en doelen", "Kerncijfers tegen het doel", "Twente en Nederland",
                 "De gemeenten vergeleken", "Projecten per fase", "Lokale opdrachten"],
        sources=[_jaarplan_line(info), register_source_line(peildatum, projects)])


def _ambition_slide(info: ThemalijnInfo, headlines) -> Slide:
    goal_rows = [h.goal for h in headlines if h.goal is not None]
    goal_lines = [source_line(g.source_title, g.source_peildatum) for g in goal_rows]
    bullets = [target_bullet(indicator, goal) for indicator, _rows, goal, _quotes in headlines]
    return Slide("ambitie", "Ambitie en doelen", lead=ambition_lead(info), bullets=bullets,
                 sources=_unique([_jaarplan_line(info), *goal_lines]),
                 notes=f"Ambitie uit het Jaarplan 2025:\n\n{info.ambition}")


def _key_figures_slide(info: ThemalijnInfo, headlines, peildatum: date | None = None) -> Slide:
    figures, bullets, sources = [], [], []
    for indicator, rows, goal, quotes in headlines:
        headline = headline_status(indicator, rows, goal, peildatum)
        figures.append(key_figure(indicator, headline, quotes))
        bullets.append(headline.text)
        if quotes:
            bullets.append(reference_line(list(quotes), {TWENTE: "Twente"}))
        if headline.latest is not None:
            sources += source_lines(headline.latest.to_frame().T)
        if goal is not None:
            sources.append(source_line(goal.source_title, goal.source_peildatum))
        if quotes:
            sources.append(_jaarplan_line(info))
    if not figures:
        bullets = ["Voor deze themalijn zijn nog geen kerncijfers vastgelegd."]
    return Slide("kerncijfers", "Kerncijfers tegen het doel",
                 lead="De nieuwste meting voor Twente per kernindicator, tegen het doel uit het jaarplan; "
                      "cijfers die het jaarplan citeert staan er als citaat naast.",
                 figures=figures, bullets=bullets, sources=_unique(sources) or [_jaarplan_line(info)])


def _target_slide(info: ThemalijnInfo, indicator: Indicator, rows: pd.DataFrame, goal: Target, peildatum: date | None = None) -> Slide:
    twente = rows[rows["region_code"] == TWENTE]
    figure = target_figure(twente, goal, indicator.unit, peildatum)
    try:
        chart = indicator_charts.target_chart(figure.history, figure.trajectory, goal, indicator,
                                              description=figure.text)
    except ValueError:
        chart = None
    sources = [source_line(goal.source_title, goal.source_peildatum), *source_lines(figure.history)]
    return Slide(
        "doel", f"{indicator.name} tegen het doel", lead=figure.text,
        bullets=["Het pad loopt in een rechte lijn van de nulmeting naar het doel op de einddatum; "
                 "op koers betekent: het nieuwste cijfer ligt op of aan de goede kant van dat pad.",
                 "Voorbeelddata tellen nooit mee voor het doel."],
        chart=None if chart is None else slide_chart(chart), chart_text=figure.text,
        sources=_unique(sources))


def _trend_choice(headlines):
    """The headline indicator for 'Twente en Nederland': the first with Twente in two or more
    periods, else the first with any Twente figure."""
    with_twente = [h for h in headlines if (h.rows["region_code"] == TWENTE).any()]
    for h in with_twente:
        if h.rows.loc[h.rows["region_code"] == TWENTE, "period"].nunique() >= 2:
            return h
    return with_twente[0] if with_twente else None


def nederland_sentence(indicator: Indicator, series: pd.DataFrame) -> str:
    """Twente against Nederland in the latest period both have a figure, by compare.duiding."""
    both = (set(series.loc[series["region_code"] == TWENTE, "period"])
            & set(series.loc[series["region_code"] == NEDERLAND, "period"]))
    if not both:
        return f"Voor Nederland is er in de monitor geen cijfer voor {indicator.name.lower()} om Twente mee te vergelijken."
    period = max(both, key=lambda p: (int(p[:4]), p))
    tw, nl = pick(series, TWENTE, period), pick(series, NEDERLAND, period)
    return compare.duiding(indicator, "Twente", period, tw["value"], tw["ci_low"], tw["ci_high"], "Nederland",
                           nl["value"], nl["ci_low"], nl["ci_high"],
                           is_sample=bool(tw["is_sample"]) or bool(nl["is_sample"]))


def _trend_slide(info: ThemalijnInfo, headlines, bands: pd.DataFrame) -> Slide:
    choice = _trend_choice(headlines)
    if choice is None:
        return Slide("trend", "Twente en Nederland",
                     bullets=["Voor de kernindicatoren van deze themalijn zijn er geen cijfers voor Twente."],
                     sources=[_jaarplan_line(info)])
    indicator, rows, _goal, quotes = choice
    series = trend_frame(rows, [TWENTE, NEDERLAND], indicator.unit)
    sentence = compare.trend_sentence(series, indicator, twente_focus_name(series))
    bullets = [sentence, nederland_sentence(indicator, series)]
    if quotes:  # beside the measured series, never a point of it
        bullets.append(reference_line(list(quotes), {TWENTE: "Twente"}))
    if not bands.empty:
        bullets.append(BANDS_NOTE)
    chart = indicator_charts.trend_chart(series, indicator, bands=bands, description=sentence)
    return Slide("trend", f"Twente en Nederland: {indicator.name}", bullets=bullets,
                 chart=slide_chart(chart), chart_text=sentence, sources=source_lines(series),
                 is_sample=bool(series["is_sample"].astype(bool).any()))


def _gemeenten_slide(info: ThemalijnInfo, headlines) -> Slide:
    for indicator, rows, _goal, _quotes in headlines:
        period = latest_period(rows)
        if period is None:
            continue
        found = gemeenten_comparison(rows, indicator, period)
        sentence = found.sentence
        chart = comparison_charts.ranked_bar_chart(found.values, indicator, found.references, description=sentence)
        shown = found.values if found.twente is None else pd.concat([found.values, found.twente.to_frame().T])
        bullets = [sentence] + ([f"{SAMPLE_MARK}: {SAMPLE_NOTE}"] if found.is_sample else [])
        return Slide("gemeenten", f"De 14 gemeenten vergeleken: {with_period(indicator.name, period)}",
                     bullets=bullets,
                     chart=slide_chart(chart), chart_text=sentence, sources=source_lines(shown),
                     is_sample=found.is_sample)
    return Slide("gemeenten", "De 14 gemeenten vergeleken",
                 bullets=["Voor de kernindicatoren van deze themalijn zijn er geen cijfers per gemeente."],
                 sources=[_jaarplan_line(info)])


def _projects_slide(info: ThemalijnInfo, projects: pd.DataFrame, peildatum: date) -> Slide:
    behind = behind_items(projects)
    heading = f"Achter op schema ({len(behind)}):" if behind else ""
    bullets = behind or ["Geen projecten achter op schema."]
    chart = None
    if not projects.empty:
        chart = phase_chart(projects)
    start, _now, expected = plan_moments(projects)
    return Slide("projecten", "Projecten per fase", lead=status_summary(projects), heading=heading, bullets=bullets,
                 chart=chart,
                 chart_text=f"Projecten van {info.name} per fase op {start}, nu en {expected}. "
                 + status_summary(projects) + ".",
                 sources=[register_source_line(peildatum, projects)])


def local_highlights(assignments: pd.DataFrame) -> list[str]:
    """'Enschede: Kansrijke start en kansrijk opgroeien; Valpreventie' per gemeente (GGD Twente last)."""
    frame = assignments.assign(_label=["GGD Twente (organisatie)" if level == "ggd_regio" else name
                                       for name, level in zip(assignments["region_name"], assignments["level"])],
                               _order=[level == "ggd_regio" for level in assignments["level"]])
    lines = []
    for (_order, label), group in frame.groupby(["_order", "_label"], sort=True):
        lines.append(f"{label}: {'; '.join(dict.fromkeys(group['project_name']))}")
    return lines


def _local_slide(info: ThemalijnInfo, projects: pd.DataFrame, assignments: pd.DataFrame) -> Slide:
    mine = assignments[assignments["project_id"].isin(set(projects["project_id"]))]
    if mine.empty:
        return Slide("lokaal", "Lokale opdrachten",
                     bullets=["Het jaarplan noemt voor de projecten van deze themalijn geen lokale opdrachten."],
                     sources=[_jaarplan_line(info)])
    gemeenten = mine.loc[mine["level"] == "gemeente", "region_code"].nunique()
    notes = "\n".join(f"{r.region_name} – {r.project_name}: {r.description}" for r in mine.itertuples())
    sources = _unique(source_line(t, p) for t, p in zip(mine["source_title"].fillna("Twentse Koers Jaarplan 2025"),
                                                        mine["source_peildatum"]))
    return Slide("lokaal", "Lokale opdrachten",
                 lead=f"{len(mine)} lokale opdrachten in {gemeenten} gemeenten voor de projecten van deze themalijn.",
                 bullets=local_highlights(mine), sources=sources, notes=notes)


# --- The whole programme ---------------------------------------------------------------

def _programme_title(inputs: ThemalijnenInputs, peildatum: date) -> Slide:
    infos = inputs.infos()
    return Slide("titel", "Twentse Koers", lead=f"{MEETING} · hele programma · peildatum {format_date(peildatum)}",
                 bullets=[f"{info.name}: {info.ambition_short}" for info in infos],
                 sources=[_jaarplan_line(infos[0]), register_source_line(peildatum, inputs.projects)])


def _programme_overview(inputs: ThemalijnenInputs, peildatum: date) -> Slide:
    figures, bullets, sources = [], [], []
    for info in inputs.infos():
        headlines = _headlines(info, inputs)
        if headlines:
            indicator, rows, goal, quotes = headlines[0]
            headline = headline_status(indicator, rows, goal, peildatum)
            figure = key_figure(indicator, headline, quotes)
            figures.append(KeyFigure(f"{info.name}: {figure.label}", figure.value, figure.note))
            if headline.latest is not None:
                sources += source_lines(headline.latest.to_frame().T)
        projects = inputs.projects[inputs.projects["themalijn"] == info.themalijn]
        bullets.append(f"{info.name}: {status_summary(projects)}.")
    chart = None
    if not inputs.projects.empty:
        chart = programme_phase_chart(inputs.projects)
    return Slide("overzicht", "Het programma in één oogopslag", lead=status_summary(inputs.projects),
                 figures=figures, bullets=bullets, chart=chart,
                 chart_text=f"Projecten per fase en themalijn, nu en {plan_moments(inputs.projects)[2]}.",
                 sources=_unique([*sources, register_source_line(peildatum, inputs.projects)]))


__all__ = ["Deck", "ThemalijnenInputs", "KeyFigure", "Slide", "build_deck", "deck_from_inputs", "load_themalijnen",
           "NO_TARGET_TEXT", "PROGRAMME_LABEL", "slide_chart", "status_summary"]
