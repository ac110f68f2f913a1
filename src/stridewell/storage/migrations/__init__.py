"""Alembic migrations of the Stridewell database (run through ``stridewell.storage.migrate``)."""
