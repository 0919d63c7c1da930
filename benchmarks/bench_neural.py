"""skts's neural forecasters against the textbook's raw Keras code, same data, same run.

Trains the three ridership models of Hands-On ML (3rd ed., ch. 15) twice each,
through the book's code (:mod:`bench_neural_book`: pandas ``/ 1e6``, ``tf.data``
windows, ``fit_and_evaluate``) and through ``skts.neural.RNNForecaster`` /
``skts.neural.WaveNetForecaster`` at the same settings:

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

Two protocols, each run on its own: ``--protocol fixed`` (default) trains
``--epochs`` epochs without validation or early stopping (identical work for
both, the like-for-like comparison) for ``--seeds`` seeds, then times the
single forecasts; ``--protocol early`` runs the book's protocol once, seed
42 (500 epochs, patience 50, best weights restored): the raw code
early-stops on the validation windows themselves, as the book does, skts on
the last 10% of its training windows (``patience=50,
validation_fraction=0.1``), so these MAEs are each library's own protocol,
not a like-for-like pair.

Usage::

    SKTS_DATA_HOME=../shared/data python benchmarks/bench_neural.py
    SKTS_DATA_HOME=../shared/data python benchmarks/bench_neural.py --protocol early
    python benchmarks/bench_neural.py --quick   # 2 epochs, 1 seed, no README

Each protocol writes its own block of the "Neural" section of
``benchmarks/README.md`` (between ``bench_neural-fixed`` or
``bench_neural-early`` markers); text outside the markers is kept.
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


def skts_holdout(series, seq_length, horizon):
    """Cut the book's training series as skts's early stopping cuts its windows.

    skts holds out the last ``round(0.1 * n_windows)`` windows and leaves out
    the ``horizon - 1`` windows before them; returns the two stretches of
    ``series`` whose windows are exactly skts's training and validation ones.
    """
    n_windows = len(series) - seq_length - horizon + 1
    n_val = max(1, round(0.1 * n_windows))
    n_train = n_windows - n_val - (horizon - 1)
    span = seq_length + horizon - 1
    return series[: n_train + span], series[-(n_val + span) :]


def run_book(name, data, *, seed, epochs, early_stopping, holdout="book"):
    """Train with the book's code; returns MAE in riders, epoch times, fit seconds.

    ``holdout="book"`` early-stops on the validation windows (the book);
    ``"skts"`` on the windows skts would hold out (:func:`skts_holdout`),
    which separates the protocol from the implementation.
    """
    lr = book.LEARNING_RATES[name]
    seq_length = 112 if name == "wavenet" else book.SEQ_LENGTH
    horizon = 1 if name == "simple_rnn" else book.AHEAD

    def datasets(train_series, valid_series):
        if name == "simple_rnn":
            return book.rail_datasets(train_series, valid_series, seed=seed)
        return book.seq2seq_datasets(train_series, valid_series, seq_length=seq_length, seed=seed)

    def train():
        # The book seeds before building its datasets: their shuffle seeds
        # combine with TensorFlow's global seed, which would otherwise depend
        # on whatever ran before in this process.
        keras.utils.set_random_seed(seed)
        train_series, valid_series = data["book"]["rail" if name == "simple_rnn" else "mulvar"]
        train_set, valid_set = datasets(train_series, valid_series)
        monitored = valid_set
        if holdout == "skts":
            train_set, monitored = datasets(*skts_holdout(train_series, seq_length, horizon))
        model = {"simple_rnn": book.simple_rnn_model, "gru": book.gru_model, "wavenet": book.wavenet_model}[name](seed)
        if early_stopping:
            book_mae, history = book.fit_and_evaluate(model, train_set, monitored, learning_rate=lr)
        else:
            book_mae, history = None, book.fit_fixed(model, train_set, lr, epochs)
        return model, valid_set, book_mae

    (model, valid_set, book_mae), epoch_seconds, fit_seconds = timed(train)
    forecasts = book.last_step_forecasts(model, valid_set)
    errors = forecasts - book.valid_targets(valid_set)
    return dict(
        mae=float(np.abs(errors).mean()),
        forecasts=forecasts,
        book_mae=book_mae if holdout == "book" else None,
        epoch_seconds=epoch_seconds,
        fit_seconds=fit_seconds,
        n_epochs=len(epoch_seconds),
        model=model,
    )


# The book's ``to_seq2seq_dataset`` shuffles its time-ordered windows through
# a buffer of ``8 * batch_size``; its seq-to-vector RNN's
# ``timeseries_dataset_from_array`` permutes them first, which skts's default
# (every window permuted each epoch) stands for.
BOOK_SHUFFLE_BUFFER = {"simple_rnn": None, "gru": 8 * 32, "wavenet": 8 * 32}


def make_forecaster(name, *, seed, epochs, early_stopping, book_order=False):
    """skts's forecaster at the book's settings; ``book_order``: the book's window order too."""
    training = dict(
        shuffle_buffer=BOOK_SHUFFLE_BUFFER[name] if book_order else None,
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
        return skts.neural.RNNForecaster(cell="simple", units=32, seq_length=56, output_length=1, **training)
    if name == "gru":
        return skts.neural.RNNForecaster(
            cell="gru", units=32, seq_length=56, output_length=14, sequence_to_sequence=True, **training
        )
    return skts.neural.WaveNetForecaster(
        filters=32,
        kernel_size=2,
        dilations=(1, 2, 4, 8),
        n_blocks=2,
        seq_length=112,
        output_length=14,
        sequence_to_sequence=True,
        **training,
    )


def validation_forecasts(forecaster, X_valid, y_valid):
    """Forecasts from the end of each of the book's validation windows, via update/predict."""
    seq_length, horizon = forecaster.seq_length, forecaster.output_length
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
        forecasts=forecasts.reshape(len(forecasts), -1),
        epoch_seconds=epoch_seconds,
        fit_seconds=fit_seconds,
        n_epochs=forecaster.n_epochs_,
        forecaster=forecaster,
    )


def numpy_windows(name, data):
    """Training windows as plain NumPy arrays, in skts's column order ([rail, bus, day type])."""
    seq_length = 112 if name == "wavenet" else book.SEQ_LENGTH
    if name == "simple_rnn":
        rail = data["book"]["rail"][0].to_numpy()
        inputs = np.lib.stride_tricks.sliding_window_view(rail, seq_length)[:-1, :, None]
        return inputs, rail[seq_length:, None]
    mulvar = data["book"]["mulvar"][0]
    series = mulvar[["rail", "bus", "next_day_type_A", "next_day_type_U", "next_day_type_W"]].to_numpy()
    # ahead[t] = rail[t + 1 .. t + 14]: the targets of every step of a window.
    ahead = np.lib.stride_tricks.sliding_window_view(series[1:, 0], book.AHEAD)
    targets = np.lib.stride_tricks.sliding_window_view(ahead, seq_length, axis=0).transpose(0, 2, 1)
    inputs = np.lib.stride_tricks.sliding_window_view(series, seq_length, axis=0).transpose(0, 2, 1)
    return inputs[: len(targets)], targets


def run_arrays(name, data, *, seed, epochs, early_stopping):
    """The book's model and compile, fed NumPy windows by ``model.fit(X, y)`` as skts does.

    Seeded as skts seeds (before building, again before compiling), so the
    batches come in skts's order: it separates what the data pipeline does
    (this arm against the book's ``tf.data``) from what skts adds on top of
    Keras (skts against this arm).
    """
    assert not early_stopping
    lr = book.LEARNING_RATES[name]
    inputs, targets = numpy_windows(name, data)
    if name != "simple_rnn":
        # skts's column order: the first kernel rows must meet the same columns.
        valid = data["book"]["mulvar"][1][["rail", "bus", "next_day_type_A", "next_day_type_U", "next_day_type_W"]]
    n_features = inputs.shape[2]

    def train():
        model = {"simple_rnn": book.simple_rnn_model, "gru": book.gru_model, "wavenet": book.wavenet_model}[name](seed)
        keras.utils.set_random_seed(seed)
        model.compile(
            loss=keras.losses.Huber(), optimizer=keras.optimizers.SGD(learning_rate=lr, momentum=0.9), metrics=["mae"]
        )
        model.fit(inputs, targets, batch_size=32, epochs=epochs, shuffle=True, verbose=0)
        return model

    model, epoch_seconds, fit_seconds = timed(train)
    if name == "simple_rnn":
        _, valid_set = book.rail_datasets(*data["book"]["rail"])
    else:
        seq_length = 112 if name == "wavenet" else book.SEQ_LENGTH
        valid_set = book.to_seq2seq_dataset(valid, seq_length=seq_length, target_col=0)
    assert model.inputs[0].shape[-1] == n_features
    forecasts = book.last_step_forecasts(model, valid_set)
    errors = forecasts - book.valid_targets(valid_set)
    return dict(
        mae=float(np.abs(errors).mean()),
        forecasts=forecasts,
        epoch_seconds=epoch_seconds,
        fit_seconds=fit_seconds,
        n_epochs=len(epoch_seconds),
        model=model,
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
    """Fixed-epoch tables: MAE over seeds, epoch times, and skts against Keras on NumPy windows."""
    sides = ("book", "arrays", "skts")
    lines = [
        "| model | raw MAE median (mean ± s.e.) | skts MAE median (mean ± s.e.) | MAE ratio, medians (means) "
        "| raw s/epoch | skts s/epoch | time ratio | raw fit s / epoch | skts fit s / epoch |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    extra = [
        "| model | Keras on NumPy windows: MAE median | s/epoch | skts s/epoch / NumPy-window s/epoch "
        "| max abs(skts - NumPy-window forecast), riders |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in models:
        runs = {side: [results[name, seed][side] for seed in seeds] for side in sides}
        mae = {side: [run["mae"] for run in runs[side]] for side in sides}
        epoch = {side: median([median(run["epoch_seconds"]) for run in runs[side]]) for side in sides}
        fit = {side: median([run["fit_seconds"] / run["n_epochs"] for run in runs[side]]) for side in sides}

        def stats(values):
            error = statistics.stdev(values) / len(values) ** 0.5 if len(values) > 1 else float("nan")
            return f"{median(values):,.0f} ({statistics.fmean(values):,.0f} ± {error:,.0f})"

        ratio_median = median(mae["skts"]) / median(mae["book"])
        ratio_mean = statistics.fmean(mae["skts"]) / statistics.fmean(mae["book"])
        lines.append(
            f"| {TITLES[name]} | {stats(mae['book'])} | {stats(mae['skts'])} | {ratio_median:.3f} ({ratio_mean:.3f}) "
            f"| {epoch['book']:.3f} | {epoch['skts']:.3f} | {epoch['skts'] / epoch['book']:.2f} "
            f"| {fit['book']:.3f} | {fit['skts']:.3f} |"
        )
        gap = max(float(np.abs(a["forecasts"] - k["forecasts"]).max()) for a, k in zip(runs["arrays"], runs["skts"]))
        extra.append(
            f"| {TITLES[name]} | {median(mae['arrays']):,.0f} | {epoch['arrays']:.3f} "
            f"| {epoch['skts'] / epoch['arrays']:.2f} | {gap:.2f} |"
        )
    per_seed = "; ".join(
        f"{name}: "
        + ", ".join(f"{results[name, seed]['book']['mae']:,.0f} / {results[name, seed]['skts']['mae']:,.0f}" for seed in seeds)
        for name in models
    )
    return [*lines, "", f"Per seed, MAE raw / skts (riders): {per_seed}.", "", *extra]


def summarise_early(results, models):
    """The early-stopping table: the book's protocol, the book's code on skts's hold-out, skts."""
    lines = [
        "| model | epochs run (raw book / raw skts hold-out / skts) | raw MAE (book) "
        "| raw MAE (skts hold-out) | skts MAE | skts / raw (skts hold-out) | raw s/epoch (book) "
        "| raw s/epoch (skts hold-out) | skts s/epoch | time ratio (vs hold-out) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in models:
        runs = results[name, 42]
        book_run, holdout, ours = runs["book"], runs["book_holdout"], runs["skts"]
        epoch = {side: median(run["epoch_seconds"]) for side, run in runs.items()}
        lines.append(
            f"| {TITLES[name]} | {book_run['n_epochs']} / {holdout['n_epochs']} / {ours['n_epochs']} "
            f"| {book_run['mae']:,.0f} | {holdout['mae']:,.0f} | {ours['mae']:,.0f} "
            f"| {ours['mae'] / holdout['mae']:.3f} | {epoch['book']:.3f} | {epoch['book_holdout']:.3f} "
            f"| {epoch['skts']:.3f} | {epoch['skts'] / epoch['book_holdout']:.2f} |"
        )
    return lines


def write_readme(block_name, body):
    """Replace one marked block of the Neural section, creating the block or section if missing.

    Each protocol has its own block (``bench_neural-fixed``,
    ``bench_neural-early``), so running one protocol keeps the other's
    results; text outside the markers is kept.
    """
    start, end = f"<!-- {block_name}:start -->", f"<!-- {block_name}:end -->"
    block = f"{start}\n{body}\n{end}"
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    if start in text and end in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    elif re.search(r"^## Neural\b.*$", text, flags=re.M):
        # Append at the end of the Neural section, before the next section.
        match = re.search(r"^## Neural\b.*?(?=^## |\Z)", text, flags=re.M | re.S)
        section = match.group(0).rstrip("\n") + f"\n\n{block}\n\n"
        text = text[: match.start()] + section + text[match.end() :].lstrip("\n")
    else:
        text = text.rstrip("\n") + f"\n\n## Neural\n\n{block}\n"
    README.write_text(text.rstrip("\n") + "\n")


def run_pairs(models, seeds, data, *, epochs, early_stopping):
    """Both implementations for every model and seed, alternating which runs first.

    With early stopping a third run, ``book_holdout``, is the book's code
    early-stopping on skts's held-out windows.
    """
    sides = {
        "book": run_book,
        "skts": run_skts,
        "book_holdout": lambda *args, **kwargs: run_book(*args, **kwargs, holdout="skts"),
        "arrays": run_arrays,
    }
    results = {}
    for name in models:
        for seed in seeds:
            # Alternating the order keeps a change in the machine's load from
            # always falling on the same side.
            order = ["book", "skts"] if seed % 2 == 0 else ["skts", "book"]
            order.insert(1, "book_holdout" if early_stopping else "arrays")
            runs = {}
            for side in order:
                runs[side] = sides[side](name, data, seed=seed, epochs=epochs, early_stopping=early_stopping)
                print(
                    f"{name} seed {seed} {side}: MAE {runs[side]['mae']:,.0f}, "
                    f"median {median(runs[side]['epoch_seconds']):.3f} s/epoch, {runs[side]['n_epochs']} epochs",
                    flush=True,
                )
            results[name, seed] = runs
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--protocol",
        choices=("fixed", "early"),
        default="fixed",
        help="fixed: --epochs epochs for --seeds seeds, plus the latency; early: the book's early stopping",
    )
    parser.add_argument("--epochs", type=int, default=30, help="epochs of the fixed-epoch runs")
    parser.add_argument("--seeds", type=int, default=10, help="seeds 0, 1, ... (fixed); early uses seed 42 only")
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
        args.protocol, args.epochs, args.seeds, args.calls, args.no_readme = "fixed", 2, 1, 20, True

    data = load_data()
    load_before = os.getloadavg()
    started = time.perf_counter()
    early = args.protocol == "early"
    seeds = [42] if early else list(range(args.seeds))
    results = run_pairs(args.models, seeds, data, epochs=500 if early else args.epochs, early_stopping=early)
    body = []
    if early:
        body += [
            "### The book's protocol: up to 500 epochs, patience 50, best weights restored; seed 42",
            "",
            "*raw (book)* early-stops on `val_mae` of the validation windows themselves, which it is then "
            "scored on (as the book does); skts on the validation loss of the last 10% of its training "
            "windows (`patience=50, validation_fraction=0.1`), so it also trains on about 10% fewer "
            "windows. *raw (skts hold-out)* is the book's code and `fit_and_evaluate` early-stopping on "
            "exactly skts's held-out windows (still on `val_mae`, skts on the Huber loss): the "
            "like-for-like pair. Epoch times include each run's validation pass.",
            "",
            *summarise_early(results, args.models),
            "",
            "Raw, the book's own `fit_and_evaluate` figure (`model.evaluate`: all steps of every window, "
            "not only the last): "
            + ", ".join(f"{name} {results[name, 42]['book']['book_mae']:,.0f}" for name in args.models)
            + ".",
        ]
    else:
        body += [
            f"### Fixed epochs: {args.epochs} epochs, no validation, no early stopping; seeds {seeds}",
            "",
            "MAE and s/epoch: medians over the seeds (s/epoch: of each run's median epoch); ratios are "
            "skts / raw. *fit s / epoch* is a whole fit's wall time over its epochs (start-up included). "
            "The second table is a third arm: the book's model and compile trained by plain "
            "`model.fit(X, y, shuffle=True)` on NumPy sliding windows, seeded as skts seeds; it "
            "separates the data pipeline (this arm against the book's `tf.data`) from what skts adds "
            "(skts against this arm).",
            "",
            *summarise(results, args.models, seeds),
        ]
        last = {name: results[name, seeds[-1]] for name in args.models}
        rows = latency(
            {name: r["skts"] for name, r in last.items()}, {name: r["book"] for name, r in last.items()}, data, args.calls
        )
        body += [
            "",
            f"### One forecast from a fitted model (seed {seeds[-1]}), median ms over {args.calls} calls",
            "",
            "| model | steps | skts `predict` | Keras `model.predict` (1 window) | Keras `model(x)` (1 window) |",
            "|---|---:|---:|---:|---:|",
            *(
                f"| {TITLES[name]} | {steps} | {ours:.2f} | {keras_ms:.2f} | {direct:.2f} |"
                for name, steps, ours, keras_ms, direct in rows
            ),
        ]
    load_after = os.getloadavg()
    minutes = (time.perf_counter() - started) / 60
    command = "SKTS_DATA_HOME=../shared/data python benchmarks/bench_neural.py " + " ".join(sys.argv[1:])
    header = [
        f"Command: `{command.strip()}` ({minutes:.0f} min).",
        "",
        f"Machine: {machine_info()}. Load average (1 min) {load_before[0]:.1f} before, {load_after[0]:.1f} after.",
        "",
    ]
    text = "\n".join(header + body)
    print("\n" + text)
    if not args.no_readme:
        write_readme(f"bench_neural-{args.protocol}", text)


if __name__ == "__main__":
    main()
