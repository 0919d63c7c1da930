"""Real series that ship inside pip packages (no network) for the AutoSARIMA benchmarks.

Each entry: name, values (float64, time order), season_length, frequency label,
the holdout horizon (two seasons, or 10 points for yearly and other
non-seasonal data) and the Fourier terms that stand in for long seasons, as
``(period, pairs)`` tuples (none: the season is modelled by the seasonal
ARIMA itself).
pmdarima's and sktime's datasets need ``pip install pmdarima sktime``
(benchmark only).
"""

import numpy as np


def load_series():
    import pmdarima.datasets as pmd
    import statsmodels.api as sm
    from sktime.datasets import load_uschange

    co2_weekly = sm.datasets.co2.load_pandas().data["co2"].interpolate()
    co2 = co2_weekly.resample("MS").mean().interpolate()
    macro = sm.datasets.macrodata.load_pandas().data
    elnino = sm.datasets.elnino.load_pandas().data.iloc[:, 1:].to_numpy().ravel()
    rates = sm.datasets.interest_inflation.load_pandas().data
    series = [
        ("airpassengers", pmd.load_airpassengers(), 12, "monthly",()),
        ("wineind", pmd.load_wineind(), 12, "monthly",()),
        # The last 20 years of the Mauna Loa record, weekly averaged to months.
        ("co2", co2.to_numpy()[-240:], 12, "monthly",()),
        # Monthly sunspot numbers, the last 20 years: no calendar season at all.
        ("sunspots_monthly", pmd.load_sunspots(), 12, "monthly",()),
        # Monthly Pacific sea surface temperature, the last 20 years.
        ("elnino", elnino[-240:], 12, "monthly",()),
        ("woolyrnq", pmd.load_woolyrnq(), 4, "quarterly",()),
        ("ausbeer", pmd.load_ausbeer(), 4, "quarterly",()),
        ("us_unemployment", macro["unemp"].to_numpy(), 4, "quarterly",()),
        ("austres", pmd.load_austres(), 4, "quarterly",()),
        ("us_inflation", macro["infl"].to_numpy(), 4, "quarterly",()),
        ("us_consumption", load_uschange()[0].to_numpy(), 4, "quarterly",()),
        ("german_rates", rates["R"].to_numpy(), 4, "quarterly",()),
        ("lynx", pmd.load_lynx(), 1, "yearly",()),
        ("nile", sm.datasets.nile.load_pandas().data["volume"].to_numpy(), 1, "yearly",()),
        ("sunspots", sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(), 1, "yearly",()),
        ("heartrate", pmd.load_heartrate(), 1, "other",()),
        # Ten years of weekly Mauna Loa CO2 (a year is 52.18 weeks).
        ("co2_weekly", co2_weekly.to_numpy()[-520:], 52, "weekly", ((365.25 / 7, 3),)),
        # The last 2,000 half-hours of England and Wales electricity demand:
        # a daily (48) and a weekly (336) cycle.
        ("taylor", pmd.load_taylor(), 48, "half-hourly", ((48, 10), (336, 3))),
    ]
    out = []
    for name, values, season_length, freq, fourier in series:
        y = np.asarray(values, dtype=np.float64)
        # pmdarima's ausbeer ends with one missing quarter.
        y = y[: len(y) - int(np.argmax(np.isfinite(y[::-1])))]
        if name == "taylor":
            y = y[-2000:]
        if name == "sunspots_monthly":
            y = y[-240:]
        horizon = 2 * season_length if season_length > 1 else 10
        out.append((name, y, season_length, freq, horizon, fourier))
    return out


def fourier_terms(n, terms):
    """Sine and cosine pairs of each ``(period, pairs)`` in ``terms`` at steps ``0 .. n - 1``, shape (n, 2 * total pairs)."""
    t = np.arange(n)[:, None]
    columns = []
    for period, pairs in terms:
        angle = 2 * np.pi * np.arange(1, pairs + 1)[None, :] * t / period
        columns += [np.sin(angle), np.cos(angle)]
    return np.hstack(columns)


def holdout_histories():
    """Each series' history before its holdout, as fitted: ``(y, X, season_length)``.

    The long seasons come as Fourier covariates ``X`` of a non-seasonal
    model (season length 1), as in the benchmark; ``X`` is None otherwise.
    """
    histories = []
    for _, y, m, _, h, pairs in load_series():
        X = fourier_terms(len(y), pairs)[:-h] if pairs else None
        histories.append((y[:-h], X, 1 if pairs else m))
    return histories
