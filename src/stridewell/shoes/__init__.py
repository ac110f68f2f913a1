"""shoes."""
