"""The Stridewell service: the one facade the CLI, the web app and library users share."""

from stridewell.service.core import AssessmentResult, Stridewell, utc_now

__all__ = ["AssessmentResult", "Stridewell", "utc_now"]
