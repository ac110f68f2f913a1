"""`stridewell assess` with no arguments: the questionnaire in the terminal, then the report.

The questions, their order and when each is asked live in `knowledge/data/questions.yaml`
and `triage/questionnaire.py`; this module only shows them and reads the replies. Reading
a reply goes through an injectable `ask` function, so tests script the answers without a
terminal. Typing b (or back) goes back to the previous question asked, undoing its answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from stridewell.cli.render import print_report
from stridewell.errors import exit_code_for, is_reportable
from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.questions import Question, Questionnaire, load_questionnaire
from stridewell.levels import Level
from stridewell.triage.questionnaire import (
    AnswerError,
    apply_answer,
    describe_range,
    level_so_far,
    next_question,
    progress,
    to_assessment,
)

if TYPE_CHECKING:
    from stridewell.contract import Assessment
    from stridewell.service import AssessmentResult, Stridewell

AskFn = Callable[[Question, str], str]
"""Reads one reply: gets the question and the short input prompt, returns the typed text."""

EXIT_INTERRUPTED = 130
EXIT_INPUT_ENDED = 1

_NOT_SURE = {"?", "not sure", "notsure", "unsure", "don't know", "dont know", "dk", "skip"}
_YES = {"y", "yes"}
_NO = {"n", "no"}
_NONE = {"0", "none", "nothing", "-"}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
# Going back: no question reads these as an answer (tests/test_cli_interactive.py checks).
_BACK = {"b", "back"}
_BACK_HINT = "Type b to go back to the previous question."
_NO_EARLIER = "There is no earlier question: this is the first one."
_WENT_BACK = "Going back: your answer to this question is cleared. Please answer it again."


class ReplyError(ValueError):
    """A reply that cannot be read; the message says what to type instead."""


class AnswerTrail:
    """The answers so far and, for each question asked, the answers as they were before it.

    Going back restores the answers from before the last question asked, so that question
    counts as not answered again and the questions after it are worked out afresh.
    """

    def __init__(self) -> None:
        self.answers: dict[str, Any] = {}
        self._before: list[tuple[str, dict[str, Any]]] = []  # (question id, answers before)

    @property
    def asked(self) -> int:
        """How many questions have been answered (and not taken back)."""
        return len(self._before)

    def record(self, question: Question, answers: dict[str, Any]) -> None:
        self._before.append((question.id, self.answers))
        self.answers = answers

    def back(self) -> bool:
        """Undo the last answer; False when there is none to undo."""
        if not self._before:
            return False
        _, self.answers = self._before.pop()
        return True


def _hint(question: Question) -> str:
    maybe = "" if question.required else ", or ? if not sure"
    match question.kind:
        case "bool":
            return "Type y for yes, n for no, or ? if you are not sure."
        case "choice":
            return f"Type the number of your answer{maybe}."
        case "multi":
            none = "" if question.required else ", 0 for none of these"
            return f"Type the numbers that apply, separated by commas (like 1,3){none}{maybe}."
        case _:
            whole = "a whole number" if question.bounds.integer else "a number"
            return f"Type {whole} {describe_range(question)}{maybe}."


def _input_prompt(question: Question) -> str:
    match question.kind:
        case "bool":
            return "[y/n/?] > "
        case "number" if question.unit:
            return f"({question.unit}) > "
        case _:
            return "> "


def parse_reply(question: Question, reply: str) -> Any:
    """Read a typed reply as an answer value (None: not sure); ReplyError if unreadable."""
    text = " ".join(reply.strip().lower().split())
    if not text:
        raise ReplyError("Please type an answer" + ("." if question.required else ", or ?."))
    if text in _NOT_SURE:
        if question.required:
            raise ReplyError("This one needs an answer: choose at least one spot.")
        return None
    match question.kind:
        case "bool":
            if text in _YES:
                return True
            if text in _NO:
                return False
            raise ReplyError("Please type y (yes), n (no) or ? (not sure).")
        case "choice":
            return question.option_values[_choice_number(question, text) - 1]
        case "multi":
            if text in _NONE:
                return []
            numbers = [
                _choice_number(question, part) for part in re.split(r"[,;\s]+", text) if part
            ]
            return [question.option_values[n - 1] for n in dict.fromkeys(numbers)]
        case _:
            return _parse_number(question, text)


def _choice_number(question: Question, text: str) -> int:
    count = len(question.option_values)
    if text.isdigit() and 1 <= int(text) <= count:
        return int(text)
    for index, choice in enumerate(question.choices, start=1):
        if text in (choice.value, choice.label.lower()):
            return index
    raise ReplyError(f"'{text}' is not one of the choices: type a number from 1 to {count}.")


def _parse_number(question: Question, text: str) -> int | float:
    for unit in filter(None, (question.unit, "%", "km", "days", "years")):
        text = text.removesuffix(unit.lower()).strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise ReplyError(f"'{text}' is not a number. {_hint(question)}") from None
    return int(number) if number.is_integer() else number


def _is_back(reply: str) -> bool:
    return " ".join(reply.strip().lower().split()) in _BACK


def _show_question(console: Console, question: Question, number: int, total: int) -> None:
    console.print(Text(f"Question {number} of about {max(total, number)}", style="dim"))
    console.print(Text(question.prompt, style="bold"))
    if question.help:
        console.print(Text(f"Tip: {question.help}", style="italic dim"))
    if question.kind in ("choice", "multi"):
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(ratio=1)
        for index, choice in enumerate(question.choices, start=1):
            grid.add_row(f"  {index}.", Text(choice.label))
        if question.kind == "multi" and not question.required:
            grid.add_row("  0.", Text(question.none_label or "None of these"))
        console.print(grid)
    hint = _hint(question) if number == 1 else f"{_hint(question)} {_BACK_HINT}"
    console.print(Text(hint, style="dim"))


def ask_question(
    console: Console,
    ask: AskFn,
    question: Question,
    answers: dict[str, Any],
    *,
    can_go_back: bool = False,
) -> dict[str, Any] | None:
    """Ask until the reply fits the question; return the answers with it recorded, or None
    when the runner typed b to go back (only if `can_go_back`: else they are told there is
    no earlier question and asked again)."""
    while True:
        reply = ask(question, _input_prompt(question))
        if _is_back(reply):
            if can_go_back:
                return None
            console.print(Text(_NO_EARLIER, style="bold"))
            continue
        try:
            return apply_answer(answers, question, parse_reply(question, reply))
        except (ReplyError, AnswerError) as exc:
            message = str(exc).removeprefix(f"{question.field}: ")
            console.print(Text(f"Sorry, that does not fit. {message}", style="bold red"))


def collect_answers(
    console: Console,
    ask: AskFn,
    questionnaire: Questionnaire | None = None,
    trail: AnswerTrail | None = None,
) -> dict[str, Any]:
    """Walk the questionnaire, asking only what applies given the earlier answers.

    Stops at once when the answers so far make the level `emergency` (the caller sees it
    in `level_so_far`); after an `urgent` answer, every later question carries a banner.
    Goes on from `trail` when given (after going back from the emergency result); b goes
    back one question at a time, and the banner, the count and the questions that follow
    are worked out again from the answers left.
    """
    questionnaire = questionnaire or load_questionnaire()
    trail = trail or AnswerTrail()
    section: str | None = None
    while (level := level_so_far(trail.answers, questionnaire)) is not Level.emergency and (
        question := next_question(trail.answers, questionnaire)
    ) is not None:
        if question.section != section:
            section = question.section
            console.print()
            console.rule(Text(questionnaire.section_title(section), style="bold cyan"))
        if level is Level.urgent:
            console.print(Text(_URGENT_BANNER, style="bold yellow"))
        _, total = progress(trail.answers, questionnaire)
        _show_question(console, question, trail.asked + 1, total)
        answered = ask_question(console, ask, question, trail.answers, can_go_back=trail.asked > 0)
        console.print()
        if answered is None:
            trail.back()
            console.print(Text(_WENT_BACK, style="bold"))
        else:
            trail.record(question, answered)
    return trail.answers


_URGENT_BANNER = (
    "Your answers so far already need a clinician within one to two days. "
    "The questions left help with what to do until then."
)
# The choice offered after an emergency answer, read through the same `ask` function.
_AFTER_EMERGENCY = Question.model_construct(
    id="after_emergency",
    section="warning",
    field="after_emergency",
    prompt=(
        "Press Enter to see the full report, type b to go back and change your last "
        "answer, or type q to stop here."
    ),
    help=None,
    ask_if=None,
    options=None,
    labels={},
    none_label=None,
    unit=None,
    required=False,
)


def show_emergency(
    console: Console, answers: dict[str, Any], ask: AskFn
) -> Literal["report", "stop", "back"]:
    """The emergency result, at once; then what the runner wants: the full report too, to
    stop there, or to go back and change the answer that led here."""
    from stridewell.triage.engine import assess

    report = assess(to_assessment(answers))
    text = load_knowledge().meta.levels[Level.emergency]
    console.rule(Text(text.headline, style="bold white on red"))
    console.print(Text(" ".join(text.action.split()), style="bold red"))
    for flag in report.red_flags:
        if flag.level is Level.emergency:
            console.print(Text(f"Warning sign: {flag.name}", style="bold"))
            console.print(Text(" ".join(flag.advice.split())))
    console.print()
    console.print(Text(_AFTER_EMERGENCY.prompt, style="dim"))
    reply = ask(_AFTER_EMERGENCY, "> ")
    if _is_back(reply):
        return "back"
    return "stop" if reply.strip().lower() in ("q", "quit", "stop", "n", "no") else "report"


def _terminal_ask(console: Console) -> AskFn:
    def ask(question: Question, prompt: str) -> str:
        return console.input(Text(prompt))

    return ask


def _intro(console: Console) -> None:
    console.print(Text("Stridewell foot-pain check", style="bold"))
    console.print(
        Text(
            "A few questions about your foot; the later ones depend on your answers. "
            "Type ? whenever you are not sure, b to go back to the previous question, "
            "and press Ctrl-C to stop at any time (nothing is saved then).",
            style="dim",
        )
    )


def _triage(
    service: Stridewell, assessment: Assessment, *, save: bool, console: Console
) -> AssessmentResult:
    from stridewell.service import AssessmentResult

    if save:
        try:
            return service.assess(assessment)
        except Exception as exc:
            if not is_reportable(exc) or exit_code_for(exc) == 2:
                raise
            # The report matters more than the archive: show it, and say it was not kept.
            console.print(Text(f"Warning: the assessment was not saved: {exc}", style="yellow"))
    return AssessmentResult(service.triage(assessment), None, service.clock())


def _collect_or_exit(
    console: Console, ask: AskFn, questionnaire: Questionnaire | None, trail: AnswerTrail
) -> dict[str, Any]:
    try:
        return collect_answers(console, ask, questionnaire, trail)
    except KeyboardInterrupt:
        console.print()
        console.print("Stopped. Nothing was saved.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except EOFError:
        console.print()
        console.print("The input ended before the last question. Nothing was saved.")
        raise typer.Exit(EXIT_INPUT_ENDED) from None


def run_questionnaire(
    service: Stridewell,
    *,
    save: bool,
    console: Console | None = None,
    ask: AskFn | None = None,
    questionnaire: Questionnaire | None = None,
) -> AssessmentResult:
    """Ask the questions, triage the answers, print the report (and store it if `save`).

    Ctrl-C ends with exit code 130 and EOF on the input with exit code 1, both raised as
    `typer.Exit` after a one-line note, with nothing stored.
    """
    console = console or Console()
    ask = ask or _terminal_ask(console)
    _intro(console)
    trail = AnswerTrail()
    while True:
        answers = _collect_or_exit(console, ask, questionnaire, trail)
        if level_so_far(answers, questionnaire) is not Level.emergency:
            full_report = True
            break
        try:
            choice = show_emergency(console, answers, ask)
        except (KeyboardInterrupt, EOFError):
            choice = "stop"
        if choice != "back":
            full_report = choice == "report"
            break
        trail.back()
        console.print()
        console.print(Text(_WENT_BACK, style="bold"))
    assessment = to_assessment(answers, questionnaire)
    try:
        result = _triage(service, assessment, save=save, console=console)
    except KeyboardInterrupt:
        console.print()
        console.print("Stopped.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if full_report:
        console.rule(Text("Your report", style="bold"))
        print_report(result.report, console, assessment.model_dump(mode="json", exclude_none=True))
    if result.id is not None:
        console.print(f"Saved as {result.id}.")
        console.print(f"See it again with: stridewell show {result.id}", soft_wrap=True)
    return result
