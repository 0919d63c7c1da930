"""Where skts keeps downloaded data, and how a file gets there safely."""

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from skts._compat import validate_params


# Seconds without a byte from the server before a download is abandoned.
_TIMEOUT = 60
_CHUNK_BYTES = 1 << 16


@validate_params({"data_home": [str, os.PathLike, None]}, prefer_skip_nested_validation=True)
def get_data_home(data_home=None):
    """The folder where skts caches downloaded data sets.

    The first of: the ``data_home`` argument, the ``SKTS_DATA_HOME``
    environment variable, ``~/skts_data``. ``~`` is expanded. Unlike
    scikit-learn's ``get_data_home`` the folder is not created here: it is
    created by the first download, so a read-only data home that already
    holds the files (a shared data folder) works.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Explicit data folder; overrides the environment variable.

    Returns
    -------
    data_home : pathlib.Path
        The data folder (it may not exist yet).

    Examples
    --------
    >>> from skts.datasets import get_data_home
    >>> str(get_data_home("/tmp/my_data"))
    '/tmp/my_data'
    """
    if data_home is None:
        data_home = os.environ.get("SKTS_DATA_HOME") or os.path.join("~", "skts_data")
    return Path(os.path.expanduser(os.fspath(data_home)))


def fetch_verified(url, path, sha256):
    """Download ``url`` to ``path`` only if its SHA-256 is ``sha256``.

    The bytes go to a temporary file in the destination folder, hashed on
    the way; only a complete download with the expected hash is moved into
    place, with an atomic ``os.replace``. An interrupted or corrupt
    download therefore never lands at ``path``, and the folders created for
    it are removed again.

    Parameters
    ----------
    url : str
        Address to download.
    path : pathlib.Path
        Destination file; its folder is created if needed.
    sha256 : str
        Expected hexadecimal SHA-256 of the file.

    Raises
    ------
    OSError
        If the download fails (the message says how to provide the file by
        hand) or its hash differs from ``sha256`` (both hashes named).
    """
    # Folders made here are removed again if the download fails, so an
    # offline attempt leaves the data home as it found it.
    created = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as tmp:
            try:
                with urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
                    while chunk := response.read(_CHUNK_BYTES):
                        digest.update(chunk)
                        tmp.write(chunk)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                raise OSError(
                    f"Could not download {url} ({exc}). If this machine is offline, "
                    f"download the file by hand from that address and save it as {path}, "
                    "or set the SKTS_DATA_HOME environment variable (or pass data_home) "
                    f"to a folder that holds {path.parent.name}/{path.name}."
                ) from exc
        actual = digest.hexdigest()
        if actual != sha256:
            raise OSError(
                f"The file downloaded from {url} is corrupt or has changed: its SHA-256 "
                f"is {actual}, expected {sha256}. Nothing was saved; try again, or "
                f"download the file by hand and save it as {path}."
            )
        os.replace(tmp_name, path)
    except BaseException:
        # Includes KeyboardInterrupt: a half-written file must not stay behind.
        if os.path.exists(tmp_name):
            os.remove(tmp_name)
        for folder in created:
            try:
                folder.rmdir()
            except OSError:  # not empty: someone else is using it
                break
        raise
