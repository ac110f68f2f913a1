"""Activity import: FIT, GPX and TCX files (also gzipped), folders and Strava exports.

Public API:
- ``read_activities(stream, filename, limits)``: one file -> list of Activity
- ``parse_fit`` / ``parse_gpx`` / ``parse_tcx``: one format from a binary stream
- ``iter_sources(paths, limits)`` and ``import_all(sources, known_fingerprints, progress)``
- ``Activity``, ``Samples``, ``ImportProblem``, ``ImportReport``, ``Limits``

Every limit against huge or hostile files is in ``limits`` (see SECURITY.md); decoder
processes, bounded in bytes and time, in ``pool.decoder_pool``.
"""

from .bulk import ImportReport, Source, SourceMeta, import_all, iter_sources
from .errors import ImportProblem
from .fit import parse_fit
from .gpx import parse_gpx
from .limits import DEFAULT_LIMITS, Limits
from .model import Activity, Samples
from .read import read_activities
from .tcx import parse_tcx

__all__ = [
    "DEFAULT_LIMITS",
    "Activity",
    "ImportProblem",
    "ImportReport",
    "Limits",
    "Samples",
    "Source",
    "SourceMeta",
    "import_all",
    "iter_sources",
    "parse_fit",
    "parse_gpx",
    "parse_tcx",
    "read_activities",
]
