"""Figures for forecasts, backtests and order identification (needs matplotlib).

matplotlib is imported when a figure is drawn, not when this package is.
"""

from skts.plotting._plots import plot_acf_pacf, plot_backtest, plot_forecast

__all__ = ["plot_acf_pacf", "plot_backtest", "plot_forecast"]
