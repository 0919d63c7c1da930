"""Helpers shared by the textbook and interop scripts: command line, progress, timing, tables.

Not part of skts: those scripts import it from their own folder (a script's
folder is first on ``sys.path`` when it runs).
"""

import argparse
import os
import platform
import sys
import time

import numpy as np
import pandas as pd


def parse_args(description, argv, rows=None):
    """The scripts' command line: ``--smoke`` and, for long scripts, ``--only``.

    Parameters
    ----------
    description : str
        First line of ``--help``.
    argv : list of str or None
        Arguments; None reads ``sys.argv``.
    rows : list of str, optional
        Keys of the table rows that ``--only`` may select.

    Returns
    -------
    args : argparse.Namespace
        ``smoke`` (bool) and ``only`` (list of row keys, or None for all).
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny networks and 1 epoch on a short history: checks that the script runs "
        "(the test suite uses it); the figures mean nothing",
    )
    if rows is not None:
        parser.add_argument(
            "--only",
            nargs="+",
            choices=rows,
            metavar="ROW",
            help=f"run only these rows of the table; one or more of: {', '.join(rows)}",
        )
    args = parser.parse_args(argv)
    if rows is None:
        args.only = None
    return args


def progress(message):
    """One line on stderr, so that stdout holds only the results."""
    print(message, file=sys.stderr, flush=True)


class Timer:
    """Wall-clock seconds of a ``with`` block, in ``seconds``."""

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._start
        return False


def environment():
    """One line describing where the figures were measured."""
    import sklearn

    import skts

    parts = [
        f"Python {platform.python_version()}",
        f"skts {skts.__version__}",
        f"scikit-learn {sklearn.__version__}",
    ]
    if "keras" in sys.modules:
        keras = sys.modules["keras"]
        parts.append(f"Keras {keras.__version__}")
    parts.append(f"{os.cpu_count()} CPU(s)")
    return ", ".join(parts)


def markdown_table(frame, formats):
    """A DataFrame as a GitHub markdown table, numbers formatted per column.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows to print; the index is not printed.
    formats : dict of str to str
        Format spec per numeric column (for example ``",.0f"``); columns not
        listed are printed with ``str``. Missing values print as an empty cell.

    Returns
    -------
    table : str
    """

    def cell(value, spec):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return ""
        return format(value, spec) if spec else str(value)

    header = list(frame.columns)
    # itertuples keeps each column's type (iterrows would turn ints into floats).
    body = [
        [cell(value, formats.get(column)) for column, value in zip(header, row)]
        for row in frame.itertuples(index=False, name=None)
    ]
    widths = [max(3, len(str(name)), *(len(row[i]) for row in body)) for i, name in enumerate(header)]
    numeric = [pd.api.types.is_numeric_dtype(frame[column]) for column in header]

    def line(cells):
        padded = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)]
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * (w - 1) + ":" if num else "-" * w for w, num in zip(widths, numeric)]
    return "\n".join([line(header), line(rule), *(line(row) for row in body)])


def command_line(script, argv):
    """The shell command that runs ``script`` with ``argv`` (None: this process's)."""
    args = sys.argv[1:] if argv is None else list(argv)
    return " ".join(["python", f"benchmarks/{script}", *args])


def report(title, frame, formats, seconds, command):
    """Print the results table with the command and environment that produced it."""
    print(f"## {title}\n")
    print(markdown_table(frame, formats))
    print(f"\n`{command}`: {seconds:,.0f} s wall time; {environment()}.")
