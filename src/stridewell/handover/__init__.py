"""The handover to a clinician: a summary record, a one-page PDF and a FHIR R4 export.

Pure domain code: `build_summary` takes the assessment, its report and the runner's data
(time passed in); `render_pdf` and `build_bundle` read the summary; `parse_bundle` reads
an exported Bundle back into the assessment.

    summary = build_summary(
        assessment_id=record.id, assessment=Assessment.model_validate(record.assessment),
        report=TriageReport.from_json_dict(record.report), assessed_at=record.created_at,
        today=today, entries=journal_entries, runs=activity_summaries, shoes=shoes,
        plan=plan, exercise_logs=logs, questions=["..."], tz=runner_tz,
    )
    pdf_bytes = render_pdf(summary)                       # application/pdf
    fhir_json = build_bundle(summary).model_dump_json()   # application/fhir+json
    assessment = parse_bundle(fhir_json)                  # and back
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
