"""Medians, quartiles and intervals, on numbers small enough to check by hand."""

from __future__ import annotations

from tend.insights.stats import (
    MIN_N,
    Summary,
    bootstrap_interval,
    median,
    median_interval,
    quantile,
)


def test_median_and_quartiles_of_small_lists() -> None:
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 2, 3]) == 2.5
    assert median([]) is None
    assert quantile([2, 4, 6, 8, 10], 0.25) == 4
    assert quantile([1, 2, 3, 4], 0.25) == 1.75


def test_a_summary_from_counts_matches_the_one_from_values() -> None:
    values = [1, 1, 2, 5, 5, 5, 9]
    by_values = Summary.of(values)
    by_counts = Summary.of_counts({1: 2, 2: 1, 5: 3, 9: 1})
    assert by_values == by_counts
    assert (by_counts.n, by_counts.median, by_counts.q1, by_counts.q3) == (7, 5, 1.5, 5)
    assert by_counts.iqr == 3.5


def test_below_the_threshold_it_is_too_few_to_tell() -> None:
    assert MIN_N == 5
    assert not Summary.of([1, 2, 3, 4]).enough
    assert Summary.of([1, 2, 3, 4, 5]).enough
    assert bootstrap_interval([1, 2, 3, 4]) is None
    assert median_interval({1: 2, 2: 2}) is None


def test_the_bootstrap_is_deterministic_and_brackets_the_median() -> None:
    values = [0, 1, 1, 2, 2, 2, 3, 3, 4, 6]
    first = bootstrap_interval(values)
    assert first == bootstrap_interval(values)
    assert first is not None
    assert first[0] <= 2 <= first[1]


def test_the_exact_median_interval_agrees_with_resampling() -> None:
    # Far from any 2.5% boundary, so that sampling noise cannot flip an endpoint.
    values = [0, 1, 1, 2, 2, 2, 3, 3, 4, 5, 2, 3, 1, 2]
    counts: dict[float, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    lower_median = lambda vs: sorted(vs)[(len(vs) + 1) // 2 - 1]  # noqa: E731
    sampled = bootstrap_interval(values, statistic=lower_median, resamples=4000)
    assert median_interval(counts) == sampled == (1, 3)


def test_a_single_repeated_value_has_no_spread() -> None:
    assert median_interval({3: 40}) == (3, 3)
    assert median_interval({3: 4000, 4: 1}) == (3, 3)
