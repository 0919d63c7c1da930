"""
Are the intervals right? Native against conformal
==================================================

An 80% prediction interval should contain the actual value 80% of the time,
at every step ahead. This example measures it on Chicago's daily rail
ridership (the CTA data set, see :func:`~skts.datasets.load_ridership`):
each forecaster is fitted on 2016-2018, then backtested over 2019 without
refitting, forecasting 7 days from every day with 80% and 95% intervals.

- :class:`~skts.forecasting.NaiveSeasonal` and
  :class:`~skts.forecasting.SARIMAEstimator` have intervals of their own (the
  textbook seasonal naive interval; statsmodels' Gaussian forecast
  distribution).
- :class:`~skts.forecasting.ConformalForecaster` wraps any forecaster: it
  holds out the last quarter of the history, forecasts it from every day in
  it, and turns those out-of-sample errors, per step ahead, into intervals.
"""

# %%
# The data, in millions of riders (statsmodels' default SARIMA fit depends on
# the units of the series; millions keep its numbers moderate).
from skts.datasets import load_ridership

rail = load_ridership()["rail"].astype(float).loc["2016-01-01":"2019-12-31"] / 1e6

# %%
# Backtest every forecaster's 80% and 95% intervals over 2019. ``backtest``
# returns one row per forecast, with ``lower_80``, ``upper_80``, ... columns;
# ``backtest_errors`` turns them into coverage, width and interval score per
# step ahead.
import pandas as pd

from skts.forecasting import ConformalForecaster, NaiveSeasonal, SARIMAEstimator
from skts.model_selection import backtest, backtest_errors

textbook = dict(p=1, D=1, Q=1, season_length=7)
forecasters = {
    "seasonal naive (native)": NaiveSeasonal(season_length=7),
    "SARIMA (native, Gaussian)": SARIMAEstimator(**textbook),
    "SARIMA (conformal)": ConformalForecaster(SARIMAEstimator(**textbook), calibration_horizon=7),
}
errors = {}
for name, model in forecasters.items():
    frame = backtest(model, None, rail, start="2019-01-01", horizon=7, coverage=[0.8, 0.95])
    errors[name] = backtest_errors(frame, ["coverage", "interval_score", "width"])

# %%
# Coverage in percent at each step ahead; the goal is the nominal coverage
# within 3 points. The Gaussian SARIMA interval is right at 95% but too wide
# at 80%: the errors are heavy-tailed (holidays, storms), so the variance that
# covers them at 95% over-covers ordinary days at 80%. The conformal
# intervals read the quantiles off the errors themselves.
coverage = pd.DataFrame(
    {(name, level): 100 * table[f"coverage_{level}"] for name, table in errors.items() for level in ("80", "95")}
).T.round(0)
coverage

# %%
# Interval score (the width plus a penalty for each miss, in millions of
# riders; lower is better) and mean width, averaged over the 7 steps.
summary = pd.DataFrame(
    {
        name: {
            "score 80%": table["interval_score_80"].mean(),
            "width 80%": table["width_80"].mean(),
            "score 95%": table["interval_score_95"].mean(),
            "width 95%": table["width_95"].mean(),
        }
        for name, table in errors.items()
    }
).T.round(3)
summary

# %%
# The calibration at a glance: coverage per step ahead against the nominal
# level (grey), one panel per level.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharex=True)
for ax, level in zip(axes, ("80", "95")):
    for name in errors:
        row = coverage.loc[(name, level)]
        ax.plot(row.index, row.to_numpy(), marker="o", label=name)
    ax.axhline(int(level), color="grey", linewidth=1)
    ax.set(xlabel="steps ahead", ylabel="coverage (%)", title=f"{level}% intervals")
axes[0].legend(fontsize="small")
fig.suptitle("Rail ridership 2019: interval coverage per step ahead")
fig.tight_layout()

# %%
# A two-week conformal forecast into 2020, from the model fitted on all of
# 2016-2019, shaded by its 80% and 95% intervals.
from skts.plotting import plot_forecast

model = ConformalForecaster(SARIMAEstimator(**textbook), calibration_horizon=14).fit(None, rail)
ax = plot_forecast(rail, model.forecast(14, coverage=[0.8, 0.95]), last=56, title="Rail ridership (millions)")
