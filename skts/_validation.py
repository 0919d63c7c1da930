"""Input checks shared by the skts estimators and transformers."""

from numbers import Integral

import numpy as np
import pandas as pd

# pandas.api.types.infer_dtype kinds of an object column that holds numbers.
_NUMBER_KINDS = {"integer", "floating", "mixed-integer-float", "decimal", "empty"}


def check_numeric_columns(X, estimator, name="X"):
    """Return ``X`` with numeric columns, or raise a ValueError naming the others.

    scikit-learn's own conversion error ("could not convert string to
    float") names neither the column nor the fix; this one does both.
    Object columns that hold only numbers (``pd.Series([1, 2.5],
    dtype=object)``) are converted to float on a copy; numbers stored as
    text get a pointer to ``pandas.to_numeric``, other text to encoding.

    Parameters
    ----------
    X : array-like
        Input about to be validated by ``validate_data``; never modified.
    estimator : object
        The estimator validating it, named in the message.
    name : str, default="X"
        Name of the argument in the message (``"X"`` or ``"y"``).

    Returns
    -------
    X : array-like
        ``X`` itself, or a float copy when object columns held numbers.
    """
    if isinstance(X, pd.DataFrame):
        columns = {col: X[col] for col, dtype in X.dtypes.items() if not pd.api.types.is_numeric_dtype(dtype)}
    elif isinstance(X, pd.Series):
        columns = {} if pd.api.types.is_numeric_dtype(X.dtype) else {X.name: X}
    elif isinstance(X, np.ndarray) and X.dtype.kind in "US":
        columns = {"all": X.ravel()}
    elif isinstance(X, np.ndarray) and X.dtype.kind == "O":
        # Text gets the pointer to encoding; numbers convert and other
        # objects get scikit-learn's own TypeError from check_array.
        if pd.api.types.infer_dtype(X.ravel(), skipna=True) != "string":
            return X
        columns = {"all": X.ravel()}
    else:
        return X
    if not columns:
        return X
    texts, others = [], []
    for col, values in columns.items():
        kind = pd.api.types.infer_dtype(values, skipna=True)
        if kind in _NUMBER_KINDS:
            continue
        values = pd.Series(np.asarray(values).ravel())
        numbers = pd.to_numeric(values, errors="coerce")
        if kind == "string" and numbers.notna().sum() == values.notna().sum():
            texts.append(col)
        else:
            others.append(col)
    who = type(estimator).__name__
    if texts:
        raise ValueError(
            f"{who} needs numeric {name}; column(s) {texts} hold numbers stored as text. "
            f"Convert them first, for example {name} = {name}.apply(pd.to_numeric) "
            "(or pd.to_numeric on a Series)."
        )
    if others:
        raise ValueError(
            f"{who} needs numeric {name}; non-numeric column(s): {others}. Encode them "
            "(for example with pandas.get_dummies or a OneHotEncoder) or drop them first."
        )
    # Every non-numeric column holds numbers: a float copy, never the caller's data.
    if isinstance(X, pd.DataFrame):
        return X.astype({col: np.float64 for col in columns})
    return X.astype(np.float64)


def check_positive_int(value, name):
    """``value`` as an int, or a ValueError naming ``name`` if it is not an integer >= 1.

    Booleans are refused although Python counts them as integers.
    """
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return int(value)
