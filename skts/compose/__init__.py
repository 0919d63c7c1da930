"""Forecasters built from other forecasters: target transforms and one model per series."""

from skts.compose._per_series import PerSeriesForecaster
from skts.compose._target import TransformedTargetForecaster

__all__ = ["PerSeriesForecaster", "TransformedTargetForecaster"]
