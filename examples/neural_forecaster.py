"""
A recurrent network with calendar covariates
============================================

:class:`~skts.neural.RNNForecaster` is a forecaster like the others: it
takes the history ``y`` and the covariates ``X`` known in advance, builds the
training windows itself, scales the data, trains a Keras network and
forecasts the rows after the history, recursively for several steps. Here a
small GRU learns Chicago's daily rail ridership from 2016-2018 with the day
type (weekday, Saturday, Sunday or holiday) as covariates, then is
backtested over January-May 2019 against the seasonal naive forecast.

The network is tiny and trains for a few epochs so that this page builds in
seconds; the :doc:`case study </case_study/ridership>` has the full trainings.
Needs the ``neural`` extra (TensorFlow and Keras).
"""

# %%
# The history and the covariates: one-hot day types, known in advance for
# every row (also the rows to forecast).
import pandas as pd

from skts.datasets import load_ridership

data = load_ridership().loc["2016-01-01":"2019-05-31"]
rail = data["rail"].astype(float)
day_type = pd.get_dummies(data["day_type"], dtype=float)

# %%
# A GRU on 8-week windows. ``random_state`` seeds the weights and the batch
# order, so this page draws the same figure at every build; ``verbose=0``
# (the default) trains silently.
from skts.neural import RNNForecaster

gru = RNNForecaster(cell="gru", units=16, seq_length=56, epochs=6, random_state=42)

# %%
# Fit on 2016-2018 and forecast 7 days from every day of January-May 2019,
# conditioning on each new day without retraining (``refit=False``). The
# seasonal naive forecast ("same day last week") is the baseline.
from skts.forecasting import NaiveSeasonal
from skts.model_selection import backtest, backtest_errors

models = {"naive (7 days back)": NaiveSeasonal(season_length=7), "GRU(16) + day type": gru}
errors = {}
for name, model in models.items():
    frame = backtest(model, day_type, rail, start="2019-01-01", horizon=7)
    errors[name] = backtest_errors(frame, ["mae"])["mae"]
errors = pd.DataFrame(errors)
errors.round(0)

# %%
# Mean absolute error per step ahead, in riders.
ax = errors.plot(marker="o", figsize=(6, 3.5))
ax.set(xlabel="steps ahead", ylabel="riders", title="Rail ridership, Jan-May 2019: MAE per step ahead")

# %%
# The fitted network forecasts the next two weeks from the end of May. The
# covariates of those days must be given: their day types.
from skts.plotting import plot_forecast

model = gru.fit(day_type.loc[:"2019-05-17"], rail.loc[:"2019-05-17"])
forecast = model.forecast(14, X=day_type.loc["2019-05-18":])
ax = plot_forecast(rail, forecast, last=42, title="Rail ridership: GRU forecast, 14 days")
