"""The Stridewell service: the one typed boundary the CLI, the web app and library users
share. `Stridewell(...).for_runner(runner_id)` gives one runner's services by area."""

from stridewell.service.assessments import AssessmentResult
from stridewell.service.backend import Clock, utc_now
from stridewell.service.core import Stridewell
from stridewell.service.runner import RunnerServices

__all__ = ["AssessmentResult", "Clock", "RunnerServices", "Stridewell", "utc_now"]
