"""Every private name skts uses from scikit-learn, statsmodels, Keras and TensorFlow.

Private APIs move between releases. Keeping them in one module means one
place to look when a dependency is upgraded, and one place to fix. Each
name is listed with the releases it was checked against; the heavy
libraries (statsmodels, Keras, TensorFlow) are imported inside functions so
that ``import skts`` stays light.

Checked against: scikit-learn 1.6-1.9, statsmodels 0.14-0.15,
Keras 3.15 with TensorFlow 2.21.
"""

import contextlib
import random

# scikit-learn's parameter-constraint vocabulary (``_parameter_constraints``
# dicts and ``validate_params``): private, but the documented way for
# third-party estimators to declare their constraints (developer guide).
from sklearn.utils._param_validation import (  # noqa: F401
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "validate_params",
    "validate_parameters",
    "statsmodels_converged",
    "STATSMODELS_START_PARAMS_MESSAGES",
    "keras_default_seeds_from",
    "traced_inference",
]


def validate_parameters(estimator):
    """Check the constructor parameters against ``_parameter_constraints``.

    ``BaseEstimator._validate_params`` is private in scikit-learn 1.6-1.9;
    it raises ``InvalidParameterError`` (a ``ValueError`` and ``TypeError``)
    naming the parameter and the accepted values.
    """
    estimator._validate_params()


# -- statsmodels -------------------------------------------------------------

# statsmodels warns when it replaces non-stationary or non-invertible starting
# parameters by zeros, or has too few rows to estimate them; the optimiser then
# starts from zeros, which is harmless when it converges. Matched on the
# message text (statsmodels 0.14-0.15) because it uses generic warning
# classes for them.
STATSMODELS_START_PARAMS_MESSAGES = ("starting", "start_params")


def statsmodels_converged(results):
    """Whether the optimiser of a statsmodels MLE fit converged.

    ``MLEResults.mle_retvals`` is undocumented (statsmodels 0.14-0.15); it
    is absent when no optimisation ran (all parameters fixed), which counts
    as converged.
    """
    retvals = getattr(results, "mle_retvals", None) or {}
    return bool(retvals.get("converged", True))


# -- Keras -------------------------------------------------------------------


@contextlib.contextmanager
def keras_default_seeds_from(seed):
    """Make Keras draw its default seeds from a private generator in the block.

    Keras 3 (checked: 3.15) draws the seed of every initialiser, dropout
    layer and of its global ``SeedGenerator`` from Python's global
    ``random`` module (``keras.src.random.seed_generator.python_random``).
    Other threads of the process draw from that module too: a Dask worker's
    event loop does while a task trains, so a seeded fit in a Dask worker
    gave different weights from one run to the next. A private
    ``random.Random(seed)`` makes the draws depend on ``seed`` alone.
    """
    from keras.src.random import seed_generator

    saved = seed_generator.python_random
    seed_generator.python_random = random.Random(seed)
    try:
        yield
    finally:
        seed_generator.python_random = saved


def traced_inference(model):
    """``model(X, training=False)`` as one graph, traced once for any batch size.

    A ``tf.function`` with an input signature whose batch axis is ``None``
    (TensorFlow 2.21, Keras 3.15): ``model.predict`` builds a data pipeline
    per call (about 55 ms for one window), this about a millisecond for a
    small net. TensorFlow's path of
    :func:`skts.neural._keras_support.fast_predictor`. The function holds a
    traced graph and cannot be pickled.
    """
    from skts._optional import import_optional

    tf = import_optional("tensorflow")
    spec = model.inputs[0]
    signature = [tf.TensorSpec(shape=(None, *spec.shape[1:]), dtype=spec.dtype)]

    @tf.function(input_signature=signature)
    def call(X):
        return model(X, training=False)

    return call
