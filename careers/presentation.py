"""Plain functions that shape catalog rows for display: money, ranges, glossary links."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from careers.models import GlossaryTerm, Role, SalaryBand, Source, Transition

CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}


def money(amount: int, currency: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{amount:,}" if symbol else f"{amount:,} {currency}"


def salary_range(low: int | None, high: int | None, open_ended: bool, currency: str) -> str:
    if low is None and high is None:
        return "Variable"
    if high is None:
        return f"From {money(low, currency)}"
    top = money(high, currency) + ("+" if open_ended else "")
    if low is None:
        return f"Up to {top}"
    return f"{money(low, currency)} – {top}"


def band_range(band: SalaryBand) -> str:
    return salary_range(band.low, band.high, band.open_ended, band.currency)


# Where a currency's markets are, for a comparison's one line per currency.
CURRENCY_REGION = {"USD": "US", "GBP": "UK", "EUR": "Euro area"}


def pay_summary(bands: Iterable[SalaryBand]) -> list[str]:
    """One overall range per currency, named by region: ['US: $120,000 – $350,000',
    'UK: £60,000 – £150,000']."""
    by_currency: dict[str, list[SalaryBand]] = {}
    for band in bands:
        if band.low is not None or band.high is not None:
            by_currency.setdefault(band.currency, []).append(band)
    lines = []
    for currency, group in by_currency.items():
        lows = [b.low for b in group if b.low is not None]
        highs = [b.high for b in group if b.high is not None]
        top = max(highs) if highs else None
        open_top = any(b.open_ended and b.high == top for b in group)
        money = salary_range(min(lows) if lows else None, top, open_top, currency)
        lines.append(f"{CURRENCY_REGION.get(currency, currency)}: {money}")
    return lines


@dataclass(frozen=True)
class RoleComparison:
    role: Role
    pay: list[str]
    difficulty: str
    timeline: str
    transitions: int


@dataclass
class SourcesUsed:
    """The sources a page's figures come from, once each, in the sources' order; `editorial`:
    some figure has no named source (a Waypoint editorial estimate)."""

    named: list[Source]
    editorial: bool


def sources_used(sources: list[Source | None]) -> SourcesUsed:
    """The figures' sources (None: no named source), once each, in the sources' order."""
    named = {source.pk: source for source in sources if source is not None}
    ordered = sorted(named.values(), key=lambda s: (s.order, s.name, s.slug))
    return SourcesUsed(named=ordered, editorial=any(source is None for source in sources))


def compare_roles(roles: Iterable[Role]) -> list[RoleComparison]:
    """Roles side by side; expects `salary_bands` and `published_transitions_in` prefetched."""
    rows = []
    order = list(Transition.Difficulty)
    for role in roles:
        transitions = role.published_transitions_in
        if transitions:
            levels = sorted({order.index(t.difficulty) for t in transitions})
            labels = [order[i].label for i in (levels[0], levels[-1])]
            difficulty = labels[0] if labels[0] == labels[1] else f"{labels[0]} to {labels[1]}"
            low = min(t.timeline_min_months for t in transitions)
            high = max(t.timeline_max_months for t in transitions)
            timeline = f"{low}–{high} months"
        else:
            difficulty = timeline = "—"
        rows.append(
            RoleComparison(
                role=role,
                pay=pay_summary(role.salary_bands.all()),
                difficulty=difficulty,
                timeline=timeline,
                transitions=len(transitions),
            )
        )
    return rows


def _pattern(word: str) -> re.Pattern[str]:
    flags = 0 if word.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", flags)


def terms_in(texts: Iterable[str], terms: Iterable[GlossaryTerm]) -> list[GlossaryTerm]:
    """The glossary terms that a page's text uses, in glossary order."""
    text = "\n".join(t for t in texts if t)
    return [
        term
        for term in terms
        if any(_pattern(word).search(text) for word in (term.match_words or [term.term]))
    ]
