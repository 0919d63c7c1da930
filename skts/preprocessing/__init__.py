"""Preprocessing for forecasting: transformers whose inverse works on forecasts."""

from skts.preprocessing._differencer import Differencer

__all__ = ["Differencer"]
