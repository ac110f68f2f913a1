"""The handover to a clinician: a summary record, a one-page PDF and a FHIR R4 export.

Pure domain code: `build_summary` takes the assessment, its report and the runner's data
(time passed in); `render_pdf` and `build_bundle` read the summary; `parse_bundle` reads
an exported Bundle back into the assessment.
"""

from stridewell.handover.fhir import build_bundle, bundle_json, parse_bundle, snomed_codes
from stridewell.handover.fhir_questionnaire import (
    QUESTIONNAIRE_CANONICAL,
    QUESTIONNAIRE_URL,
    QUESTIONNAIRE_VERSION,
    questionnaire_json,
)
from stridewell.handover.model import HandoverSummary
from stridewell.handover.pdf import render_html, render_pdf
from stridewell.handover.snomed import SnomedMapping, SnomedTable, load_snomed
from stridewell.handover.summary import WINDOW_WEEKS, build_summary
from stridewell.handover.training import RunLike

__all__ = [
    "QUESTIONNAIRE_CANONICAL",
    "QUESTIONNAIRE_URL",
    "QUESTIONNAIRE_VERSION",
    "WINDOW_WEEKS",
    "HandoverSummary",
    "RunLike",
    "SnomedMapping",
    "SnomedTable",
    "build_bundle",
    "build_summary",
    "bundle_json",
    "load_snomed",
    "parse_bundle",
    "questionnaire_json",
    "render_html",
    "render_pdf",
    "snomed_codes",
]
