"""The Chicago Transit Authority daily boardings used by the textbook."""

import hashlib
import os

import pandas as pd

from skts._compat import validate_params
from skts.datasets._base import fetch_verified, get_data_home

_URL = "https://github.com/ageron/data/raw/main/ridership/CTA_-_Ridership_-_Daily_Boarding_Totals.csv"
_SHA256 = "34faaba085ca21434b7dd3e0abcbaf8cde5be3a4f170dda1c8caef72c5c4bd06"
_SUBDIR = "ridership"
_FILENAME = "CTA_-_Ridership_-_Daily_Boarding_Totals.csv"


@validate_params(
    {"data_home": [str, os.PathLike, None], "download_if_missing": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def load_ridership(*, data_home=None, download_if_missing=True):
    """Load the CTA daily bus and rail boardings, 2001-01-01 to 2021-11-30.

    The Chicago Transit Authority's daily boarding totals, as published with
    the textbook's data sets. The CSV is downloaded on first use from
    ``https://github.com/ageron/data`` and cached at
    ``<data_home>/ridership/CTA_-_Ridership_-_Daily_Boarding_Totals.csv``;
    the download is checked against a pinned SHA-256 before it is cached.

    The table is cleaned as the book does: dates parsed, rows sorted by
    date, the ``total`` column dropped (it is ``bus + rail``) and the 62
    duplicated rows of the published file dropped, which leaves one row per
    day.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder of the cache. By default the ``SKTS_DATA_HOME`` environment
        variable, else ``~/skts_data``; see :func:`get_data_home`.
    download_if_missing : bool, default=True
        If False, raise an error instead of downloading a missing file.

    Returns
    -------
    ridership : pandas.DataFrame of shape (7639, 3)
        Indexed by a daily ``DatetimeIndex`` named ``date`` with frequency
        ``"D"``. Columns:

        - ``day_type`` (str): ``"W"`` weekday, ``"A"`` Saturday, ``"U"``
          Sunday or holiday;
        - ``bus`` (int64): bus boardings that day, in riders;
        - ``rail`` (int64): rail boardings that day, in riders.

    Raises
    ------
    OSError
        If the file is not cached and cannot be downloaded (offline, or
        ``download_if_missing=False``), or the download does not match the
        pinned SHA-256. The message says where to put the file by hand.
    ValueError
        If the cached file is not the published one (truncated, edited,
        wrong columns or missing days: its SHA-256 differs). The message
        names the file and says to delete it.

    Notes
    -----
    The cached file is checked against the pinned SHA-256 on every load (a
    few milliseconds), so a copy placed by hand must be the published file.
    Offline machines point ``SKTS_DATA_HOME`` at a folder holding
    ``ridership/CTA_-_Ridership_-_Daily_Boarding_Totals.csv``.

    Examples
    --------
    >>> from skts.datasets import load_ridership
    >>> df = load_ridership()  # doctest: +SKIP
    >>> df.loc["2019-03":"2019-05", "rail"].plot()  # doctest: +SKIP
    """
    path = get_data_home(data_home) / _SUBDIR / _FILENAME
    if not path.is_file():
        if not download_if_missing:
            raise OSError(
                f"The ridership data is not in the cache ({path}) and "
                "download_if_missing=False. Call load_ridership() with "
                "download_if_missing=True, download the file by hand from "
                f"{_URL} and save it there, or set SKTS_DATA_HOME to a folder "
                f"that holds {_SUBDIR}/{_FILENAME}."
            )
        fetch_verified(_URL, path, _SHA256)
    _check_cached(path)
    return _clean(pd.read_csv(path))


def _check_cached(path):
    """Raise if the cached file is not the published one, naming it and the fix."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != _SHA256:
        raise ValueError(
            f"The cached ridership file {path} is not the published file: its SHA-256 is "
            f"{digest}, expected {_SHA256} (it is truncated, edited or another file, with "
            "wrong columns or missing days). Delete it so that load_ridership() downloads "
            f"it again, or replace it with the CSV published at {_URL}."
        )


def _clean(raw):
    """The textbook's cleaning, plus the daily frequency on the index."""
    df = raw.rename(
        columns={"service_date": "date", "rail_boardings": "rail", "total_rides": "total"}
    )
    # An explicit format: the file writes MM/DD/YYYY, which must not be read day-first.
    df["date"] = pd.to_datetime(df["date"], format="%m/%d/%Y")
    # Whole duplicated rows (date included) are the publisher's repeats; a
    # date repeated with different counts would be a data error, caught below.
    df = df.drop(columns="total").drop_duplicates().sort_values("date", kind="stable")
    df = df.set_index("date")
    if not df.index.is_unique:
        raise ValueError(
            "The ridership file has dates with conflicting counts: it is not the "
            "published file. Delete it from the data home so it is downloaded again."
        )
    # Raises if a day is missing, instead of silently inserting NaN rows.
    df.index = pd.DatetimeIndex(df.index, freq="D")
    return df[["day_type", "bus", "rail"]]
