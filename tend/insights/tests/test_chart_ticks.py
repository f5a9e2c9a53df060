"""Axis ticks are round numbers: 0, 10, 20, 30, 40, never 16.9 and 33.8 (page and PDF alike)."""

from __future__ import annotations

import re

import pytest

from tend.insights.charts import lines, nice_ticks


@pytest.mark.parametrize(
    ("peak", "whole", "ticks"),
    [
        (33.8, False, [0, 10, 20, 30, 40]),
        (7.3, False, [0, 2, 4, 6, 8]),
        (0.4, False, [0, 0.1, 0.2, 0.3, 0.4]),
        (12, True, [0, 5, 10, 15]),
        (3, True, [0, 1, 2, 3]),
        (1, True, [0, 1]),
        (90, True, [0, 50, 100]),
    ],
)
def test_ticks_are_steps_of_1_2_or_5_from_zero_to_the_peak_or_just_above(
    peak: float, whole: bool, ticks: list[float]
) -> None:
    assert nice_ticks(peak, whole=whole) == ticks


def test_the_weekly_line_chart_labels_its_axis_with_round_ticks() -> None:
    chart = lines(
        key="settle",
        title="Typical time to settle each week",
        description="",
        x_labels=["7 Sep", "14 Sep", "21 Sep"],
        series=[("Median minutes", [20.0, 33.8, None], "primary")],
    )
    # The y-axis labels are the texts right-aligned at the plot's left edge.
    labels = re.findall(
        r'text-anchor="end" fill="[^"]*" class="chart-label">([^<]*)<', str(chart.svg)
    )
    assert labels == ["0", "10", "20", "30", "40"]
    assert "33.8" not in labels and "16.9" not in labels


def test_counts_never_get_half_ticks() -> None:
    chart = lines(
        key="counts",
        title="Moments noticed each week",
        description="",
        x_labels=["7 Sep", "14 Sep"],
        series=[("Activations", [1, 0], "activation")],
    )
    labels = re.findall(
        r'text-anchor="end" fill="[^"]*" class="chart-label">([^<]*)<', str(chart.svg)
    )
    assert labels == ["0", "1"]
