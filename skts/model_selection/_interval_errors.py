"""Interval columns of a backtest frame and the scores that read them.

``backtest(..., coverage=...)`` adds one ``lower``/``upper`` pair per
coverage (``lower_80``/``upper_80``, ... for a list) and records the
coverages in ``frame.attrs["coverage"]``; it also records the targets of
the first training history in ``frame.attrs["y_train"]``, the scale of
MASE. ``backtest_errors`` scores them with the metrics named here.
"""

import re

import numpy as np

from skts._validation import bound_column_names, bound_quantiles
from skts.metrics import interval_coverage, interval_score, interval_width, mean_absolute_scaled_error, pinball_loss

# Metrics that need more than the actual and forecast columns.
FRAME_METRICS = ("mase", "coverage", "width", "interval_score", "pinball")
_INTERVAL_METRICS = ("coverage", "width", "interval_score", "pinball")


def add_bound_columns(frame, quantiles, levels, coverages, is_list):
    """Add the bounds of ``quantiles`` ``(n_origins, horizon, n_targets, n_levels)`` to ``frame``."""
    position = {q: j for j, q in enumerate(levels)}
    flat = quantiles.reshape(-1, len(levels))
    for c, (low, up) in zip(coverages, bound_column_names(coverages, is_list), strict=True):
        lower, upper = bound_quantiles(c)
        frame[low] = flat[:, position[lower]]
        frame[up] = flat[:, position[upper]]
    frame.attrs["coverage"] = list(coverages)


def record_history(frame, y_values, first, target_labels):
    """Keep the observed targets before the first origin, for MASE."""
    history = y_values[:first]
    observed = np.isfinite(history).all(axis=1)
    history = history[int(np.argmax(observed)) :] if observed.any() else history[:0]
    frame.attrs["y_train"] = {label: history[:, t].tolist() for t, label in enumerate(target_labels)}


def interval_pairs(frame):
    """``[(suffix, coverage, lower column, upper column)]`` of a backtest frame."""
    columns = set(frame.columns)
    coverages = frame.attrs.get("coverage")
    if {"lower", "upper"} <= columns:
        if not coverages or len(coverages) != 1:
            raise ValueError(
                "frame has lower/upper columns but frame.attrs['coverage'] does not hold their "
                "coverage (it is lost by some pandas operations): set frame.attrs['coverage'] = [c]."
            )
        return [("", float(coverages[0]), "lower", "upper")]
    pairs = []
    for column in frame.columns:
        match = re.fullmatch(r"lower_(\d+(?:\.\d+)?)", str(column))
        if match and f"upper_{match.group(1)}" in columns:
            pairs.append((f"_{match.group(1)}", float(match.group(1)) / 100, column, f"upper_{match.group(1)}"))
    return pairs


def check_frame_metrics(frame, names):
    """Fail early, naming what is missing, when a frame metric cannot be computed."""
    if "mase" in names and "y_train" not in frame.attrs:
        raise ValueError(
            "'mase' scales errors by the seasonal naive error of the training history, which "
            "backtest records in frame.attrs['y_train']; this frame has none (pandas drops attrs "
            "in some operations). Score the frame returned by backtest."
        )
    if any(name in _INTERVAL_METRICS for name in names) and not interval_pairs(frame):
        raise ValueError(
            f"{[n for n in names if n in _INTERVAL_METRICS]} score prediction intervals, and the "
            "frame has no lower/upper columns: run backtest(..., coverage=0.9) (or a list)."
        )


def frame_scores(rows, name, frame, season_length):
    """``{column name: value}`` of the frame metric ``name`` on ``rows``."""
    actual = rows["actual"].to_numpy()
    if name == "mase":
        histories = frame.attrs["y_train"]
        key = rows["target"].iloc[0] if "target" in rows.columns else next(iter(histories))
        history = np.asarray(histories[key], dtype=np.float64)
        return {
            "mase": float(
                mean_absolute_scaled_error(
                    actual, rows["forecast"].to_numpy(), y_train=history, season_length=season_length
                )
            )
        }
    out = {}
    pairs = interval_pairs(frame)
    if name == "pinball":
        levels, preds = [], []
        for _, c, low, up in pairs:
            levels += [(1 - c) / 2, (1 + c) / 2]
            preds += [rows[low].to_numpy(), rows[up].to_numpy()]
        return {"pinball": pinball_loss(actual, np.column_stack(preds), quantiles=levels)}
    for suffix, c, low, up in pairs:
        lower, upper = rows[low].to_numpy(), rows[up].to_numpy()
        if name == "coverage":
            value = interval_coverage(actual, lower, upper)
        elif name == "width":
            value = interval_width(lower, upper)
        else:
            value = interval_score(actual, lower, upper, coverage=c)
        out[name + suffix] = value
    return out
