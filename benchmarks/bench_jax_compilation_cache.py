"""A grid search on JAX with and without JAX's persistent compilation cache.

On Keras' JAX backend every fit compiles its training step with XLA, and a
``GridSearchCV`` or a refitting backtest fits the same network many times.
JAX can keep compiled programs in a directory (``JAX_COMPILATION_CACHE_DIR``;
``JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS=0`` caches the short compiles
too). skts leaves that setting to the user: this measures what it is worth.

The search: ``RNNForecaster`` (GRU, 56 steps of history) over ``units`` in
{16, 32}, three ``TimeSeriesSplit`` folds of 14 days, 2 epochs per fit, on
rail ridership 2016-2018. Each run is a fresh Python process:

- ``no cache``: twice;
- ``cache, cold``: an empty cache directory;
- ``cache, warm``: the same directory again, as a second search would find it.

Wall and CPU seconds of the search alone (imports excluded) and its best
score, which must be the same in every run.

Usage::

    SKTS_DATA_HOME=../shared/data python benchmarks/bench_jax_compilation_cache.py
"""

import json
import os
import subprocess
import sys
import tempfile
import time

WORKER = """
import json, time
import numpy as np
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from skts.datasets import load_ridership
from skts.neural import RNNForecaster

rail = load_ridership()["rail"].loc["2016":"2018"]
X = np.empty((len(rail), 0))
wall, cpu = time.perf_counter(), time.process_time()
search = GridSearchCV(
    RNNForecaster(seq_length=56, epochs=2, random_state=0),
    {"units": [16, 32]},
    cv=TimeSeriesSplit(n_splits=3, test_size=14),
    scoring="neg_mean_absolute_error",
).fit(X, rail)
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "score": -search.best_score_}))
"""


def run(cache_dir):
    """One search in a fresh process on the JAX backend; the cache used if a directory is given."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("JAX_")}
    env["KERAS_BACKEND"] = "jax"
    if cache_dir is not None:
        env.update(JAX_COMPILATION_CACHE_DIR=cache_dir, JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS="0")
    result = subprocess.run([sys.executable, "-c", WORKER], env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.1f}")
    print("| run | wall s | CPU s | best CV MAE |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as cache_dir:
        for name, directory in [("no cache", None), ("no cache", None), ("cache, cold", cache_dir),
                                ("cache, warm", cache_dir)]:
            row = run(directory)
            print(f"| {name} | {row['wall']:.1f} | {row['cpu']:.1f} | {row['score']:,.0f} |")


if __name__ == "__main__":
    main()
