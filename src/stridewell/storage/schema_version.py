"""The schema revision this code expects, as a constant.

Checking it with one plain query keeps Alembic (and its import time) off the everyday
path: `stridewell assess --json` should not pay for migration machinery. A test keeps
this constant equal to the head of the migration scripts.
"""

HEAD_REVISION = "0015"
