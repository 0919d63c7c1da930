"""
Your own data in five minutes
=============================

From a CSV file to a forecast with prediction intervals, a figure, an honest
evaluation against the seasonal naive forecast, and a saved model. Replace
the first step with your own file: everything after it stays the same.

The data here are the monthly means of the Mauna Loa CO2 record
(1982-2001), which ship with statsmodels, so this page runs offline.
"""

# %%
# A CSV file
# ----------
# We write the data set to a CSV file first, so that the next step reads a
# file exactly as it would read yours: one column of dates, one of values.
import os
import tempfile

import statsmodels.api as sm

folder = tempfile.mkdtemp()
csv_path = os.path.join(folder, "co2.csv")
co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().loc["1982":]
co2.rename_axis("month").to_csv(csv_path)
print(open(csv_path).read()[:80])

# %%
# A Series with a frequency
# -------------------------
# Rows are time steps, in order. Read the dates as the index and give the
# index its frequency (``"MS"``: month starts), so that forecasts are labelled
# with the months that follow. ``asfreq`` also inserts any month missing from
# the file as NaN instead of silently closing the gap.
import pandas as pd

y = pd.read_csv(csv_path, index_col="month", parse_dates=True)["co2"].asfreq("MS")
y.tail(3)

# %%
# Forecast with intervals
# -----------------------
# :class:`~skts.forecasting.AutoSARIMA` chooses the differencing by unit-root
# tests and the orders by a stepwise AICc search; ``season_length`` is the
# number of rows in a season (12 months). Its fitted model forecasts the next
# 12 months with 80% and 95% prediction intervals. ``X`` holds covariates
# known in advance; there are none here, so it is ``None``.
from skts.forecasting import AutoSARIMA

model = AutoSARIMA(season_length=12).fit(None, y)
print("chosen:", model.order_, model.seasonal_order_, "trend:", model.trend_)
forecast = model.forecast(12, coverage=[0.8, 0.95])
forecast.head()

# %%
# Plot it
# -------
# :func:`~skts.plotting.plot_forecast` draws the last rows of the history, the
# forecast and its bands (matplotlib, extra ``plot``).
from skts.plotting import plot_forecast

ax = plot_forecast(y, forecast, last=48, title="CO2 at Mauna Loa: 12-month forecast")

# %%
# Is it better than the seasonal naive forecast?
# ----------------------------------------------
# :func:`~skts.model_selection.backtest` fits on the rows before ``start``,
# then forecasts 12 months from every month of 1998-2001, conditioning on
# each new observation without re-estimating (``refit=False``).
# :func:`~skts.model_selection.backtest_errors` summarises the errors; MASE
# divides the MAE by that of the seasonal naive forecast on the training
# history, so below 1 beats "same month last year".
from skts.forecasting import NaiveSeasonal
from skts.model_selection import backtest, backtest_errors

candidates = {
    "seasonal naive": NaiveSeasonal(season_length=12),
    "AutoSARIMA": AutoSARIMA(season_length=12),
}
frames, errors = {}, {}
for name, estimator in candidates.items():
    frames[name] = backtest(estimator, None, y, start="1998-01-01", horizon=12)
    errors[name] = backtest_errors(frames[name], ["mae", "mase"], by=None, season_length=12)
pd.DataFrame(errors).T

# %%
# The same errors per step ahead: the further ahead, the larger the error.
from skts.plotting import plot_backtest

axes = plot_backtest(frames["AutoSARIMA"], steps=[1, 12])

# %%
# Save and load
# -------------
# A fitted forecaster is a plain Python object: ``joblib`` saves it and loads
# it with the same forecasts. statsmodels' results hold the filter's output
# for every row, so compress the file (see the user guide's page on
# persistence for model size).
import joblib

path = os.path.join(folder, "co2_model.joblib")
joblib.dump(model, path, compress=3)
print(f"{os.path.getsize(path) / 1e6:.1f} MB on disk")
reloaded = joblib.load(path)
assert reloaded.forecast(12).equals(model.forecast(12))
