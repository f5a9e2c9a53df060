"""Small, honest statistics for the trigger map: medians, quartiles and intervals.

Everything works on plain lists of numbers or on histograms (``{value: count}``), because the map
counts in the database (GROUP BY value) and only the counts travel to Python. Below ``MIN_N``
values nothing is concluded: the page says "too few to tell" instead of a number that looks
surer than it is.

Intervals for a median are bootstrap percentile intervals. ``bootstrap_interval`` resamples
(1,000 times, with a fixed seed, so the same data always gives the same answer) and works for any
statistic. For the median of a histogram, ``median_interval`` computes the same bootstrap
distribution exactly instead of sampling it: a resampled median (the lower one, at rank
``ceil(n/2)``) is at most ``v`` exactly when at least ``ceil(n/2)`` of the ``n`` draws are at
most ``v``, which is a binomial tail with ``p = F(v)``. That is the limit of infinitely many
resamples, costs a few microseconds instead of tens of milliseconds, and needs no seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

# Below this many values a pattern is "too few to tell".
MIN_N = 5
RESAMPLES = 1_000
CONFIDENCE = 0.95
# Above this size the binomial tail uses the normal approximation (error far below a rounding).
_EXACT_TAIL_MAX_N = 300


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def quantile(values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile with linear interpolation between order statistics (inclusive)."""
    return quantile_from_counts(counts_of(values), q)


def counts_of(values: Iterable[float]) -> dict[float, int]:
    counts: dict[float, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _value_at(ordered: list[tuple[float, int]], index: int) -> float:
    seen = 0
    for value, count in ordered:
        seen += count
        if index < seen:
            return value
    return ordered[-1][0]


def quantile_from_counts(counts: Mapping[float, int], q: float) -> float | None:
    ordered = sorted((v, c) for v, c in counts.items() if c > 0)
    return _quantile(ordered, sum(c for _, c in ordered), q)


def _quantile(ordered: list[tuple[float, int]], n: int, q: float) -> float | None:
    if n == 0:
        return None
    position = (n - 1) * q
    low, high = math.floor(position), math.ceil(position)
    a, b = _value_at(ordered, low), _value_at(ordered, high)
    return float(a + (b - a) * (position - low))


@dataclass(frozen=True)
class Summary:
    """n, median and quartiles of one group; ``enough`` says whether to show them at all."""

    n: int
    median: float | None
    q1: float | None
    q3: float | None

    @property
    def enough(self) -> bool:
        return self.n >= MIN_N

    @property
    def iqr(self) -> float | None:
        return None if self.q1 is None or self.q3 is None else self.q3 - self.q1

    @classmethod
    def of_counts(cls, counts: Mapping[float, int]) -> Summary:
        # Sorted once for the three quantiles: the map summarises a few hundred histograms.
        ordered = sorted((v, c) for v, c in counts.items() if c > 0)
        n = sum(c for _, c in ordered)
        return cls(
            n=n,
            median=_quantile(ordered, n, 0.5),
            q1=_quantile(ordered, n, 0.25),
            q3=_quantile(ordered, n, 0.75),
        )

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        return cls.of_counts(counts_of(values))


def bootstrap_interval(
    values: Sequence[float],
    *,
    statistic: Callable[[Sequence[float]], float | None] = median,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = 0,
) -> tuple[float, float] | None:
    """A percentile bootstrap interval of ``statistic``, or None below ``MIN_N`` values."""
    n = len(values)
    if n < MIN_N:
        return None
    rng = random.Random(seed)  # noqa: S311 - resampling, not secrets
    population = list(values)
    estimates = sorted(
        value
        for _ in range(resamples)
        if (value := statistic(rng.choices(population, k=n))) is not None
    )
    tail = (1 - confidence) / 2
    low = estimates[max(0, math.floor(tail * len(estimates)))]
    high = estimates[min(len(estimates) - 1, math.ceil((1 - tail) * len(estimates)) - 1)]
    return float(low), float(high)


def _binomial_at_least(k: int, n: int, p: float) -> float:
    """P(Binomial(n, p) >= k)."""
    if k <= 0 or p >= 1:
        return 1.0
    if k > n or p <= 0:
        return 0.0
    if n > _EXACT_TAIL_MAX_N:
        mean, sd = n * p, math.sqrt(n * p * (1 - p))
        return 0.5 * math.erfc((k - 0.5 - mean) / (sd * math.sqrt(2)))
    log_p, log_q = math.log(p), math.log1p(-p)
    base = math.lgamma(n + 1)
    return min(
        1.0,
        sum(
            math.exp(
                base - math.lgamma(j + 1) - math.lgamma(n - j + 1) + j * log_p + (n - j) * log_q
            )
            for j in range(k, n + 1)
        ),
    )


def median_interval(
    counts: Mapping[float, int], *, confidence: float = CONFIDENCE
) -> tuple[float, float] | None:
    """The bootstrap percentile interval of the median of a histogram, computed exactly.

    None below ``MIN_N`` values ("too few to tell").
    """
    ordered = sorted((v, c) for v, c in counts.items() if c > 0)
    n = sum(c for _, c in ordered)
    if n < MIN_N:
        return None
    rank = math.ceil(n / 2)
    tail = (1 - confidence) / 2
    low = high = None
    seen = 0
    for value, count in ordered:
        seen += count
        # The probability that a resampled median is at most this value.
        cdf = _binomial_at_least(rank, n, seen / n)
        if low is None and cdf > tail:
            low = value
        if high is None and cdf >= 1 - tail:
            high = value
            break
    assert low is not None
    return float(low), float(high if high is not None else ordered[-1][0])
