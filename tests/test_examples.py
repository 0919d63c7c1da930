"""The textbook's scripts run end to end in smoke mode and print their results tables.

The chapter reproduced on the ridership and sine data (``benchmarks/ridership.py``,
``synthetic.py``, ``grid_search.py``) takes minutes to hours in full, so it lives
beside the benchmarks; the documentation's gallery (``examples/``) is executed by
the site's build instead. Each script's ``main(argv)`` is imported and run with
``--smoke`` (tiny networks, 1 epoch), in this process so that TensorFlow is
imported once. The tables must hold every row the full run prints; the rows
whose value does not depend on training are checked against a hand computation.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from skts.datasets import load_ridership, make_sine_panel

# Smoke runs of whole scripts: CI runs them, the quick command (-m "not slow") skips them.
pytestmark = pytest.mark.slow

SCRIPTS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def example(monkeypatch):
    """Import a script by name, with its folder importable (for _common)."""
    monkeypatch.syspath_prepend(str(SCRIPTS))

    def load(name):
        spec = importlib.util.spec_from_file_location(f"skts_example_{name}", SCRIPTS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


@pytest.fixture(scope="module")
def rail():
    return load_ridership()["rail"]


def _naive_mae(series, first, last):
    """Hand-written mean |y[t] - y[t - 7]| over the days first..last."""
    errors = (series - series.shift(7)).loc[first:last].abs()
    return errors.mean()


RIDERSHIP_MODELS = [
    "naive (7 days back): bus",
    "naive (7 days back): rail",
    "naive (7 days back): rail",
    "SARIMA(1,0,0)(0,1,1,7), daily refit",
    "SARIMA(1,0,0)(0,1,1,7), fit once + update",
    "linear (HuberRegressor, 56 lags)",
    "SimpleRNN(1)",
    "SimpleRNN(32)",
    "deep RNN, 3 x SimpleRNN(32)",
    "multivariate SimpleRNN(32)",
    "multitask SimpleRNN(32): bus",
    "multitask SimpleRNN(32): rail",
    "14 d recursive, SimpleRNN(32)",
    "14 d seq2vec, SimpleRNN(32)",
    "14 d seq2seq, SimpleRNN(32)",
    "14 d seq2seq, LN SimpleRNN(32)",
    "14 d seq2seq, LSTM(32)",
    "14 d seq2seq, GRU(32)",
    "14 d seq2seq, Conv1D + GRU(32), 112 d",
    "14 d WaveNet, simple, 112 d",
    "14 d WaveNet, gated, 112 d",
]


def test_ridership(example, rail, capsys):
    table = example("ridership").main(["--smoke"])

    assert list(table["model"]) == RIDERSHIP_MODELS
    assert np.isfinite(table["MAE"]).all() and (table["MAE"] > 0).all()
    fourteen_days = table["period"].str.endswith("14 d")
    assert fourteen_days.sum() == 9
    steps = ["t+1", "t+14", "Feb 26+ t+1", "Feb 26+ t+14"]
    assert np.isfinite(table.loc[fourteen_days, steps].to_numpy()).all()
    assert table.loc[~fourteen_days, steps].isna().all().all()
    # Only the rows scored on the validation period have the book-period columns.
    assert table["Feb 26+ MAE"].isna().sum() == 4
    # The naive rows need no training: the smoke run's week and the validation period.
    assert table.loc[1, "MAE"] == pytest.approx(_naive_mae(rail, "2019-05-25", "2019-05-31"))
    assert table.loc[2, "MAE"] == pytest.approx(_naive_mae(rail, "2019-01-01", "2019-05-31"))
    assert table.loc[2, "Feb 26+ MAE"] == pytest.approx(_naive_mae(rail, "2019-02-26", "2019-05-31"))
    assert table.loc[table["model"] == "SimpleRNN(32)", "book MAE"].item() == "27,703"
    out = capsys.readouterr().out
    assert "| model" in out and "python benchmarks/ridership.py --smoke" in out
    assert all(name in out for name in RIDERSHIP_MODELS)


def test_ridership_only_selects_rows(example):
    table = example("ridership").main(["--smoke", "--only", "sarima"])

    assert list(table["model"]) == RIDERSHIP_MODELS[3:5]


def test_ridership_only_rejects_unknown_rows(example):
    with pytest.raises(SystemExit):
        example("ridership").main(["--only", "transformer"])


def test_synthetic(example, capsys):
    table = example("synthetic").main(["--smoke"])

    assert list(table["forecast"]) == ["1 step"] * 4 + ["10 steps"] * 9
    # Naive and linear appear for both horizons.
    assert len(set(table["model"])) == 11
    assert np.isfinite(table["validation MSE"]).all()
    # Naive rows by hand, on the validation series (700..899) of the smoke
    # panels: 51 steps for one step ahead, 60 for ten.
    one = make_sine_panel(1000, 51, random_state=42)[700:900]
    ten = make_sine_panel(1000, 60, random_state=42)[700:900]
    assert table.loc[0, "validation MSE"] == pytest.approx(np.mean((one[:, 50] - one[:, 49]) ** 2))
    assert table.loc[4, "validation MSE"] == pytest.approx(np.mean((ten[:, 50:] - ten[:, 49:50]) ** 2))
    assert "WaveNet" in capsys.readouterr().out


def test_grid_search(example, rail, capsys):
    results = example("grid_search").main(["--smoke"])

    sarima = results["sarima"]
    assert len(sarima) == 4 and set(sarima["d"]) == {0}
    assert sarima["CV MAE"].is_monotonic_increasing
    assert list(results["rnn"]["units"].sort_values()) == [2, 4]
    assert len(results["wavenet"]) == 2
    comparison = results["comparison"]
    p, d, q = (int(sarima.loc[0, order]) for order in "pdq")
    assert list(comparison["model"]) == [
        "naive (7 days back)",
        f"SARIMA({p},{d},{q})(0,1,1,7)",
        f"GRU (units={results['rnn'].loc[0, 'units']})",
        f"WaveNet (filters=2, n_blocks={results['wavenet'].loc[0, 'n_blocks']})",
    ]
    assert np.isfinite(comparison[["MAE t+1", "MAE t+14", "MAE 1-14"]].to_numpy()).all()
    # Naive forecasts repeat last week, whatever the horizon: t+1 errors are the
    # 7-day differences of the days forecast one step ahead (Jan 1 .. May 18).
    assert comparison.loc[0, "MAE t+1"] == pytest.approx(_naive_mae(rail, "2019-01-01", "2019-05-18"))
    out = capsys.readouterr().out
    assert out.count("## ") == 4
