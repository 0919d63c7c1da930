"""benchmarks/interop.py runs end to end in smoke mode; its training-free rows are checked by hand."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from skts.datasets import load_ridership

pytest.importorskip("sktime")

EXAMPLES = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.mark.slow
def test_interop_example_smoke(monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(EXAMPLES))
    spec = importlib.util.spec_from_file_location("skts_example_interop", EXAMPLES / "interop.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = module.main(["--smoke"])
    out = capsys.readouterr().out
    assert "One GridSearchCV over skts and sktime models" in out and "python benchmarks/interop.py --smoke" in out

    search = results["search"]
    assert len(search) == 10 + len(module.SMOKE.units) and search["CV MAE"].notna().all()
    assert set(search["model"]) == {
        "NaiveSeasonal",
        "SARIMAEstimator",
        "RNNForecaster",
        "sktime ThetaForecaster",
        "sktime AutoETS",
    }
    # Seasonal naive by hand: each 14-day fold of the smoke history forecast
    # from the week before it.
    rail = load_ridership()["rail"]
    y = rail.loc[module.SMOKE.search_history : "2018-12-31"].to_numpy()
    folds = []
    for split in range(module.SMOKE.splits):
        end = len(y) - (module.SMOKE.splits - split) * 14
        forecast = np.tile(y[end - 7 : end], 2)
        folds.append(np.mean(np.abs(y[end : end + 14] - forecast)))
    row = search[(search["model"] == "NaiveSeasonal") & (search["parameters"] == "season_length=7")]
    np.testing.assert_allclose(row["CV MAE"].iloc[0], np.mean(folds), rtol=1e-10)

    # sktime's evaluate of the wrapped naive model: ten 14-day windows of
    # 2019, each forecast from the week before its origin.
    evaluated = results["evaluate"]
    series = rail.loc[module.SMOKE.network_history : module.VALID_END]
    start = series.index.get_loc(module.VALID_START)
    errors = []
    for origin in range(start, len(series) - 13, 14):
        window = series.to_numpy()
        errors.append(np.mean(np.abs(window[origin : origin + 14] - np.tile(window[origin - 7 : origin], 2))))
    assert evaluated["origins"].iloc[0] == len(errors)
    np.testing.assert_allclose(evaluated["MAE 1-14"].iloc[0], np.mean(errors), rtol=1e-10)
