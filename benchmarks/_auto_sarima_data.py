"""Real series that ship inside pip packages (no network) for the AutoSARIMA benchmarks.

Each entry: name, values (float64, time order), season_length, frequency label
and the holdout horizon (two seasons, or 10 points for yearly data).
pmdarima's datasets need ``pip install pmdarima`` (benchmark only).
"""

import numpy as np


def load_series():
    import pmdarima.datasets as pmd
    import statsmodels.api as sm

    co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()
    macro = sm.datasets.macrodata.load_pandas().data
    series = [
        ("airpassengers", pmd.load_airpassengers(), 12, "monthly"),
        ("wineind", pmd.load_wineind(), 12, "monthly"),
        # The last 20 years of the Mauna Loa record, weekly averaged to months.
        ("co2", co2.to_numpy()[-240:], 12, "monthly"),
        ("woolyrnq", pmd.load_woolyrnq(), 4, "quarterly"),
        ("ausbeer", pmd.load_ausbeer(), 4, "quarterly"),
        ("us_unemployment", macro["unemp"].to_numpy(), 4, "quarterly"),
        ("lynx", pmd.load_lynx(), 1, "yearly"),
        ("nile", sm.datasets.nile.load_pandas().data["volume"].to_numpy(), 1, "yearly"),
        ("sunspots", sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(), 1, "yearly"),
    ]
    out = []
    for name, values, season_length, freq in series:
        y = np.asarray(values, dtype=np.float64)
        # pmdarima's ausbeer ends with one missing quarter.
        y = y[: len(y) - int(np.argmax(np.isfinite(y[::-1])))]
        horizon = 2 * season_length if season_length > 1 else 10
        out.append((name, y, season_length, freq, horizon))
    return out
