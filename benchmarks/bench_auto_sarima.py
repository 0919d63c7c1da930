"""AutoSARIMA against pmdarima, statsforecast, a SARIMA grid search and seasonal naive.

Eighteen real series that ship inside pip packages (no network; see
benchmarks/_auto_sarima_data.py): monthly, quarterly, yearly, one weekly
(m=52) and one half-hourly (m=48). Each method is fitted on the rows before
a forecast origin and forecasts ``horizon`` rows (two seasons, 10 for
non-seasonal data):

- holdout: the origin leaves the last ``horizon`` rows out;
- rolling: three origins, ``season_length`` rows apart (2 for yearly data),
  the last of them the holdout origin; each origin is refitted.

The two long seasons (52 weeks, 48 half-hours) are modelled by every method
alike as Fourier terms (sine-cosine pairs of the year; of the day and the
week) given as covariates to a non-seasonal ARIMA, as auto.arima users do:
a seasonal ARMA over 48 or 52 lags costs every method minutes per fit
(AutoSARIMA 431 s for one fit on the half-hourly series).

MASE scales the mean absolute error by the in-sample MAE of the seasonal
naive forecast (lag ``season_length``, lag 1 for yearly data) on the same
training rows. Per method: MASE per series, the geometric mean over series,
and total CPU seconds (fits and forecasts, time.process_time) over all fits.
statsforecast compiles with numba on first use: one warm-up fit runs before
the clock starts.

``--ridership`` runs the CTA rail and bus series (``SKTS_DATA_HOME`` for the
cached data) under two protocols, one-step forecasts without refit (the
parameters fixed, the history growing): the textbook's (fit January-February
2019, forecast March-May 2019) and a longer one (fit 2016-2018, forecast
2019). MAE in riders, and CPU seconds.

Run with single-threaded BLAS (multi-threaded OpenBLAS makes every
statsmodels-based method crawl on a busy 2-core machine):

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_auto_sarima.py [--only NAME ...] [--methods NAME ...]
    SKTS_DATA_HOME=../shared/data OPENBLAS_NUM_THREADS=1 python benchmarks/bench_auto_sarima.py --ridership

``--rail`` runs the diagnosis of the textbook check on the rail series:
AutoSARIMA's candidates and variants, and the peers. ``--pile-up`` simulates
how often exact maximum likelihood and CSS put a seasonal MA at the
invertibility boundary. ``--blas`` times the eighteen holdout searches with
and without AutoSARIMA's one-BLAS-thread limit, in fresh processes with
OpenBLAS' default thread count (not under ``OPENBLAS_NUM_THREADS=1``).

AutoSARIMA's estimator variants, for the comparison table of
docs/benchmarks/auto_sarima.md: ``--candidate-fit {css,ml}`` (its
``candidate_fit``), ``--ma-root-rule`` (candidates with an MA root within
1.01 of the unit circle rejected, as auto.arima does) and
``--keep-css-estimate`` (the chosen model keeps the CSS estimate instead of
the maximum-likelihood refit; with ``--ma-root-rule``, what statsforecast
2.1.1's AutoARIMA effectively does) and ``--average-within DELTA`` (point
forecasts averaged over the candidates within DELTA AICc of the best, with
Akaike weights).

Needs the peers and their data: ``pip install ".[bench,sktime]"``.
"""

import argparse
import contextlib
import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _auto_sarima_data import fourier_terms, load_series  # noqa: E402


def _none(h):
    return np.empty((h, 0))


# AutoSARIMA's options, set by ``--candidate-fit``.
AUTO_SARIMA_OPTIONS = {}


def _skts_auto(y, m, h, X=None, X_future=None):
    from skts.forecasting import AutoSARIMA

    model = AutoSARIMA(season_length=m, **AUTO_SARIMA_OPTIONS).fit(X, y)
    return model.predict(X_future if X is not None else _none(h)), model


def _skts_grid(y, m, h, X=None, X_future=None):
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

    from skts.forecasting import SARIMAEstimator

    seasonal = dict(D=1, Q=1, season_length=m) if m > 1 else {}
    grid = {"p": [0, 1, 2], "d": [0, 1], "q": [0, 1], "trend": ["n", "c"]}
    search = GridSearchCV(
        SARIMAEstimator(**seasonal),
        grid,
        cv=TimeSeriesSplit(n_splits=3, test_size=h),
        scoring="neg_mean_absolute_error",
        error_score=np.nan,
    )
    search.fit(X if X is not None else _none(len(y)), y)
    return search.predict(X_future if X is not None else _none(h)), search.best_params_


def _pmdarima(y, m, h, X=None, X_future=None):
    import pmdarima

    model = pmdarima.auto_arima(y, X=X, m=m, seasonal=m > 1, suppress_warnings=True, error_action="ignore")
    return np.asarray(model.predict(h, X=X_future)), model.order + model.seasonal_order


def _statsforecast(y, m, h, X=None, X_future=None):
    from statsforecast.models import AutoARIMA

    model = AutoARIMA(season_length=m).fit(y, X=X)
    return np.asarray(model.predict(h, X=X_future)["mean"]), None


def _naive(y, m, h, X=None, X_future=None):
    season = y[-m:]
    return np.resize(season, h) if m > 1 else np.repeat(y[-1], h), None


METHODS = {
    "AutoSARIMA": _skts_auto,
    "GridSearchCV(SARIMA)": _skts_grid,
    "pmdarima.auto_arima": _pmdarima,
    "statsforecast AutoARIMA": _statsforecast,
    "seasonal naive": _naive,
}
# The grid search is the slowest and least informative arm on the long series.
DEFAULT_METHODS = ["AutoSARIMA", "pmdarima.auto_arima", "statsforecast AutoARIMA", "seasonal naive"]


def _mase(train, actual, forecast, m):
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    return float(np.mean(np.abs(actual - forecast)) / scale)


def _geomean(values):
    return float(np.exp(np.mean(np.log(values))))


def drift_demo():
    """The airline series, last two years held out: the same orders without and with drift."""
    from skts.forecasting import SARIMAEstimator

    name, y, m, _, h, _ = load_series()[0]
    train, actual = y[:-h], y[-h:]
    print(f"\n### Drift on {name} (holdout {h}): MASE\n")
    print("| model | trend='n' | trend='c' (drift) |")
    print("|---|---|---|")
    for orders in (dict(p=1, D=1, Q=1), dict(p=2, D=1), dict(p=1, d=1, q=1, D=1, Q=1)):
        scores = []
        for trend in ("n", "c"):
            model = SARIMAEstimator(**orders, season_length=m, trend=trend).fit(None, train)
            scores.append(_mase(train, actual, model.predict(np.empty((h, 0))), m))
        label = f"SARIMA({orders.get('p', 0)},{orders.get('d', 0)},{orders.get('q', 0)})"
        label += f"({orders.get('P', 0)},{orders.get('D', 0)},{orders.get('Q', 0)},{m})"
        print(f"| {label} | {scores[0]:.3f} | {scores[1]:.3f} |")


@contextlib.contextmanager
def _ma_roots_checked(auto_module, active):
    """AutoSARIMA's near-unit-root rule applied to the MA roots too, as auto.arima's.

    The search rejects a candidate whose AR polynomial (as ``fit_arma``
    returns it) has a root within 1.01 of the unit circle; handing it the
    product of the AR and MA polynomials puts the MA roots under the same rule.
    """
    if not active:
        yield
        return
    from skts.forecasting._arma_likelihood import arma_polynomials

    original = auto_module.fit_arma

    def fit_arma(w, X, p, q, P, Q, m, mean, maxiter, method="ml"):
        llf, n_params, converged, params, ar_poly = original(w, X, p, q, P, Q, m, mean, maxiter, method=method)
        _, ma_poly = arma_polynomials(params[int(mean) + X.shape[1] :], p, q, P, Q, m)
        return llf, n_params, converged, params, np.convolve(ar_poly, ma_poly)

    auto_module.fit_arma = fit_arma
    try:
        yield
    finally:
        auto_module.fit_arma = original


@contextlib.contextmanager
def _css_estimate_kept(auto_module, active):
    """AutoSARIMA's chosen model keeps the CSS estimate the search scored, as statsforecast 2.1.1's CSS-ML does.

    statsforecast's maximum-likelihood step after CSS does not move from the
    CSS estimate (docs/benchmarks/auto_sarima.md says why); this variant
    replaces the chosen model's maximum-likelihood parameters by the CSS ones.
    Parameters in statsmodels' order: constant, covariates, AR, MA, seasonal AR, seasonal MA.
    """
    if not active:
        yield
        return
    from skts.forecasting._arma_likelihood import fit_arma

    original = auto_module.AutoSARIMA._fit

    def _fit(self, y, X):
        original(self, y, X)
        if self.search_results_["status"][0] in ("exact fit", "constant end"):
            return  # chosen by a rule, nothing estimated
        (p, d, q), (P, D, Q, m) = self.order_, self.seasonal_order_
        fitted = self.best_estimator_
        w, covariates = fitted.y_[:, :1], fitted.X_
        for _ in range(d):
            w, covariates = np.diff(w, axis=0), np.diff(covariates, axis=0)
        for _ in range(D):
            w, covariates = w[m:] - w[:-m], covariates[m:] - covariates[:-m]
        mean = self.trend_ == "c"
        params = fit_arma(w[:, 0], covariates, p, q, P, Q, m, mean, self.maxiter, method="css")[3]
        if mean and d + D == 1 and D == 1:
            params[0] /= m  # statsmodels' drift is the slope of t, whose seasonal difference is m
        fitted.params_ = params
        fitted._results = None

    auto_module.AutoSARIMA._fit = _fit
    try:
        yield
    finally:
        auto_module.AutoSARIMA._fit = original


@contextlib.contextmanager
def _candidates_averaged(auto_module, delta):
    """AutoSARIMA forecasts the Akaike-weighted mean of its candidates within ``delta`` of the least criterion.

    Each candidate within ``delta`` is refitted as the chosen model is (exact
    maximum likelihood on the standardised history) and weighted by
    ``exp(-(AICc - least AICc) / 2)`` of that refit (Burnham and Anderson's
    Akaike weights); point forecasts, from ``predict`` and ``predict_rolling``,
    are the weighted mean. ``delta=None`` leaves AutoSARIMA as it is.
    """
    if delta is None:
        yield
        return
    cls = auto_module.AutoSARIMA
    originals = cls._fit, cls._predict, cls._rolling_forecasts

    def _fit(self, y, X):
        originals[0](self, y, X)
        self._members = None
        table = self.search_results_
        if table["status"][0] in ("exact fit", "constant end"):
            return  # chosen by a rule, nothing to average
        criteria = np.asarray(table["criterion"], dtype=float)
        close = np.flatnonzero(np.isfinite(criteria) & (criteria - criteria.min() <= delta))
        z = self._standardised(y)
        members = []
        for i in close:
            orders = [table[k][i] for k in ("p", "d", "q", "P", "D", "Q", "trend")]
            candidate = self._candidate(*orders, X.shape[1])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    members.append(candidate.fit(X, z[:, 0]))
                except (ValueError, np.linalg.LinAlgError):
                    continue
        aicc = np.array([member.aicc_ for member in members])
        weights = np.exp(-(aicc - aicc.min()) / 2)
        self._members = (weights / weights.sum(), members)

    def _predict(self, horizon, X):
        if self._members is None:
            return originals[1](self, horizon, X)
        weights, members = self._members
        return self._original_units(sum(w * member._predict(horizon, X) for w, member in zip(weights, members)))

    def _rolling_forecasts(self, y, X, origins, horizon):
        if self._members is None:
            return originals[2](self, y, X, origins, horizon)
        weights, members = self._members
        z = self._standardised(y)
        forecasts = [member._rolling_forecasts(z, X, origins, horizon) for member in members]
        return self._original_units(sum(w * f for w, f in zip(weights, forecasts)))

    cls._fit, cls._predict, cls._rolling_forecasts = _fit, _predict, _rolling_forecasts
    try:
        yield
    finally:
        cls._fit, cls._predict, cls._rolling_forecasts = originals


def pile_up(draws=150, m=7):
    """How often exact ML and CSS put a seasonal MA estimate at the invertibility boundary.

    Draws of ``w_t = e_t + Theta * e_{t-m}`` (the seasonally differenced
    series of a fixed-pattern-plus-noise model) over a few numbers of
    seasons, each fitted as SARIMA(0, 0, 0)(0, 0, 1, m) by both estimators.
    """
    from skts.forecasting._arma_likelihood import fit_arma

    rng = np.random.default_rng(0)
    print("| Theta | seasons | exact ML: share with estimate beyond -0.99 | CSS: share | median ML | median CSS |")
    print("|---:|---:|---:|---:|---:|---:|")
    for theta in (-0.5, -0.8):
        for seasons in (5, 8, 12, 20, 40):
            n = seasons * m
            estimates = {"ml": [], "css": []}
            for _ in range(draws):
                e = rng.normal(size=n + m)
                w = e[m:] + theta * e[:-m]
                for method in estimates:
                    with warnings.catch_warnings():
                        # statsmodels' notes on its start values, re-enabled when it is imported.
                        warnings.simplefilter("ignore")
                        params = fit_arma(w / w.std(), np.empty((n, 0)), 0, 0, 0, 1, m, False, 50, method=method)[3]
                    estimates[method].append(params[0])
            ml, css = np.array(estimates["ml"]), np.array(estimates["css"])
            print(
                f"| {theta} | {seasons} | {np.mean(ml < -0.99):.2f} | {np.mean(css < -0.99):.2f} "
                f"| {np.median(ml):.3f} | {np.median(css):.3f} |"
            )


BLAS_SNIPPET = """
import contextlib, sys, time, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[2])
from _auto_sarima_data import holdout_histories
import skts.forecasting._auto_sarima as auto_module
import skts.forecasting._sarima as sarima_module
from skts.forecasting import AutoSARIMA

if sys.argv[1] == "threaded":
    auto_module.one_blas_thread = sarima_module.one_blas_thread = contextlib.nullcontext
histories = holdout_histories()
cpu, wall = time.process_time(), time.perf_counter()
for y, X, m in histories:
    AutoSARIMA(season_length=m).fit(X, y)
print(time.process_time() - cpu, time.perf_counter() - wall)
"""


def blas_limit(repeats):
    """Whether AutoSARIMA's one-BLAS-thread limit still pays, and what another thread sees meanwhile.

    The eighteen holdout searches in fresh processes with OpenBLAS' default
    thread count, with AutoSARIMA's limit (the default) and without it, on
    their own and beside a neighbour process that keeps one core busy (a
    shared machine). Then the share of samples, taken by a second thread
    every 2 ms during the same searches, in which BLAS is limited to one
    thread: the limit is process-wide.
    """
    import ast
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    here = os.path.dirname(os.path.abspath(__file__))

    def run(which):
        out = subprocess.run(
            [sys.executable, "-c", BLAS_SNIPPET, which, here], env=env, check=True, capture_output=True, text=True
        )
        return [float(v) for v in out.stdout.split()]

    probe = "import numpy; from threadpoolctl import threadpool_info; print(threadpool_info())"
    probed = subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True)
    libraries = ast.literal_eval(probed.stdout)
    blas = [(i["internal_api"], i["version"], i["num_threads"]) for i in libraries if i["user_api"] == "blas"]
    print(f"load before: {os.getloadavg()}; BLAS in a fresh process (library, version, threads): {blas}")
    print("| machine | AutoSARIMA's BLAS | CPU s (median) | wall s (median) | runs (CPU s) |")
    print("|---|---|---:|---:|---|")
    for machine in ("idle", "one core busy"):
        neighbour = None
        if machine == "one core busy":
            neighbour = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            for which in ("one thread", "threaded"):
                runs = [run(which) for _ in range(repeats)]
                cpu, wall = np.median(runs, axis=0)
                listed = ", ".join(f"{c:.1f}" for c, _ in runs)
                print(f"| {machine} | {which} | {cpu:.1f} | {wall:.1f} | {listed} |", flush=True)
        finally:
            if neighbour is not None:
                neighbour.kill()
                neighbour.wait()

    sampled = subprocess.run(
        [sys.executable, "-c", BLAS_SAMPLER, here], env=env, check=True, capture_output=True, text=True
    )
    print(sampled.stdout.strip())
    print(f"load after: {os.getloadavg()}")


BLAS_SAMPLER = """
import sys, threading, time, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[1])
from threadpoolctl import threadpool_info
from _auto_sarima_data import holdout_histories
from skts.forecasting import AutoSARIMA

samples, done = [], threading.Event()

def sample():
    while not done.is_set():
        samples.append(min(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"))
        time.sleep(0.002)

histories = holdout_histories()
sampler = threading.Thread(target=sample)
sampler.start()
for y, X, m in histories:
    AutoSARIMA(season_length=m).fit(X, y)
done.set()
sampler.join()
limited = sum(s == 1 for s in samples)
share = f"{limited} of {len(samples)} samples ({limited / len(samples):.0%})"
print(f"another thread saw BLAS at one thread in {share} during the 18 searches")
"""


def rail_diagnosis():
    """The textbook check on the rail series: what is chosen, and what each choice forecasts."""
    import pandas as pd

    import skts.forecasting._auto_sarima as auto_module
    from skts.forecasting import AutoSARIMA, SARIMAEstimator
    from skts.datasets import load_ridership
    from skts.model_selection import backtest

    rail = load_ridership()["rail"].loc["2019-01-01":"2019-05-31"].astype(float)
    X = pd.DataFrame(index=rail.index)
    history = rail.loc[:"2019-03-01"].iloc[:-1]
    n, actual = len(history), rail.values[len(history) :]

    def mae(model):
        frame = backtest(model, X, rail, start="2019-03-01", horizon=1, refit=False)
        return float((frame["actual"] - frame["forecast"]).abs().mean())

    def label(order, seasonal, trend):
        return f"SARIMA{order}{seasonal}" + (" + constant" if trend == "c" else "")

    print("### AutoSARIMA variants (fitted on Jan-Feb 2019, updated daily over Mar-May)\n")
    print("| variant | chosen | AICc | candidates | MAE t+1 |")
    print("|---|---|---:|---:|---:|")
    variants = [
        ("default (stepwise)", {}, False),
        ('search="grid"', {"search": "grid"}, False),
        ('information_criterion="bic"', {"information_criterion": "bic"}, False),
        ("D=0 (what OCSB and Canova-Hansen choose)", {"D": 0}, False),
        ("auto.arima's root rule on MA roots too", {}, True),
        ("auto.arima's root rule on MA roots too, grid", {"search": "grid"}, True),
    ]
    default = None
    for name, params, ma_rule in variants:
        with _ma_roots_checked(auto_module, ma_rule):
            model = AutoSARIMA(season_length=7, **params).fit(X.loc[history.index], history)
            score = mae(AutoSARIMA(season_length=7, **params))
        default = default or model
        chosen = label(model.order_, model.seasonal_order_, model.trend_)
        print(f"| {name} | {chosen} | {model.criterion_:,.2f} | {model.n_candidates_} | {score:,.0f} |")

    # The chosen model refitted as statsmodels fits by default (variance not
    # concentrated out); the candidates are scored as before.
    original = auto_module.AutoSARIMA._candidate

    def plain_candidate(self, *args, **kwargs):
        estimator = original(self, *args, **kwargs)
        estimator.concentrate_scale = False
        return estimator

    auto_module.AutoSARIMA._candidate = plain_candidate
    try:
        model = AutoSARIMA(season_length=7).fit(X.loc[history.index], history)
        score = mae(AutoSARIMA(season_length=7))
    finally:
        auto_module.AutoSARIMA._candidate = original
    chosen = label(model.order_, model.seasonal_order_, model.trend_)
    print(f"| chosen model refitted without concentrate_scale | {chosen} | {model.criterion_:,.2f} | {model.n_candidates_} | {score:,.0f} |")
    from skts.compose import TransformedTargetForecaster

    logged = TransformedTargetForecaster(AutoSARIMA(season_length=7), transformer="log")
    model = logged.fit(X.loc[history.index], history).forecaster_
    chosen = label(model.order_, model.seasonal_order_, model.trend_)
    print(f"| log target | {chosen} | {model.criterion_:,.2f} | {model.n_candidates_} | {mae(logged):,.0f} |")

    print("\n### The default search's candidates, each fitted as AutoSARIMA fits it\n")
    print("| model | AICc | seasonal MA | least MA root modulus | MAE t+1 | MAE t+1, statsmodels' default fit |")
    print("|---|---:|---:|---:|---:|---:|")
    table = pd.DataFrame(default.search_results_).sort_values("aicc", kind="stable")
    for row in table.head(14).itertuples():
        seasonal_length = 7 if (row.P or row.D or row.Q) else 0
        fitted = default._candidate(row.p, row.d, row.q, row.P, row.D, row.Q, row.trend, 0)
        results = fitted.fit(X.loc[history.index], history).results_
        params = dict(zip(results.param_names, results.params))
        plain = SARIMAEstimator(
            p=row.p, q=row.q, P=row.P, D=row.D, Q=row.Q, season_length=seasonal_length, trend=row.trend
        )
        roots = np.abs(results.maroots).min(initial=np.inf)
        print(
            f"| {label((row.p, row.d, row.q), (row.P, row.D, row.Q, 7), row.trend)} | {row.aicc:,.2f} "
            f"| {params.get('ma.S.L7', float('nan')):.3f} | {roots:.4f} | {mae(fitted):,.0f} | {mae(plain):,.0f} |"
        )

    try:
        import pmdarima
        from statsforecast.models import ARIMA as StatsforecastARIMA
        from statsforecast.models import AutoARIMA
    except ImportError:
        print("\n(peers not installed: pip install pmdarima statsforecast)")
        return
    print("\n### Peers\n")
    auto = pmdarima.auto_arima(history.values, m=7, suppress_warnings=True, error_action="ignore")
    fixed = auto.arima_res_.append(actual).get_prediction(start=n, end=len(rail) - 1).predicted_mean
    forecasts = []
    for value in actual:
        forecasts.append(float(auto.predict(1)[0]))
        auto.update([value])  # a few optimiser iterations from the current parameters
    from pmdarima.arima import ndiffs, nsdiffs

    print(
        f"pmdarima.auto_arima(m=7): SARIMA{auto.order}{auto.seasonal_order} intercept={auto.with_intercept}; "
        f"nsdiffs ocsb={nsdiffs(history.values, m=7, test='ocsb')} ch={nsdiffs(history.values, m=7, test='ch')}, "
        f"ndiffs kpss={ndiffs(history.values, test='kpss')}; MAE t+1 with its parameters fixed "
        f"(arima_res_.append) {np.mean(np.abs(actual - fixed)):,.0f}, with predict/update daily "
        f"{np.mean(np.abs(actual - np.array(forecasts))):,.0f}"
    )
    sf = AutoARIMA(season_length=7).fit(history.values)
    forecasts = [float(sf.forward(y=rail.values[: n + i], h=1)["mean"][0]) for i in range(len(actual))]
    arma = sf.model_["arma"]  # p, q, P, Q, m, d, D
    print(
        f"statsforecast AutoARIMA(season_length=7): SARIMA({arma[0]},{arma[5]},{arma[1]})({arma[2]},{arma[6]},{arma[3]},7), "
        f"coefficients { {k: round(float(v), 3) for k, v in sf.model_['coef'].items()} }; MAE t+1 "
        f"(forward on the history so far, parameters fixed) {np.mean(np.abs(actual - np.array(forecasts))):,.0f}"
    )
    print("\n| orders, (0,1,1,7) | statsforecast CSS-ML: AICc | seasonal MA | MAE t+1 | pmdarima/statsmodels default: AICc | seasonal MA | MAE t+1 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for order in [(0, 0, 1), (1, 0, 0), (1, 0, 1), (0, 0, 2)]:
        for constant in (False, True):
            sfm = StatsforecastARIMA(order=order, seasonal_order=(0, 1, 1), season_length=7, include_drift=constant)
            sfm = sfm.fit(history.values)
            sf_mae = np.mean(np.abs(actual - sfm.forward(y=rail.values, h=1, fitted=True)["fitted"][n:]))
            pm = pmdarima.ARIMA(order, (0, 1, 1, 7), with_intercept=constant, suppress_warnings=True)
            pm = pm.fit(history.values)
            pred = pm.arima_res_.append(actual).get_prediction(start=n, end=len(rail) - 1).predicted_mean
            sma = dict(zip(pm.arima_res_.param_names, pm.params()))["ma.S.L7"]
            print(
                f"| {order}{' + constant' if constant else ''} | {sfm.model_['aicc']:,.2f} | {sfm.model_['coef']['sma1']:.3f} "
                f"| {sf_mae:,.0f} | {pm.aicc():,.2f} | {sma:.3f} | {np.mean(np.abs(actual - pred)):,.0f} |"
            )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", help="series names")
    parser.add_argument("--methods", nargs="*", help=f"method names (default: {DEFAULT_METHODS})")
    parser.add_argument("--drift", action="store_true", help="only the airline drift comparison")
    parser.add_argument("--rail", action="store_true", help="only the rail textbook-check diagnosis")
    parser.add_argument("--pile-up", action="store_true", help="only the boundary-estimate simulation (ML against CSS)")
    parser.add_argument("--ridership", action="store_true", help="only rail and bus, one step ahead, two protocols")
    parser.add_argument(
        "--blas",
        action="store_true",
        help="only the BLAS limit: the eighteen searches with and without it, idle and beside a busy core",
    )
    parser.add_argument("--repeats", type=int, default=3, help="repeats of each --blas measurement")
    parser.add_argument(
        "--ma-root-rule", action="store_true", help="AutoSARIMA rejects near-unit MA roots too, as auto.arima"
    )
    parser.add_argument("--candidate-fit", default="css", choices=["css", "ml"], help="AutoSARIMA's candidate_fit")
    parser.add_argument(
        "--keep-css-estimate",
        action="store_true",
        help="the chosen model keeps its CSS estimate instead of AutoSARIMA's maximum-likelihood refit",
    )
    parser.add_argument(
        "--average-within",
        type=float,
        metavar="DELTA",
        help="AutoSARIMA forecasts the Akaike-weighted mean of its candidates within DELTA AICc of the best",
    )
    args = parser.parse_args()
    AUTO_SARIMA_OPTIONS["candidate_fit"] = args.candidate_fit
    warnings.simplefilter("ignore")
    if args.rail:
        rail_diagnosis()
        return
    if args.pile_up:
        pile_up()
        return
    if args.drift:
        drift_demo()
        return
    if args.blas:
        blas_limit(args.repeats)
        return
    print(f"load before: {os.getloadavg()}  OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    print(
        f"AutoSARIMA candidate_fit={args.candidate_fit!r}, MA-root rule {'on' if args.ma_root_rule else 'off'}, "
        f"CSS estimate kept {'yes' if args.keep_css_estimate else 'no'}, "
        f"candidates averaged within {args.average_within}"
    )
    import skts.forecasting._auto_sarima as auto_module

    with (
        _ma_roots_checked(auto_module, args.ma_root_rule),
        _css_estimate_kept(auto_module, args.keep_css_estimate),
        _candidates_averaged(auto_module, args.average_within),
    ):
        if args.ridership:
            ridership(args)
        else:
            _compare(args)
    print(f"\nload after: {os.getloadavg()}")


def _selected_methods(args):
    names = args.methods or DEFAULT_METHODS
    methods = {k: METHODS[k] for k in names}
    if "statsforecast AutoARIMA" in methods:
        _statsforecast(np.sin(np.arange(48.0)) + np.arange(48.0), 12, 3)  # numba warm-up
    return methods


def _compare(args):
    """Every method's holdout and rolling MASE on every series, and its CPU seconds."""
    methods = _selected_methods(args)
    series = [s for s in load_series() if not args.only or s[0] in args.only]
    holdout = {k: {} for k in methods}
    rolling = {k: {} for k in methods}
    seconds = {k: 0.0 for k in methods}
    for name, y, m, freq, h, pairs in series:
        step = m if m > 1 else 2
        scale_lag = m if m > 1 else 1
        # Long seasons: Fourier covariates and a non-seasonal ARIMA for every method.
        X = fourier_terms(len(y), pairs) if pairs else None
        fitted_m = 1 if pairs else m
        for method, func in methods.items():
            scores, chosen = [], None
            for k in (2, 1, 0):
                end = len(y) - h - k * step
                train, actual = y[:end], y[end : end + h]
                covariates = (X[:end], X[end : end + h]) if pairs else (None, None)
                start = time.process_time()
                try:
                    if method == "seasonal naive":
                        forecast, info = func(train, m, h)
                    else:
                        forecast, info = func(train, fitted_m, h, *covariates)
                except Exception as exc:  # a peer that fails on a series scores nothing there
                    forecast, info = np.full(h, np.nan), f"failed: {type(exc).__name__}: {exc}"[:120]
                seconds[method] += time.process_time() - start
                scores.append(_mase(train, actual, forecast, scale_lag))
                if k == 0:
                    chosen = info
            holdout[method][name] = scores[-1]
            rolling[method][name] = float(np.mean(scores))
            label = chosen
            if method == "AutoSARIMA" and not isinstance(chosen, str):
                label = (
                    f"{chosen.order_}{chosen.seasonal_order_} {chosen.trend_} "
                    f"({chosen.n_candidates_} fits, {chosen.n_failed_} skipped)"
                )
            print(
                f"{name:16s} {freq:11s} {method:24s} holdout {scores[-1]:.3f} rolling {np.mean(scores):.3f}  "
                f"{label or ''}",
                flush=True,
            )
    names = [s[0] for s in series]
    complete = [n for n in names if all(np.isfinite(holdout[k][n]) and np.isfinite(rolling[k][n]) for k in methods)]
    for title, table in (("Holdout", holdout), ("Rolling, 3 origins (mean MASE per series)", rolling)):
        print(f"\n### {title}: MASE\n")
        print("| series | " + " | ".join(methods) + " |")
        print("|---" * (len(methods) + 1) + "|")
        for name in names:
            print(f"| {name} | " + " | ".join(f"{table[k][name]:.3f}" for k in methods) + " |")
        means = [_geomean([table[k][n] for n in complete]) for k in methods]
        print(f"| **geometric mean** ({len(complete)} series) | " + " | ".join(f"**{v:.3f}**" for v in means) + " |")
    print("\n### CPU seconds (all fits: 3 origins x series)\n")
    print("| " + " | ".join(methods) + " |")
    print("|---" * len(methods) + "|")
    print("| " + " | ".join(f"{seconds[k]:.1f}" for k in methods) + " |")


RIDERSHIP_PROTOCOLS = {
    "textbook (fit Jan-Feb 2019, forecast Mar-May 2019)": ("2019-01-01", "2019-03-01", "2019-05-31"),
    "long (fit 2016-2018, forecast 2019)": ("2016-01-01", "2019-01-01", "2019-12-31"),
}


def _ridership_forecasts(method, history, new):
    """One-step forecasts of ``new``, each from the history so far, the parameters fitted on ``history`` only."""
    y = np.r_[history, new]
    n = len(history)
    if method == "AutoSARIMA":
        from skts.forecasting import AutoSARIMA

        model = AutoSARIMA(season_length=7, **AUTO_SARIMA_OPTIONS).fit(None, history)
        return model.predict_rolling(None, new, horizon=1)[:, 0]
    if method == "pmdarima.auto_arima":
        import pmdarima

        model = pmdarima.auto_arima(history, m=7, suppress_warnings=True, error_action="ignore")
        # Parameters fixed: statsmodels' append without refit, one-step predictions.
        return np.asarray(model.arima_res_.append(new).get_prediction(start=n, end=len(y) - 1).predicted_mean)
    if method == "statsforecast AutoARIMA":
        from statsforecast.models import AutoARIMA

        model = AutoARIMA(season_length=7).fit(history)
        return np.array([float(model.forward(y=y[: n + i], h=1)["mean"][0]) for i in range(len(new))])
    if method == "seasonal naive":
        return y[n - 7 : len(y) - 7]
    raise ValueError(method)


def ridership(args):
    """Rail and bus, one step ahead without refit, under both protocols: MAE in riders and CPU seconds."""
    from skts.datasets import load_ridership

    methods = _selected_methods(args)
    data = load_ridership()
    print("| series | protocol | " + " | ".join(methods) + " |")
    print("|---|---" + "|---:" * len(methods) + "|")
    seconds = {k: 0.0 for k in methods}
    for column in ("rail", "bus"):
        values = data[column].astype(float)
        for protocol, (first, origin, last) in RIDERSHIP_PROTOCOLS.items():
            history = values.loc[first:origin].iloc[:-1].to_numpy()
            new = values.loc[origin:last].to_numpy()
            scores = []
            for method in methods:
                start = time.process_time()
                forecasts = _ridership_forecasts(method, history, new)
                seconds[method] += time.process_time() - start
                scores.append(float(np.mean(np.abs(new - forecasts))))
            print(f"| {column} | {protocol} | " + " | ".join(f"{v:,.0f}" for v in scores) + " |", flush=True)
    print("| CPU seconds (all four) | | " + " | ".join(f"{seconds[k]:.1f}" for k in methods) + " |")


if __name__ == "__main__":
    main()
