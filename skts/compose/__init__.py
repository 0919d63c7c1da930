"""Forecasters built from other forecasters: target transforms that keep the forecaster API."""

from skts.compose._target import TransformedTargetForecaster

__all__ = ["TransformedTargetForecaster"]
