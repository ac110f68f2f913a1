"""Stridewell: a local-first foot-health companion for runners."""

__version__ = "0.1.0"
