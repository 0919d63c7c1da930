"""Input checks shared by the skts transformers."""

import numpy as np
import pandas as pd


def check_numeric_columns(X, estimator):
    """Raise a ValueError naming the non-numeric columns of ``X``, if any.

    scikit-learn's own conversion error ("could not convert string to
    float") names neither the column nor the fix; this one does both.

    Parameters
    ----------
    X : array-like
        Input about to be validated by ``validate_data``.
    estimator : object
        The estimator validating it, named in the message.
    """
    if isinstance(X, pd.DataFrame):
        bad = [col for col, dtype in X.dtypes.items() if not pd.api.types.is_numeric_dtype(dtype)]
    elif isinstance(X, pd.Series):
        bad = [] if pd.api.types.is_numeric_dtype(X.dtype) else [X.name]
    elif isinstance(X, np.ndarray) and X.dtype.kind in "USM":
        bad = ["all"]
    else:
        return
    if bad:
        raise ValueError(
            f"{type(estimator).__name__} needs numeric input; non-numeric column(s): "
            f"{bad}. Encode them (for example with pandas.get_dummies or a "
            "OneHotEncoder) or drop them first."
        )
