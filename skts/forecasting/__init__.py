"""Forecasters on the skts contract: fit on a history, predict the rows that follow."""

from skts.forecasting._auto_sarima import AutoSARIMA
from skts.forecasting._base import BaseForecaster
from skts.forecasting._conformal import ConformalForecaster
from skts.forecasting._naive import NaiveSeasonal
from skts.forecasting._reduction import ReductionForecaster
from skts.forecasting._sarima import SARIMAEstimator

__all__ = ["AutoSARIMA", "BaseForecaster", "ConformalForecaster", "NaiveSeasonal", "ReductionForecaster", "SARIMAEstimator"]
