"""PlacePress: a static site generator for a civic organisation's website."""

__version__ = "0.1.0"
