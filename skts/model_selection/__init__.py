"""Rolling-origin evaluation of forecasters."""

from skts.model_selection._backtest import backtest, backtest_errors

__all__ = ["backtest", "backtest_errors"]
