"""load_ridership: cleaning, cache location and a download that never caches bad bytes.

No test touches the network: downloads come from ``file://`` URLs or a
patched opener.
"""

import hashlib
import os
import shutil
import urllib.error
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skts.datasets import _base, _ridership, get_data_home, load_ridership

SHARED = Path(os.environ["SKTS_DATA_HOME"])
CSV = (SHARED / "ridership" / "CTA_-_Ridership_-_Daily_Boarding_Totals.csv").resolve()


def test_pinned_hash_is_the_shared_file():
    assert hashlib.sha256(CSV.read_bytes()).hexdigest() == _ridership._SHA256


def test_loads_the_cleaned_daily_table():
    df = load_ridership()
    assert df.shape == (7639, 3)
    assert list(df.columns) == ["day_type", "bus", "rail"]
    assert df.index.name == "date"
    assert isinstance(df.index, pd.DatetimeIndex)
    assert df.index.freqstr == "D"
    assert df.index.is_monotonic_increasing and df.index.is_unique
    assert (df.index[0], df.index[-1]) == (pd.Timestamp("2001-01-01"), pd.Timestamp("2021-11-30"))
    assert df["bus"].dtype == np.int64 and df["rail"].dtype == np.int64
    assert pd.api.types.is_string_dtype(df["day_type"])
    assert set(df["day_type"]) == {"W", "A", "U"}
    # The first data row of the file, read independently.
    assert df.loc["2001-01-02"].tolist() == ["W", 780827, 501952]


def test_matches_the_textbook_cleaning():
    raw = pd.read_csv(CSV, parse_dates=["service_date"], date_format="%m/%d/%Y")
    raw.columns = ["date", "day_type", "bus", "rail", "total"]
    book = raw.sort_values("date").set_index("date").drop("total", axis=1).drop_duplicates()
    pd.testing.assert_frame_equal(load_ridership(), book, check_freq=False)


def test_data_home_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("SKTS_DATA_HOME", str(tmp_path / "env"))
    assert get_data_home() == tmp_path / "env"
    assert get_data_home(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv("SKTS_DATA_HOME")
    assert get_data_home() == Path.home() / "skts_data"


def test_data_home_argument_overrides_env(monkeypatch, tmp_path):
    monkeypatch.setenv("SKTS_DATA_HOME", str(tmp_path / "empty"))
    assert load_ridership(data_home=SHARED).shape == (7639, 3)


def test_download_caches_the_verified_file(monkeypatch, tmp_path):
    monkeypatch.setattr(_ridership, "_URL", CSV.as_uri())
    df = load_ridership(data_home=tmp_path)
    cached = tmp_path / "ridership" / CSV.name
    assert cached.read_bytes() == CSV.read_bytes()
    assert os.listdir(cached.parent) == [CSV.name]
    assert df.shape == (7639, 3)
    # The second call reads the cache: a broken address is never opened.
    monkeypatch.setattr(_ridership, "_URL", (tmp_path / "nowhere.csv").as_uri())
    pd.testing.assert_frame_equal(load_ridership(data_home=tmp_path), df)


def test_corrupt_download_leaves_no_file(monkeypatch, tmp_path):
    corrupt = tmp_path / "corrupt.csv"
    corrupt.write_bytes(CSV.read_bytes()[:-100])  # a truncated download
    monkeypatch.setattr(_ridership, "_URL", corrupt.as_uri())
    home = tmp_path / "home"
    actual = hashlib.sha256(corrupt.read_bytes()).hexdigest()
    with pytest.raises(OSError, match=f"SHA-256 is {actual}, expected {_ridership._SHA256}"):
        load_ridership(data_home=home)
    # Neither a partial file nor the folders made for it stay behind.
    assert not home.exists()


def test_failed_download_keeps_existing_folders(monkeypatch, tmp_path):
    corrupt = tmp_path / "corrupt.csv"
    corrupt.write_bytes(b"not the ridership file\n")
    monkeypatch.setattr(_ridership, "_URL", corrupt.as_uri())
    folder = tmp_path / "home" / "ridership"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(OSError, match="corrupt or has changed"):
        load_ridership(data_home=tmp_path / "home")
    assert os.listdir(folder) == ["notes.txt"]


def test_interrupted_download_leaves_no_file(monkeypatch, tmp_path):
    class Broken:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def __init__(self):
            self.calls = 0

        def read(self, size):
            self.calls += 1
            if self.calls > 1:
                raise ConnectionResetError("connection reset by peer")
            return b"service_date,day_type\n"

    monkeypatch.setattr(_base.urllib.request, "urlopen", lambda url, timeout: Broken())
    with pytest.raises(OSError, match="Could not download"):
        load_ridership(data_home=tmp_path)
    assert os.listdir(tmp_path) == []


def test_offline_error_says_what_to_do(monkeypatch, tmp_path):
    def offline(url, timeout):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(_base.urllib.request, "urlopen", offline)
    with pytest.raises(OSError, match="SKTS_DATA_HOME") as info:
        load_ridership(data_home=tmp_path)
    message = str(info.value)
    assert _ridership._URL in message and "ridership/CTA_-_Ridership" in message
    assert "by hand" in message
    assert os.listdir(tmp_path) == []


def test_no_download_when_disabled(monkeypatch, tmp_path):
    def fail(url, timeout):
        raise AssertionError("must not download")

    monkeypatch.setattr(_base.urllib.request, "urlopen", fail)
    with pytest.raises(OSError, match="download_if_missing=False"):
        load_ridership(data_home=tmp_path, download_if_missing=False)
    assert not (tmp_path / "ridership").exists()


def test_hand_placed_copy_is_used(tmp_path):
    (tmp_path / "ridership").mkdir()
    shutil.copy(CSV, tmp_path / "ridership" / CSV.name)
    assert load_ridership(data_home=str(tmp_path), download_if_missing=False).shape == (7639, 3)


def test_conflicting_duplicate_dates_are_an_error(tmp_path):
    (tmp_path / "ridership").mkdir()
    lines = CSV.read_text().splitlines()
    # Same date as the first row, different counts.
    lines.append("01/01/2001,U,1,2,3")
    (tmp_path / "ridership" / CSV.name).write_text("\n".join(lines) + "\n")
    # The cached file is hashed first; the cleaning's own check stays for
    # the bytes it is given.
    with pytest.raises(ValueError, match="not the published file"):
        load_ridership(data_home=tmp_path)
    with pytest.raises(ValueError, match="conflicting counts"):
        _ridership._clean(pd.read_csv(tmp_path / "ridership" / CSV.name))
