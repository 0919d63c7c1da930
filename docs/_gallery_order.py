"""The order of the gallery: the quickstart first, then by topic, then the rest by name."""

from pathlib import Path

FIRST = ["quickstart.py", "cross_validation.py", "intervals.py", "auto_sarima.py", "neural_forecaster.py", "pytorch_lstm.py", "many_series.py"]


class GalleryOrder:
    """sphinx-gallery's ``within_subsection_order`` key: listed files first, in ``FIRST``'s order."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        name = Path(filename).name
        return (FIRST.index(name) if name in FIRST else len(FIRST), name)

    def __repr__(self):
        return f"GalleryOrder({FIRST})"
