"""skts's neural forecasters against the textbook's raw Keras code, same data, same run.

Trains the three ridership models of Hands-On ML (3rd ed., ch. 15) twice each,
through the book's code (:mod:`bench_neural_book`: pandas ``/ 1e6``, ``tf.data``
windows, ``fit_and_evaluate``) and through ``skts.RNNForecaster`` /
``skts.WaveNetForecaster`` at the same settings:

- ``simple_rnn``: SimpleRNN(32) + Dense(1), sequence-to-vector, 56-day rail
  windows, SGD(0.05, momentum 0.9);
- ``gru``: GRU(32, return_sequences=True) + Dense(14), sequence-to-sequence,
  56-day multivariate windows, SGD(0.1, momentum 0.9);
- ``wavenet``: causal Conv1D(32, 2) dilated 1, 2, 4, 8 twice + Conv1D(14, 1),
  sequence-to-sequence on the book's 112-day multivariate windows
  (``longer_train``), SGD(0.1, momentum 0.9).

skts gets the book's ``/ 1e6`` data with ``scaler=None``, so both train on
identical numbers. The multivariate row the book feeds at step ``t`` is
``[bus[t], rail[t], day_type[t + 1]]``; skts puts the covariates of step
``t + 1`` next to the target of step ``t``, so its covariates are
``[bus[t - 1], day_type[t]]`` (yesterday's bus is known in advance) and its
window rows hold the same five numbers.

Measured per model:

- validation MAE in riders: the forecasts from the last step of every
  validation window of the book (Jan-May 2019; 95 one-step windows, 82
  fourteen-step windows of 56 days, 26 of 112 days), all steps ahead
  averaged; the raw model through ``model.predict`` on the book's validation
  dataset, skts through ``update``/``predict`` walking over the same rows;
- seconds per epoch: a Keras callback times every epoch of both (it is
  added to the ``callbacks`` of ``keras.Model.fit`` for the duration of the
  fit, since skts has no callback hook); the median over epochs is reported,
  and the whole fit's wall time divided by the epochs run as a second figure
  (skts: windowing, scaling, compile included; raw: the ``tf.data``
  pipelines' construction included);
- latency of one forecast from a fitted model: ``RNNForecaster.predict`` on
  the rows that follow, against Keras' ``model.predict`` on one window.

Two protocols: ``fixed`` trains ``--epochs`` epochs without validation or
early stopping (identical work for both, the like-for-like comparison), for
``--seeds`` seeds; ``--early-stopping`` adds the book's protocol (500 epochs,
patience 50, restore best): the raw code early-stops on the validation
windows themselves, as the book does, skts on the last 10% of its training
windows (``patience=50, validation_fraction=0.1``), so these MAEs are each
library's own protocol, not a like-for-like pair.

Usage::

    SKTS_DATA_HOME=/work/shared/data python benchmarks/bench_neural.py
    python benchmarks/bench_neural.py --quick   # 2 epochs, 1 seed, no README

Results go to the "Neural" section of ``benchmarks/README.md`` (between the
``bench_neural`` markers; text outside them is kept).
"""

import argparse
import contextlib
import logging
import os
import platform
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from skts._optional import import_optional

tf = import_optional("tensorflow")
keras = import_optional("keras")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_neural_book as book  # noqa: E402

import skts  # noqa: E402
from skts.datasets import get_data_home, load_ridership  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- bench_neural:start -->", "<!-- bench_neural:end -->"
MODELS = ("simple_rnn", "gru", "wavenet")
TITLES = {
    "simple_rnn": "SimpleRNN(32)+Dense(1), seq-to-vector, 56 d, rail",
    "gru": "GRU(32) seq-to-seq + Dense(14), 56 d, multivariate",
    "wavenet": "simple WaveNet (1,2,4,8)x2, 32 filters, 112 d, multivariate",
}


# -- timing ------------------------------------------------------------------


class EpochTimer(keras.callbacks.Callback):
    """Wall seconds of every epoch (training plus any validation pass)."""

    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


@contextlib.contextmanager
def timed_fits(timer):
    """Add ``timer`` to the callbacks of every ``keras.Model.fit`` call in the block.

    The same injection times the book's ``fit`` and skts's internal one, so
    both epoch times come from the same callback.
    """
    original = keras.Model.fit

    def fit(self, *args, callbacks=None, **kwargs):
        return original(self, *args, callbacks=[*(callbacks or []), timer], **kwargs)

    keras.Model.fit = fit
    try:
        yield
    finally:
        keras.Model.fit = original


def timed(function, *args, **kwargs):
    timer = EpochTimer()
    start = time.perf_counter()
    with timed_fits(timer):
        result = function(*args, **kwargs)
    return result, timer.seconds, time.perf_counter() - start


# -- data ----------------------------------------------------------------------


def load_data():
    """The book's frames and skts's arrays, checked to hold the same numbers."""
    path = get_data_home() / "ridership" / "CTA_-_Ridership_-_Daily_Boarding_Totals.csv"
    df = load_ridership()  # downloads into the data home if missing
    book_df = book.load_book_dataframe(path)
    assert (book_df[["day_type", "bus", "rail"]].to_numpy() == df.to_numpy()).all()

    rail_train, rail_valid = book.rail_splits(book_df)
    mulvar_train, mulvar_valid = book.mulvar_splits(book_df)

    rail = df["rail"] / 1e6
    covariates = pd.concat(
        [(df["bus"] / 1e6).shift(1).rename("bus_yesterday"), pd.get_dummies(df["day_type"], dtype=float)], axis=1
    )
    train, valid = slice("2016-01", "2018-12"), slice("2019-01", "2019-05")
    data = {
        "book": dict(rail=(rail_train, rail_valid), mulvar=(mulvar_train, mulvar_valid)),
        "y": (rail[train].to_numpy(), rail[valid].to_numpy()),
        "X_univariate": (np.empty((len(rail[train]), 0)), np.empty((len(rail[valid]), 0))),
        "X_multivariate": (covariates[train].to_numpy(), covariates[valid].to_numpy()),
    }
    # skts's window row t, [rail[t], X[t + 1]], is the book's row t reordered.
    X_train = data["X_multivariate"][0]
    book_rows = mulvar_train[["rail", "bus", "next_day_type_A", "next_day_type_U", "next_day_type_W"]].to_numpy()
    assert np.array_equal(np.column_stack([data["y"][0][:-1], X_train[1:]]), book_rows[:-1])
    return data


# -- the two implementations ------------------------------------------------


def run_book(name, data, *, seed, epochs, early_stopping):
    """Train with the book's code; returns MAE in riders, epoch times, fit seconds."""
    lr = book.LEARNING_RATES[name]

    def train():
        if name == "simple_rnn":
            train_set, valid_set = book.rail_datasets(*data["book"]["rail"], seed=seed)
            model = book.simple_rnn_model(seed)
        else:
            seq_length = 112 if name == "wavenet" else book.SEQ_LENGTH
            train_set, valid_set = book.seq2seq_datasets(*data["book"]["mulvar"], seq_length=seq_length, seed=seed)
            model = book.gru_model(seed) if name == "gru" else book.wavenet_model(seed)
        if early_stopping:
            book_mae, history = book.fit_and_evaluate(model, train_set, valid_set, learning_rate=lr)
        else:
            book_mae, history = None, book.fit_fixed(model, train_set, lr, epochs)
        return model, valid_set, book_mae

    (model, valid_set, book_mae), epoch_seconds, fit_seconds = timed(train)
    errors = book.last_step_forecasts(model, valid_set) - book.valid_targets(valid_set)
    return dict(
        mae=float(np.abs(errors).mean()),
        book_mae=book_mae,
        epoch_seconds=epoch_seconds,
        fit_seconds=fit_seconds,
        n_epochs=len(epoch_seconds),
        model=model,
    )


def make_forecaster(name, *, seed, epochs, early_stopping):
    training = dict(
        scaler=None,  # the data are already the book's / 1e6
        optimizer="sgd",
        learning_rate=book.LEARNING_RATES[name],
        momentum=0.9,
        loss="huber",
        batch_size=32,
        epochs=500 if early_stopping else epochs,
        patience=50 if early_stopping else None,
        validation_fraction=0.1,
        random_state=seed,
    )
    if name == "simple_rnn":
        return skts.RNNForecaster(cell="simple", units=32, seq_length=56, horizon=1, **training)
    if name == "gru":
        return skts.RNNForecaster(
            cell="gru", units=32, seq_length=56, horizon=14, sequence_to_sequence=True, **training
        )
    return skts.WaveNetForecaster(
        filters=32,
        kernel_size=2,
        dilations=(1, 2, 4, 8),
        n_blocks=2,
        seq_length=112,
        horizon=14,
        sequence_to_sequence=True,
        **training,
    )


def validation_forecasts(forecaster, X_valid, y_valid):
    """Forecasts from the end of each of the book's validation windows, via update/predict."""
    seq_length, horizon = forecaster.seq_length, forecaster.horizon
    forecaster.update(X_valid[:seq_length], y_valid[:seq_length])
    forecasts, actuals = [], []
    for origin in range(seq_length, len(y_valid) - horizon + 1):
        forecasts.append(forecaster.predict(X_valid[origin : origin + horizon]))
        actuals.append(y_valid[origin : origin + horizon])
        forecaster.update(X_valid[origin : origin + 1], y_valid[origin : origin + 1])
    return np.array(forecasts) * 1e6, np.array(actuals) * 1e6


def run_skts(name, data, *, seed, epochs, early_stopping):
    forecaster = make_forecaster(name, seed=seed, epochs=epochs, early_stopping=early_stopping)
    X_train, X_valid = data["X_univariate" if name == "simple_rnn" else "X_multivariate"]
    y_train, y_valid = data["y"]
    _, epoch_seconds, fit_seconds = timed(forecaster.fit, X_train, y_train)
    forecasts, actuals = validation_forecasts(forecaster, X_valid, y_valid)
    return dict(
        mae=float(np.abs(forecasts - actuals).mean()),
        epoch_seconds=epoch_seconds,
        fit_seconds=fit_seconds,
        n_epochs=forecaster.n_epochs_,
        forecaster=forecaster,
    )


# -- latency -------------------------------------------------------------------


def median_ms(function, calls, warmup=5):
    for _ in range(warmup):
        function()
    seconds = []
    for _ in range(calls):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds) * 1000


def latency(skts_runs, book_runs, data, calls):
    """Median ms of one forecast from a fitted model: skts predict vs Keras model.predict."""
    rows = []
    for name, steps in (("simple_rnn", 1), ("gru", 14)):
        if name not in skts_runs:
            continue
        forecaster = skts_runs[name]["forecaster"]
        X_valid = data["X_univariate" if name == "simple_rnn" else "X_multivariate"][1]
        # The forecaster has walked through the validation rows; forecast what follows them.
        X_next = np.zeros((steps, X_valid.shape[1]))
        ours = median_ms(lambda: forecaster.predict(X_next), calls)
        window = np.zeros((1, forecaster.seq_length, 1 if name == "simple_rnn" else 5), np.float32)
        model = book_runs[name]["model"]
        keras_ms = median_ms(lambda: model.predict(window, verbose=0), calls)
        direct_ms = median_ms(lambda: model(window, training=False), calls)
        rows.append((name, steps, ours, keras_ms, direct_ms))
    return rows


# -- report --------------------------------------------------------------------


def machine_info():
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import sklearn

    return (
        f"{os.cpu_count()} cores ({cpu}), shared with other jobs; Python {platform.python_version()}, "
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, NumPy {np.__version__}, "
        f"pandas {pd.__version__}, scikit-learn {sklearn.__version__}, skts {getattr(skts, '__version__', '?')}"
    )


def median(values):
    return statistics.median(values) if values else float("nan")


def summarise(results, models, seeds):
    """One table row per model: medians over seeds of MAE and of the per-run epoch medians."""
    lines = [
        "| model | epochs run (raw / skts) | raw MAE | skts MAE | MAE ratio | raw s/epoch | skts s/epoch "
        "| time ratio | raw fit s / epoch | skts fit s / epoch |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in models:
        raw = [results[name, seed]["book"] for seed in seeds]
        ours = [results[name, seed]["skts"] for seed in seeds]
        raw_mae, our_mae = median([r["mae"] for r in raw]), median([r["mae"] for r in ours])
        raw_epoch = median([median(r["epoch_seconds"]) for r in raw])
        our_epoch = median([median(r["epoch_seconds"]) for r in ours])
        raw_fit = median([r["fit_seconds"] / r["n_epochs"] for r in raw])
        our_fit = median([r["fit_seconds"] / r["n_epochs"] for r in ours])
        epochs = f"{'/'.join(str(r['n_epochs']) for r in raw)} / {'/'.join(str(r['n_epochs']) for r in ours)}"
        lines.append(
            f"| {TITLES[name]} | {epochs} | {raw_mae:,.0f} | {our_mae:,.0f} | {our_mae / raw_mae:.3f} "
            f"| {raw_epoch:.3f} | {our_epoch:.3f} | {our_epoch / raw_epoch:.2f} | {raw_fit:.3f} | {our_fit:.3f} |"
        )
    lines.append("")
    lines.append("Per seed, MAE raw / skts (riders): " + "; ".join(
        f"{name} " + ", ".join(
            f"{results[name, seed]['book']['mae']:,.0f} / {results[name, seed]['skts']['mae']:,.0f}" for seed in seeds
        )
        for name in models
    ))
    return lines


def write_readme(body):
    """Replace the text between the markers of the Neural section, creating it if missing."""
    block = f"{START}\n{body}\n{END}"
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    if START in text and END in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    elif re.search(r"^## Neural\b.*$", text, flags=re.M):
        text = re.sub(r"^(## Neural\b.*)$", lambda m: f"{m.group(1)}\n\n{block}", text, count=1, flags=re.M)
    else:
        text = text.rstrip("\n") + f"\n\n## Neural\n\n{block}\n"
    README.write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30, help="epochs of the fixed-epoch runs")
    parser.add_argument("--seeds", type=int, default=3, help="seeds of the fixed-epoch runs (0, 1, ...)")
    parser.add_argument("--early-stopping", action="store_true", help="also run the book's protocol (seed 42)")
    parser.add_argument("--models", nargs="+", choices=MODELS, default=list(MODELS))
    parser.add_argument("--calls", type=int, default=200, help="calls timed per latency figure")
    parser.add_argument("--quick", action="store_true", help="2 epochs, 1 seed, 20 calls; README untouched")
    parser.add_argument("--no-readme", action="store_true", help="print the results only")
    args = parser.parse_args()
    # The book's code triggers Keras 3 notices (shuffle ignored for datasets,
    # predict retracing once per new model) that say nothing about the results.
    warnings.filterwarnings("ignore", category=UserWarning)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    if args.quick:
        args.epochs, args.seeds, args.calls, args.early_stopping, args.no_readme = 2, 1, 20, False, True

    data = load_data()
    load_before = os.getloadavg()
    started = time.perf_counter()
    seeds = list(range(args.seeds))
    results = {}
    for name in args.models:
        for seed in seeds:
            # Alternate which runs first, so a change in the machine's load
            # does not always fall on the same side.
            order = ("book", "skts") if seed % 2 == 0 else ("skts", "book")
            runs = {}
            for side in order:
                run = run_book if side == "book" else run_skts
                runs[side] = run(name, data, seed=seed, epochs=args.epochs, early_stopping=False)
                print(
                    f"{name} seed {seed} {side}: MAE {runs[side]['mae']:,.0f}, "
                    f"median {median(runs[side]['epoch_seconds']):.3f} s/epoch, {runs[side]['n_epochs']} epochs",
                    flush=True,
                )
            results[name, seed] = runs
    fixed = summarise(results, args.models, seeds)

    early = []
    if args.early_stopping:
        es_results = {}
        for name in args.models:
            runs = {side: (run_book if side == "book" else run_skts)(
                name, data, seed=42, epochs=500, early_stopping=True) for side in ("book", "skts")}
            for side, run in runs.items():
                print(f"{name} early stopping {side}: MAE {run['mae']:,.0f}, {run['n_epochs']} epochs", flush=True)
            es_results[name, 42] = runs
        early = summarise(es_results, args.models, [42])
        early.append("Raw: the book's own `fit_and_evaluate` MAE (`model.evaluate`, all steps of every window): "
                     + ", ".join(f"{name} {es_results[name, 42]['book']['book_mae']:,.0f}" for name in args.models))

    last_results = {name: results[name, seeds[-1]] for name in args.models}
    latency_rows = latency(
        {name: r["skts"] for name, r in last_results.items()},
        {name: r["book"] for name, r in last_results.items()},
        data,
        args.calls,
    )
    load_after = os.getloadavg()
    minutes = (time.perf_counter() - started) / 60

    command = "SKTS_DATA_HOME=/work/shared/data python benchmarks/bench_neural.py " + " ".join(sys.argv[1:])
    body = [
        f"Command: `{command.strip()}` ({minutes:.0f} min).",
        "",
        f"Machine: {machine_info()}. Load average (1 min) {load_before[0]:.1f} before, {load_after[0]:.1f} after.",
        "",
        f"### Fixed epochs: {args.epochs} epochs, no validation, no early stopping; medians over seeds {seeds}",
        "",
        *fixed,
        "",
    ]
    if early:
        body += [
            "### The book's protocol: up to 500 epochs, patience 50, best weights restored; seed 42",
            "",
            "Raw early-stops on the validation windows (as the book does); skts on the last 10% of its "
            "training windows. Not a like-for-like pair.",
            "",
            *early,
            "",
        ]
    body += [
        f"### One forecast from a fitted model, median ms over {args.calls} calls",
        "",
        "| model | steps | skts `predict` | Keras `model.predict` (1 window) | Keras `model(x)` (1 window) |",
        "|---|---:|---:|---:|---:|",
        *(f"| {TITLES[name]} | {steps} | {ours:.2f} | {keras_ms:.2f} | {direct:.2f} |"
          for name, steps, ours, keras_ms, direct in latency_rows),
    ]
    text = "\n".join(body)
    print("\n" + text)
    if not args.no_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
