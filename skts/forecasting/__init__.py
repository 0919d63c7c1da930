"""Forecasters on the skts contract: fit on a history, predict the rows that follow."""

from skts.forecasting._base import BaseForecaster
from skts.forecasting._naive import NaiveSeasonal

__all__ = ["BaseForecaster", "NaiveSeasonal"]
