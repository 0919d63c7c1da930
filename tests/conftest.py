"""Test-session set-up shared by every test module."""

import os
from pathlib import Path

# statsmodels' Kalman filter calls BLAS on tiny matrices: OpenBLAS's thread pool
# only adds contention on the 2-core CI machine (measured ~10x slower when busy).
# Set before NumPy is first imported; joblib workers inherit it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# Tests run offline: the ridership CSV comes from the shared data folder
# beside the repository unless the caller points SKTS_DATA_HOME elsewhere.
_SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
if "SKTS_DATA_HOME" not in os.environ and _SHARED_DATA.is_dir():
    os.environ["SKTS_DATA_HOME"] = str(_SHARED_DATA)

os.environ.setdefault("MPLBACKEND", "Agg")
