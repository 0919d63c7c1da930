"""
One model per series: forecasting a panel
=========================================

A panel of series is a wide ``y``: rows are time steps, columns are series.
:class:`~skts.compose.PerSeriesForecaster` fits a clone of a forecaster on
each column (in parallel with ``n_jobs``, on a Dask cluster inside
``joblib.parallel_backend("dask")``) and is itself a forecaster:
``forecast`` returns one column per series, with intervals, and
:func:`~skts.model_selection.backtest` evaluates every series at once.

The series here are six from :func:`~skts.datasets.make_sine_panel`, each a
sum of two sine waves of its own frequencies plus noise. A sum of two sines
follows an autoregression of order 4, so each series gets its own
``SARIMAEstimator(p=4)``, compared with the last value carried forward.
"""

# %%
# The panel: 6 series of 60 steps. The last 12 steps are held out.
import pandas as pd

from skts.datasets import make_sine_panel

panel = make_sine_panel(n_series=6, n_steps=60, random_state=42)
wide = pd.DataFrame(panel.T.astype(float), columns=[f"series {i}" for i in range(6)])
history, held_out = wide.iloc[:48], wide.iloc[48:]
wide.head()

# %%
# One AR(4) per series, fitted in parallel on two workers. ``forecast``
# labels the rows with the steps that follow the history (48 to 59) and
# returns the 80% interval of every series under its name.
from skts.compose import PerSeriesForecaster
from skts.forecasting import NaiveSeasonal, SARIMAEstimator

model = PerSeriesForecaster(SARIMAEstimator(p=4), n_jobs=2).fit(None, history)
forecast = model.forecast(12, coverage=0.8)
forecast["series 0"].round(3).head()

# %%
# Mean absolute error over the 12 held-out steps, per series, against the
# last value carried forward (``NaiveSeasonal()``, wrapped the same way).
# The AR(4) is closer on five series; on series 5 it is further off than
# the last value, which stayed near the held-out values by chance.
naive = PerSeriesForecaster(NaiveSeasonal()).fit(None, history)
errors = pd.DataFrame(
    {
        "AR(4)": (model.forecast(12) - held_out).abs().mean(),
        "last value": (naive.forecast(12) - held_out).abs().mean(),
    }
)
errors.round(3)

# %%
# Three of the series, one axis each: the history, the held-out steps, the
# forecast and its 80% interval.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(3, 1, figsize=(8, 7), sharex=True)
for ax, name in zip(axes, ["series 0", "series 1", "series 2"]):
    ax.plot(history.index, history[name], color="black", label="history")
    ax.plot(held_out.index, held_out[name], color="black", linestyle=":", label="held out")
    ax.plot(forecast.index, forecast[name]["forecast"], color="tab:blue", label="AR(4) forecast")
    ax.fill_between(
        forecast.index, forecast[name]["lower"], forecast[name]["upper"], color="tab:blue", alpha=0.2, label="80% interval"
    )
    ax.set_title(name)
axes[0].legend(loc="upper left", ncol=2, fontsize="small")
axes[-1].set_xlabel("time step")
fig.tight_layout()
plt.show()
