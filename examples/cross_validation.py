"""
Cross-validation and grid search with TimeSeriesSplit
=====================================================

skts forecasters work in scikit-learn's ``GridSearchCV`` and
``cross_val_score``, with one condition: the splitter must keep time in order.
This example shows what goes wrong with the default ``cv``, then searches
SARIMA orders on the monthly CO2 record (it ships with statsmodels) with
``TimeSeriesSplit`` and a MASE scorer.
"""

# %%
# The data: monthly means, 1982-2001. scikit-learn's splitters count the rows
# of ``X``, so ``X`` cannot be ``None`` here: a DataFrame with the index of
# ``y`` and no columns says "no covariates".
import pandas as pd
import statsmodels.api as sm

y = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().loc["1982":]
X = pd.DataFrame(index=y.index)

# %%
# The default ``cv`` gives NaN scores
# -----------------------------------
# Without ``cv=``, ``GridSearchCV`` uses a 5-fold ``KFold``: most training
# sets have a hole where the test fold was cut out, and the first test fold
# comes before its training rows. skts refuses both with an error that names
# ``TimeSeriesSplit``; scikit-learn catches the error, scores that fold NaN
# and warns. Every candidate then scores NaN.
import textwrap
import warnings

from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skts.forecasting import SARIMAEstimator

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    naive_search = GridSearchCV(SARIMAEstimator(D=1, Q=1, season_length=12), {"p": [0, 1]}).fit(X, y)
print("mean test scores:", naive_search.cv_results_["mean_test_score"])
# The errors behind the warnings, one of each kind:
errors = {str(w.message).strip().splitlines()[-1] for w in caught}
for error in sorted(errors):
    print(textwrap.fill(error, 88), end="\n\n")

# %%
# ``TimeSeriesSplit`` and a MASE scorer
# -------------------------------------
# ``TimeSeriesSplit(n_splits=4, test_size=12)`` fits on an expanding history
# and scores the next 12 months, four times. ``make_mase_scorer`` scales each
# fold's MAE by the seasonal naive MAE of that fold's own training history
# (``season_length=12``: "same month last year"), so below 1 beats it.
# ``maxiter=200`` gives statsmodels' optimiser room on the shorter folds.
from skts.metrics import make_mase_scorer

search = GridSearchCV(
    SARIMAEstimator(D=1, Q=1, season_length=12, maxiter=200),
    {"p": [0, 1, 2], "q": [0, 1]},
    cv=TimeSeriesSplit(n_splits=4, test_size=12),
    scoring=make_mase_scorer(season_length=12),
).fit(X, y)
results = pd.DataFrame(search.cv_results_)[["param_p", "param_q", "mean_test_score", "std_test_score"]]
results["MASE"] = -results["mean_test_score"]
print("best:", search.best_params_)
results.sort_values("MASE")

# %%
# The candidates' cross-validated MASE (lower is better), with the spread
# over the four folds.
import matplotlib.pyplot as plt

labels = [f"p={p}, q={q}" for p, q in zip(results["param_p"], results["param_q"])]
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.bar(labels, results["MASE"], yerr=results["std_test_score"], color="tab:blue", alpha=0.8)
ax.axhline(1, color="grey", linewidth=1)
ax.set(ylabel="MASE", title="SARIMA(p,0,q)(0,1,1,12) on CO2: MASE over 4 yearly folds")
fig.tight_layout()

# %%
# The search refits the best candidate on the whole history, so
# ``search.best_estimator_`` forecasts like any fitted forecaster.
search.best_estimator_.forecast(12, coverage=0.9).head(3)
