"""Data sets: the CTA ridership the textbook forecasts and its synthetic sine panel."""

from skts.datasets._base import get_data_home
from skts.datasets._ridership import load_ridership
from skts.datasets._synthetic import make_sine_panel

__all__ = ["get_data_home", "load_ridership", "make_sine_panel"]
