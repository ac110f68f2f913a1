"""Imports as jobs: the per-file import (``pipeline``), the jobs' state and reports
(``imports``), and, on PostgreSQL only, the task queue that runs them on workers
(``queue``: procrastinate, imported only there, so a one-person SQLite install never
loads it)."""
