"""Chapter 15 of Hands-On Machine Learning (3rd ed.) on the CTA ridership, through skts only.

Every forecaster of the chapter, evaluated the book's way, in one results
table (markdown, on stdout; progress goes to stderr):

- naive "same day last week" for bus and rail, MAE and MAPE over March-May
  2019, and SARIMA(1,0,0)(0,1,1,7) refitted every day over the same 92 days
  on the history since 2019-01-01 (the book's loop), beside the same model
  fitted once and only updated (``refit=False``);
- one-step models on rail, fitted on 2016-01 to 2018-12 and scored by
  ``backtest(refit=False)`` on every day of the validation period, 2019-01-01
  to 2019-05-31 (151 forecasts): the linear model on 56-day windows,
  SimpleRNN(1), SimpleRNN(32), the deep RNN (three SimpleRNN(32)), the
  multivariate RNN (rail, bus and the next day's type in, rail out) and the
  multitask RNN (bus and rail out);
- 14-day models, scored by MAE at each step ahead from every origin of the
  validation period whose 14 days lie within it (138 origins): recursion
  with the SimpleRNN(32), sequence-to-vector, sequence-to-sequence, the
  layer-normalised cell, LSTM, GRU, Conv1D+GRU and WaveNet, simple and full.

Run it from the repository root::

    python benchmarks/ridership.py                   # the full trainings
    python benchmarks/ridership.py --only sarima gru # some rows only
    python benchmarks/ridership.py --smoke           # tiny networks, 1 epoch

Setup, as in the book: windows of 56 days (112 for Conv1D+GRU and WaveNet),
Huber loss, SGD with momentum 0.9 and the notebook's learning rate per
model, batch size 32, at most 500 epochs, early stopping with patience 50
restoring the best weights, ``random_state=42``. Where skts differs:

- the book early-stops on the validation period it then reports, which
  flatters its figures; skts early-stops on the last 10% of the training
  windows (autumn 2018), so the validation period stays unseen;
- the book divides the series by 1e6; the forecasters here min-max scale
  each column on the training rows (``scaler="minmax"``), which puts the
  data on the same [0, 1]-ish range, so the book's learning rates apply,
  and they forecast in riders;
- the linear model is scikit-learn's ``HuberRegressor`` (Huber loss like
  the book's ``Dense(1)``, solved exactly by L-BFGS instead of SGD with early
  stopping), on standardised lags, through ``ReductionForecaster``;
- the book's multivariate input holds today's bus ridership; skts feeds the
  covariates of day ``t + 1`` with the targets of day ``t`` (covariates are
  known in advance), so that covariate is yesterday's bus ridership,
  ``bus.shift(1)``, which puts today's bus count in the same window row;
- the book scores the networks from 2019-02-26 on (its validation windows
  start inside the period); ``backtest`` forecasts from 2019-01-01 on, with
  the 2018 history as the first windows. The columns "Feb 26+" are the
  same forecasts restricted to the book's days (origins from Feb 25 on).
"""

from types import SimpleNamespace

import pandas as pd
from _common import Timer, command_line, parse_args, progress, report
from sklearn.linear_model import HuberRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skts.forecasting import NaiveSeasonal, ReductionForecaster, SARIMAEstimator
from skts.neural import RNNForecaster, WaveNetForecaster
from skts.datasets import load_ridership
from skts.model_selection import backtest, backtest_errors

VALID_START, VALID_END = "2019-01-01", "2019-05-31"
COLUMNS = [
    "model",
    "period",
    "MAE",
    "MAPE %",
    "t+1",
    "t+14",
    "Feb 26+ MAE",
    "Feb 26+ t+1",
    "Feb 26+ t+14",
    "book MAE",
    "seconds",
]
# The book's networks are scored on forecasts from this day on.
BOOK_VALID_START = "2019-02-26"
SEQ_LENGTH = 56
HORIZON = 14

FULL = SimpleNamespace(
    train_start="2016-01-01",
    sarima_start="2019-03-01",
    sarima_period="Mar-May",
    units=32,
    epochs=500,
    patience=50,
)
# A short history, a week of SARIMA refits and 1 epoch of 4-unit networks:
# every code path of the full run, in seconds.
SMOKE = SimpleNamespace(
    train_start="2018-06-01",
    sarima_start="2019-05-25",
    sarima_period="May 25-31",
    units=4,
    epochs=1,
    patience=None,
)


def main(argv=None):
    """Run the chapter's models and print the results table.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (``--smoke``, ``--only ROW ...``); None reads
        ``sys.argv``.

    Returns
    -------
    results : pandas.DataFrame
        One row per model (and target), as printed.
    """
    args = parse_args(__doc__.splitlines()[0], argv, rows=list(ROWS))
    cfg = SMOKE if args.smoke else FULL
    data = _load(cfg)
    results = []
    with Timer() as total:
        for key in args.only or ROWS:
            progress(f"{key} ...")
            with Timer() as timer:
                results.extend(ROWS[key](data, cfg))
            progress(f"{key}: {timer.seconds:,.0f} s")
    # Rows without a column (a one-step row has no t+14) get NaN, printed empty.
    table = pd.DataFrame(results, columns=COLUMNS)
    report(
        "CTA ridership (Hands-On ML 3rd ed., chapter 15)",
        table,
        {
            **dict.fromkeys(["MAE", "t+1", "t+14", "Feb 26+ MAE", "Feb 26+ t+1", "Feb 26+ t+14"], ",.0f"),
            "MAPE %": ".1f",
            "seconds": ",.1f",
        },
        total.seconds,
        command_line("ridership.py", argv),
    )
    return table


# -- data --------------------------------------------------------------------


def _load(cfg):
    df = load_ridership()
    history = df.loc[cfg.train_start : VALID_END]
    day_type = pd.get_dummies(df["day_type"], prefix="day", dtype=float)
    # The window row of day t carries the covariates of day t + 1, so
    # yesterday's bus count puts today's next to today's rail count.
    bus_yesterday = df["bus"].shift(1).rename("bus_yesterday")
    return SimpleNamespace(
        df=df,
        rail=history["rail"],
        bus_rail=history[["bus", "rail"]],
        no_covariates=pd.DataFrame(index=history.index),
        day_type=day_type.loc[history.index],
        mulvar=pd.concat([bus_yesterday, day_type], axis=1).loc[history.index],
    )


# -- evaluation --------------------------------------------------------------


def _evaluate(model, period, book, estimator, X, y, *, start, horizon=1, refit=False, targets=(None,)):
    """Backtest ``estimator`` and summarise its errors, one row per target.

    Rows scored on the validation period also get the errors of the same
    forecasts from the book's first validation day on (columns "Feb 26+").
    """
    with Timer() as timer:
        frame = backtest(estimator, X, y, start=start, horizon=horizon, refit=refit)
    rows = []
    for target in targets:
        part = frame if target is None else frame[frame["target"] == target].drop(columns="target")
        row = {"model": model if target is None else f"{model}: {target}", "period": period}
        row.update(_errors(part, horizon, ""))
        if start == VALID_START:
            # The book's first forecast is for Feb 26: origins from Feb 25 on.
            book_days = part[part["origin"] >= pd.Timestamp(BOOK_VALID_START) - pd.Timedelta(days=1)]
            row.update(_errors(book_days, horizon, "Feb 26+ "))
        row["book MAE"] = book[target] if isinstance(book, dict) else book
        row["seconds"] = timer.seconds
        rows.append(row)
    return rows


def _errors(frame, horizon, prefix):
    """MAE (and MAPE over all forecasts), plus MAE at t+1 and t+14 for 14-day rows."""
    overall = backtest_errors(frame, ["mae", "mape"], by=None)
    errors = {f"{prefix}MAE": overall["mae"]}
    if not prefix:
        errors["MAPE %"] = 100 * overall["mape"]
    if horizon > 1:
        steps = backtest_errors(frame, ["mae"])["mae"]
        errors[f"{prefix}t+1"] = steps.loc[1]
        errors[f"{prefix}t+{horizon}"] = steps.loc[horizon]
    return errors


def _network(cfg, estimator_class, learning_rate, **architecture):
    """A forecaster trained the book's way: SGD with momentum, Huber, early stopping."""
    return estimator_class(
        **architecture,
        optimizer="sgd",
        momentum=0.9,
        learning_rate=learning_rate,
        loss="huber",
        epochs=cfg.epochs,
        batch_size=32,
        patience=cfg.patience,
        validation_fraction=0.1,
        scaler="minmax",
        random_state=42,
    )


def _one_step(model, book, estimator, X, y, **options):
    return _evaluate(model, "Jan-May", book, estimator, X, y, start=VALID_START, **options)


def _fourteen_days(model, book, estimator, X, y):
    return _evaluate(model, "Jan-May, 14 d", book, estimator, X, y, start=VALID_START, horizon=HORIZON)


# -- the rows of the table ---------------------------------------------------


def naive(data, cfg):
    """Same day last week, bus and rail, March-May 2019."""
    y = data.bus_rail.loc[:VALID_END]
    book = {"bus": "43,916 (8.3%)", "rail": "42,143 (9.0%)"}
    rows = _evaluate(
        "naive (7 days back)", cfg.sarima_period, book, NaiveSeasonal(season_length=7), None, y,
        start=cfg.sarima_start, targets=("bus", "rail"),
    )
    rows += _one_step("naive (7 days back): rail", "", NaiveSeasonal(season_length=7), None, data.rail)
    return rows


def sarima(data, cfg):
    """SARIMA(1,0,0)(0,1,1,7) on the 2019 history, refitted daily and updated only."""
    # The book fits on the rows since 2019-01-01 only.
    y = data.rail.loc[VALID_START:VALID_END]
    model = SARIMAEstimator(p=1, d=0, q=0, P=0, D=1, Q=1, season_length=7)
    rows = _evaluate("SARIMA(1,0,0)(0,1,1,7), daily refit", cfg.sarima_period, "32,041", model, None, y,
                     start=cfg.sarima_start, refit=True)
    rows += _evaluate("SARIMA(1,0,0)(0,1,1,7), fit once + update", cfg.sarima_period, "", model, None, y,
                      start=cfg.sarima_start, refit=False)
    return rows


def linear(data, cfg):
    """Huber linear regression on the 56 previous days."""
    regressor = make_pipeline(StandardScaler(), HuberRegressor(alpha=0.0, max_iter=1000))
    model = ReductionForecaster(regressor, seq_length=SEQ_LENGTH)
    return _one_step("linear (HuberRegressor, 56 lags)", "37,866", model, data.no_covariates, data.rail)


def simple_rnn_1(data, cfg):
    """One recurrent neuron, its tanh state as the forecast."""
    model = _network(
        cfg, RNNForecaster, 0.02, cell="simple", units=1, dense_head=False, seq_length=SEQ_LENGTH
    )
    return _one_step("SimpleRNN(1)", ">100,000", model, data.no_covariates, data.rail)


def _simple_rnn_32(cfg, **options):
    return _network(
        cfg, RNNForecaster, 0.05, cell="simple", units=cfg.units, seq_length=SEQ_LENGTH, **options
    )


def simple_rnn_32(data, cfg):
    """SimpleRNN(32) + Dense(1)."""
    model = _simple_rnn_32(cfg)
    return _one_step("SimpleRNN(32)", "27,703", model, data.no_covariates, data.rail)


def deep_rnn(data, cfg):
    """Three stacked SimpleRNN(32) + Dense(1)."""
    model = _network(
        cfg, RNNForecaster, 0.01, cell="simple", units=cfg.units, n_layers=3, seq_length=SEQ_LENGTH
    )
    return _one_step("deep RNN, 3 x SimpleRNN(32)", "31,211", model, data.no_covariates, data.rail)


def multivariate(data, cfg):
    """Rail, bus and the next day's type in, rail out."""
    model = _simple_rnn_32(cfg)
    return _one_step("multivariate SimpleRNN(32)", "22,062", model, data.mulvar, data.rail)


def multitask(data, cfg):
    """Bus and rail in and out, the next day's type in."""
    model = _network(cfg, RNNForecaster, 0.02, cell="simple", units=cfg.units, seq_length=SEQ_LENGTH)
    return _one_step(
        "multitask SimpleRNN(32)", {"bus": "26,369", "rail": "25,330"}, model, data.day_type, data.bus_rail,
        targets=("bus", "rail"),
    )


def recursive(data, cfg):
    """14 days by feeding the univariate SimpleRNN(32)'s forecasts back."""
    model = _simple_rnn_32(cfg)
    return _fourteen_days("14 d recursive, SimpleRNN(32)", "n/a", model, data.no_covariates, data.rail)


def seq2vec(data, cfg):
    """SimpleRNN(32) + Dense(14) on the last step, multivariate input."""
    model = _network(
        cfg, RNNForecaster, 0.02, cell="simple", units=cfg.units, seq_length=SEQ_LENGTH, output_length=HORIZON
    )
    return _fourteen_days("14 d seq2vec, SimpleRNN(32)", "n/a", model, data.mulvar, data.rail)


def _seq2seq(cfg, cell, seq_length=SEQ_LENGTH, **architecture):
    return _network(
        cfg, RNNForecaster, 0.1, cell=cell, units=cfg.units, seq_length=seq_length, output_length=HORIZON,
        sequence_to_sequence=True, **architecture,
    )


def seq2seq(data, cfg):
    """SimpleRNN(32) + Dense(14) at every step."""
    book = "25,519 (t+1), 34,322 (t+14)"
    model = _seq2seq(cfg, "simple")
    return _fourteen_days("14 d seq2seq, SimpleRNN(32)", book, model, data.mulvar, data.rail)


def layer_norm(data, cfg):
    """Layer-normalised SimpleRNN cell, sequence to sequence."""
    model = _seq2seq(cfg, "ln_simple")
    return _fourteen_days("14 d seq2seq, LN SimpleRNN(32)", "n/a", model, data.mulvar, data.rail)


def lstm(data, cfg):
    """LSTM(32), sequence to sequence."""
    return _fourteen_days("14 d seq2seq, LSTM(32)", "n/a", _seq2seq(cfg, "lstm"), data.mulvar, data.rail)


def gru(data, cfg):
    """GRU(32), sequence to sequence."""
    return _fourteen_days("14 d seq2seq, GRU(32)", "n/a", _seq2seq(cfg, "gru"), data.mulvar, data.rail)


def conv_gru(data, cfg):
    """Conv1D(32, 4, strides 2) + GRU(32) on 112-day windows, targets downsampled."""
    model = _seq2seq(
        cfg, "gru", seq_length=2 * SEQ_LENGTH, conv_filters=cfg.units, conv_kernel_size=4, conv_strides=2
    )
    return _fourteen_days("14 d seq2seq, Conv1D + GRU(32), 112 d", "n/a", model, data.mulvar, data.rail)


def _wavenet(cfg, **architecture):
    return _network(
        cfg, WaveNetForecaster, 0.1, filters=cfg.units, kernel_size=2, seq_length=2 * SEQ_LENGTH,
        output_length=HORIZON, sequence_to_sequence=True, **architecture,
    )


def wavenet(data, cfg):
    """The book's WaveNet: ReLU causal convolutions, dilations 1-8 twice."""
    model = _wavenet(cfg, dilations=(1, 2, 4, 8), n_blocks=2, gated=False)
    return _fourteen_days("14 d WaveNet, simple, 112 d", "n/a", model, data.mulvar, data.rail)


def wavenet_full(data, cfg):
    """The notebook's full WaveNet: gated units, residual and skip connections, dilations 1-4."""
    model = _wavenet(cfg, dilations=(1, 2, 4), n_blocks=1, gated=True)
    return _fourteen_days("14 d WaveNet, gated, 112 d", "n/a", model, data.mulvar, data.rail)


ROWS = {
    "naive": naive,
    "sarima": sarima,
    "linear": linear,
    "simple_rnn_1": simple_rnn_1,
    "simple_rnn_32": simple_rnn_32,
    "deep_rnn": deep_rnn,
    "multivariate": multivariate,
    "multitask": multitask,
    "recursive": recursive,
    "seq2vec": seq2vec,
    "seq2seq": seq2seq,
    "layer_norm": layer_norm,
    "lstm": lstm,
    "gru": gru,
    "conv_gru": conv_gru,
    "wavenet": wavenet,
    "wavenet_full": wavenet_full,
}


if __name__ == "__main__":
    main()
