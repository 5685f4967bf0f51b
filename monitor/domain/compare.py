"""Comparing figures and writing the Dutch "duiding" sentences under the charts.

Pure functions, no Streamlit.

Method (the Dutch text for readers is :data:`METHOD_TEXT`). It depends on how the
indicator's figures come about (``indicator.measurement``):

- ``telling`` (a full count from a register, such as the population shares of CBS 70072NED):
  there is no sampling error, so two figures are compared directly: a difference is a
  difference, said with its absolute and relative size ("4,6 procentpunt meer, 21% meer");
  equal when equal at the precision shown.
- ``steekproef`` (a survey estimate, the default):

- Both figures have a 95% confidence interval: a difference only when the two intervals do
  not overlap. This is conservative: two non-overlapping 95% intervals mean a difference far
  beyond chance, while some real differences stay unnamed (overlapping intervals do not prove
  that two figures are equal). Touching intervals count as overlapping.
- Only one figure has an interval: a difference when the other figure lies outside it.
- Neither has an interval (voorbeelddata, population shares): "onbekend",
  no statement about a difference; the sentence then just gives both figures.
- A missing value on either side: "onbekend".

Whether a difference is good or bad depends on the indicator's direction
(:func:`judgement`); a neutral indicator is only ever "hoger" or "lager".

An indicator is a dict with at least ``name``, ``unit`` and ``direction``; an optional
``phrase`` is a Dutch predicate template with ``{waarde}`` so that "In {region} {phrase}"
reads naturally ("had {waarde} van de volwassenen overgewicht"). Without a phrase the
sentences fall back to "{name} in {region}: {waarde}".
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from monitor.domain.indicator import Indicator
from monitor.domain.periods import period_end, period_label
from monitor.domain.text import format_number, format_value

COMPARISONS: tuple[str, ...] = ("hoger", "lager", "geen verschil", "onbekend")
JUDGEMENTS: tuple[str, ...] = ("gunstiger", "ongunstiger", "geen verschil", "hoger", "lager", "onbekend")

SAMPLE_SUFFIX = " Let op: voorbeelddata, geen echte meting."
WITHIN_MARGIN = "het verschil valt binnen de onzekerheidsmarge"
NO_INTERVAL = "geen betrouwbaarheidsinterval, dus geen uitspraak over een verschil"
NO_INTERVALS = "Zonder betrouwbaarheidsintervallen doen we geen uitspraak over verschillen met"
COUNT_NOTE = "Het zijn tellingen (geen steekproef): elk verschil is een echt verschil."

METHOD_TEXT = """\
**Hoe we verschillen benoemen.** Cijfers uit een enquête, zoals de Gezondheidsmonitor, zijn \
schattingen: bij elk cijfer hoort een onzekerheidsmarge, het 95%-betrouwbaarheidsinterval. \
We noemen een cijfer alleen hoger of lager dan een ander cijfer als die marges dat toelaten:

- Hebben beide cijfers een 95%-betrouwbaarheidsinterval, dan spreken we alleen van een \
verschil als de twee intervallen elkaar niet overlappen (ook niet raken). Dat is een \
voorzichtige regel: een verschil dat we zo benoemen, is vrijwel zeker geen toeval; een klein \
echt verschil blijft soms onbenoemd. Overlappende intervallen bewijzen niet dat de cijfers \
gelijk zijn: we zeggen dan dat het verschil binnen de onzekerheidsmarge valt.
- Heeft maar één van de twee cijfers een interval, dan spreken we van een verschil als het \
andere cijfer buiten dat interval ligt.
- Heeft geen van beide cijfers een interval (bijvoorbeeld voorbeelddata), dan doen we geen \
uitspraak over een verschil en geven we alleen beide cijfers.
- Een cijfer dat het jaarplan citeert (uit het Regiobeeld) is geen meting: dat vergelijken we nooit. \
Het staat als citaat naast de metingen, in de woorden van het jaarplan.

**Tellingen zijn geen schattingen.** Cijfers uit een volledige registratie, zoals het aandeel \
65-plussers uit de bevolkingscijfers van het CBS, hebben geen onzekerheidsmarge. Die vergelijken \
we rechtstreeks: een verschil is een verschil, en we noemen hoe groot het is, in procentpunten (of \
de eenheid van het cijfer) en in procenten ("4,6 procentpunt meer, 21% meer"). Bij elke indicator \
staat op de pagina Bronnen of het een steekproef of een telling is.

Of een verschil gunstig of ongunstig is, hangt af van de richting van de indicator: bij \
"lager is beter" (zoals overgewicht) is een hoger cijfer ongunstiger, bij "hoger is beter" \
(zoals voldoen aan de beweegrichtlijn) gunstiger. Neutrale indicatoren, zoals het aandeel \
65-plussers of het aandeel mantelzorgers, noemen we alleen hoger of lager, nooit gunstiger \
of ongunstiger, en ze krijgen nooit rood of groen.

Voorbeelddata zijn geen echte metingen; zinnen en grafieken met voorbeelddata zijn als zodanig \
gemarkeerd.
"""


def _num(value: object) -> float | None:
    """A float, or None for None/NaN/NA/empty."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _interval(low: object, high: object) -> tuple[float, float] | None:
    low_f, high_f = _num(low), _num(high)
    if low_f is None or high_f is None:
        return None
    return (min(low_f, high_f), max(low_f, high_f))


def compare(value, ci_low, ci_high, ref_value, ref_ci_low, ref_ci_high, measurement: str = "steekproef",
            decimals: int = 1) -> str:
    """How ``value`` relates to ``ref_value``: "hoger", "lager", "geen verschil" or "onbekend".

    ``measurement`` "telling": compared directly, equal when equal at ``decimals`` decimals.

    >>> compare(10.4, 9.6, 11.1, 8.2, 8.1, 8.4)
    'hoger'
    >>> compare(51.1, 47.5, 54.7, 49.4, 49.2, 49.7)
    'geen verschil'
    >>> compare(20.8, None, None, 18.0, None, None)
    'onbekend'
    """
    own, ref = _num(value), _num(ref_value)
    if own is None or ref is None:
        return "onbekend"
    if measurement == "telling":
        own_r, ref_r = round(own, decimals), round(ref, decimals)
        return "hoger" if own_r > ref_r else "lager" if own_r < ref_r else "geen verschil"
    own_ci, ref_ci = _interval(ci_low, ci_high), _interval(ref_ci_low, ref_ci_high)
    if own_ci and ref_ci:
        if own_ci[0] > ref_ci[1]:
            return "hoger"
        if own_ci[1] < ref_ci[0]:
            return "lager"
        return "geen verschil"
    if own_ci:
        if ref < own_ci[0]:
            return "hoger"
        if ref > own_ci[1]:
            return "lager"
        return "geen verschil"
    if ref_ci:
        if own > ref_ci[1]:
            return "hoger"
        if own < ref_ci[0]:
            return "lager"
        return "geen verschil"
    return "onbekend"


def judgement(direction: str, comparison: str) -> str:
    """The comparison in terms of the indicator's direction.

    "lower_is_better": hoger → "ongunstiger", lager → "gunstiger"; "higher_is_better" the other
    way round; "neutral" keeps "hoger"/"lager". "geen verschil" and "onbekend" stay as they are.

    >>> judgement("lower_is_better", "hoger")
    'ongunstiger'
    >>> judgement("neutral", "hoger")
    'hoger'
    """
    if comparison not in COMPARISONS:
        raise ValueError(f"onbekende vergelijking '{comparison}'")
    if comparison in ("geen verschil", "onbekend"):
        return comparison
    if direction == "neutral":
        return comparison
    if direction == "lower_is_better":
        return "ongunstiger" if comparison == "hoger" else "gunstiger"
    if direction == "higher_is_better":
        return "gunstiger" if comparison == "hoger" else "ongunstiger"
    raise ValueError(f"onbekende richting '{direction}'")


def _phrase(indicator: Indicator) -> str | None:
    phrase = indicator.phrase
    if isinstance(phrase, str) and "{waarde}" in phrase and phrase.strip():
        return phrase.strip()
    return None


def _fmt(value: float | None, indicator: Indicator) -> str:
    return format_value(value, indicator.unit)


def _statement(indicator: Indicator, region_name: str, value: float, when: str) -> str:
    """'In Enschede had 51,1% van de volwassenen overgewicht (2020)' or the phrase-less form."""
    waarde = _fmt(value, indicator)
    phrase = _phrase(indicator)
    if phrase:
        return f"In {region_name} {phrase.format(waarde=waarde)} ({when})"
    return f"{indicator.name} in {region_name}: {waarde} ({when})"


def measurement(indicator: Indicator) -> str:
    """'telling' or 'steekproef' (the default) for an indicator dict."""
    found = indicator.measurement
    return found if found in ("telling", "steekproef") else "steekproef"


def _decimals(indicator: Indicator) -> int:
    return 0 if indicator.unit == "aantal" else 1


def difference_text(indicator: Indicator, value: float, ref: float) -> str:
    """The absolute and relative size of a difference between two counts: '4,6 procentpunt meer
    (21% meer)'; for counts of people: '1.250 meer (3% meer)'.

    >>> difference_text(Indicator("x", "X", "%", phrase="was {waarde} oud"), 26.4, 21.8)
    '4,6 procentpunt meer (21% meer)'
    >>> difference_text(Indicator("x", "X", "aantal"), 900, 1000)
    '100 lager (10% lager)'
    """
    worded = _phrase(indicator) is not None
    more, less = ("meer", "minder") if worded else ("hoger", "lager")
    word = more if value > ref else less
    unit = indicator.unit
    size = abs(value - ref)
    if unit == "%":
        absolute = f"{format_number(size, 1)} procentpunt"
    else:
        absolute = format_value(size, unit)
    if ref:
        relative = abs(value - ref) / abs(ref) * 100
        return f"{absolute} {word} ({format_number(relative, 0)}% {word})"
    return f"{absolute} {word}"


def _relation(indicator: Indicator, comparison: str, ref_name: str, ref_text: str, value: float | None = None,
              ref: float | None = None) -> str:
    """The part after the statement, punctuation included, without the final full stop."""
    worded = _phrase(indicator) is not None
    if measurement(indicator) == "telling" and value is not None and ref is not None:
        if comparison == "geen verschil":
            return f", {'evenveel als' if worded else 'even hoog als'} in {ref_name} ({ref_text})"
        return f", {difference_text(indicator, value, ref)} dan in {ref_name} ({ref_text})"
    if comparison == "hoger":
        return f", {'meer' if worded else 'hoger'} dan in {ref_name} ({ref_text})"
    if comparison == "lager":
        return f", {'minder' if worded else 'lager'} dan in {ref_name} ({ref_text})"
    if comparison == "geen verschil":
        same = "ongeveer evenveel als" if worded else "ongeveer even hoog als"
        return f", {same} in {ref_name} ({ref_text}) — {WITHIN_MARGIN}"
    return f"; in {ref_name} was dat {ref_text} ({NO_INTERVAL})"


def duiding(indicator: Indicator, region_name: str, period: str, value, ci_low=None, ci_high=None,
            ref_name: str | None = None, ref_value=None, ref_ci_low=None, ref_ci_high=None,
            is_sample: bool = False) -> str:
    """One Dutch sentence for a figure against a reference, by the method of this module.

    ``is_sample``: pass True when either figure is voorbeelddata; the sentence then says so.

    "In Enschede had 51,1% van de volwassenen overgewicht (2020), ongeveer evenveel als in
    Nederland (49,4%) — het verschil valt binnen de onzekerheidsmarge."
    """
    when = period_label(period)
    own = _num(value)
    if own is None:
        text = f"Voor {region_name} is er geen cijfer ({indicator.name}, {when})."
        return text + (SAMPLE_SUFFIX if is_sample else "")
    text = _statement(indicator, region_name, own, when)
    ref = _num(ref_value)
    if ref_name and ref is not None:
        comparison = compare(own, ci_low, ci_high, ref, ref_ci_low, ref_ci_high, measurement(indicator),
                             _decimals(indicator))
        text += _relation(indicator, comparison, ref_name, _fmt(ref, indicator), own, ref)
    text += "."
    return text + (SAMPLE_SUFFIX if is_sample else "")


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def _gemeenten(n: int) -> str:
    return "gemeente" if n == 1 else "gemeenten"


def _any_true(values: Iterable) -> bool:
    return any(bool(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v)))


def ranking_sentence(values: pd.DataFrame, indicator: Indicator, period: str, twente_value=None,
                     twente_ci_low=None, twente_ci_high=None, ref_name: str = "Twente",
                     twente_period: str | None = None) -> str:
    """A summary of the gemeenten chart: highest, lowest, and which gemeenten differ from Twente.

    ``values`` columns: region_name, value, ci_low, ci_high, optionally is_sample.
    ``twente_period``: the period of the Twente figure when it differs from ``period``; the
    sentence then names it ("Twente (18,0% in 2023)").
    "Zware drinker, 2020: van de 14 gemeenten lag Tubbergen het hoogst (18,3%) en Wierden het
    laagst (7,9%). 5 gemeenten verschilden van Twente (10,4%): hoger in …, lager in …. Bij de
    andere 9 valt het verschil binnen de onzekerheidsmarge."
    """
    when = period_label(period)
    head = f"{indicator.name}, {when}"
    frame = values.copy()
    frame["_value"] = [_num(v) for v in frame["value"]]
    frame = frame[frame["_value"].notna()]
    is_sample = "is_sample" in frame.columns and _any_true(frame["is_sample"].tolist())
    suffix = SAMPLE_SUFFIX if is_sample else ""
    if frame.empty:
        return f"{head}: voor geen enkele gemeente is er een cijfer." + suffix
    order = frame.sort_values(["_value", "region_name"], ascending=[False, True])
    n = len(order)
    if n == 1:
        row = order.iloc[0]
        text = f"{head}: alleen voor {row['region_name']} is er een cijfer ({_fmt(row['_value'], indicator)})."
    else:
        top, bottom = order["_value"].max(), order["_value"].min()
        highest = order.loc[order["_value"] == top, "region_name"].tolist()
        lowest = order.loc[order["_value"] == bottom, "region_name"].tolist()
        text = (f"{head}: van de {n} gemeenten lag{'en' if len(highest) > 1 else ''} {_join(highest)} "
                f"het hoogst ({_fmt(top, indicator)}) en {_join(lowest)} het laagst "
                f"({_fmt(bottom, indicator)}).")
    ref = _num(twente_value)
    if ref is None:
        return text + suffix
    ref_when = ""
    if twente_period and str(twente_period) != str(period):
        ref_when = f" in {period_label(twente_period)}"
    ref_text = f"{ref_name} ({_fmt(ref, indicator)}{ref_when})"
    found: dict[str, list[str]] = {c: [] for c in COMPARISONS}
    for row in order.to_dict("records"):
        found[compare(row["_value"], row.get("ci_low"), row.get("ci_high"),
                      ref, twente_ci_low, twente_ci_high, measurement(indicator),
                      _decimals(indicator))].append(row["region_name"])
    higher, lower = found["hoger"], found["lager"]
    same, unknown = len(found["geen verschil"]), len(found["onbekend"])
    differ = len(higher) + len(lower)
    if measurement(indicator) == "telling":  # counts: every difference is a difference
        parts = []
        if higher:
            parts.append(f"hoger in {_join(higher)}")
        if lower:
            parts.append(f"lager in {_join(lower)}")
        if same:
            parts.append(f"gelijk in {same} {_gemeenten(same)}")
        return text + f" Tegen {ref_text}: {'; '.join(parts)}. {COUNT_NOTE}" + suffix
    if unknown == n:
        return text + f" {NO_INTERVALS} {ref_text}." + suffix
    if differ == 0:
        text += f" Geen enkele gemeente verschilde van {ref_text}: {WITHIN_MARGIN}"
        text += "." if unknown == 0 else f" bij {same} {_gemeenten(same)}."
    else:
        parts = []
        if higher:
            parts.append(f"hoger in {_join(higher)}")
        if lower:
            parts.append(f"lager in {_join(lower)}")
        verb = "verschilde" if differ == 1 else "verschilden"
        text += f" {differ} {_gemeenten(differ)} {verb} van {ref_text}: {', '.join(parts)}."
        if same:
            text += f" Bij de andere {same} valt het verschil binnen de onzekerheidsmarge."
    if unknown:
        text += (f" Over {unknown} {_gemeenten(unknown)} zonder betrouwbaarheidsinterval doen we geen "
                 f"uitspraak.")
    return text + suffix


def trend_sentence(series: pd.DataFrame, indicator: Indicator, region: str) -> str:
    """The latest figure of a region against its first, by the method of this module.

    ``series`` columns: period, value, ci_low, ci_high, optionally is_sample and region_name
    (rows of other regions are ignored). "In Twente had 53,2% van de volwassenen overgewicht
    (2020), ongeveer evenveel als in 2016 (52,1%) — het verschil valt binnen de onzekerheidsmarge."
    """
    frame = series
    if "region_name" in frame.columns:
        frame = frame[frame["region_name"] == region]
    frame = frame.copy()
    frame["_value"] = [_num(v) for v in frame["value"]]
    frame = frame[frame["_value"].notna()]
    if frame.empty:
        return f"Voor {region} is er geen cijfer ({indicator.name})."
    frame["_end"] = [period_end(str(p)) for p in frame["period"]]
    frame = frame.sort_values("_end")
    is_sample = "is_sample" in frame.columns and _any_true(frame["is_sample"].tolist())
    last = frame.iloc[-1].to_dict()
    if len(frame) == 1:
        return duiding(indicator, region, last["period"], last["_value"], is_sample=is_sample)
    first = frame.iloc[0].to_dict()
    return duiding(indicator, region, last["period"], last["_value"], last.get("ci_low"),
                   last.get("ci_high"), period_label(first["period"]), first["_value"],
                   first.get("ci_low"), first.get("ci_high"), is_sample=is_sample)


def paragraph(sentences: Iterable[str]) -> str:
    """Sentences as one paragraph that says each thing once: the voorbeelddata warning, the
    remark that figures without an interval are not compared, and the note that counts differ
    for real stand in the first sentence that has them and are left out of later ones.

    >>> paragraph(["A is 2; in B was dat 3 (" + NO_INTERVAL + ").", "C is 4; in B was dat 3 (" + NO_INTERVAL + ")."])
    'A is 2; in B was dat 3 (geen betrouwbaarheidsinterval, dus geen uitspraak over een verschil). C is 4; in B was dat 3.'
    """
    said: set[str] = set()
    out = []
    for sentence in sentences:
        if not sentence:
            continue
        for clause in (f" ({NO_INTERVAL})", SAMPLE_SUFFIX, f" {COUNT_NOTE}"):
            if clause in sentence:
                if clause in said:
                    sentence = sentence.replace(clause, "")
                said.add(clause)
        if f" ({NO_INTERVAL})" in said and sentence.find(f" {NO_INTERVALS} ") >= 0:
            head, _sep, rest = sentence.partition(f" {NO_INTERVALS} ")
            sentence = head + rest[rest.find(".") + 1:]
        out.append(sentence.strip())
    return " ".join(out)
