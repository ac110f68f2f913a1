"""A hardened, streaming expat parser for GPX and TCX.

Activity XML never needs a DTD, so any entity declaration (the "billion laughs" expansion
bomb, external entities that read local files or URLs) is refused before it is used, external
entity references are never resolved, and parameter entities are not parsed. The document is
fed in chunks and handled with callbacks, so a large file is never held as a DOM.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO
from xml.parsers import expat

from .errors import ImportProblem
from .limits import size

CHUNK = 1 << 20


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _refuse_entity(*_args: object) -> None:
    raise _Refused("XML declares entities (a DOCTYPE with entities is refused for safety)")


def _refuse_external(*_args: object) -> int:
    raise _Refused("XML refers to an external entity (refused for safety)")


def _hardened() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_external
    return parser


def check_xml(data: bytes, kind: str) -> None:
    """Check that ``data`` is well-formed and free of entity declarations, at C speed (no
    element callbacks). Raises ImportProblem otherwise."""
    parser = _hardened()
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise ImportProblem(exc.reason) from None
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise ImportProblem(
            f"{kind} is not well-formed XML: {message} at line {exc.lineno}"
        ) from None


StartHandler = Callable[[str, dict[str, str]], None]
EndHandler = Callable[[str], None]
TextHandler = Callable[[str], None]


def parse_xml(
    stream: BinaryIO,
    start: StartHandler,
    end: EndHandler,
    text: TextHandler,
    kind: str,
) -> None:
    """Parse ``stream`` with the handlers; element names arrive without namespace prefix
    ("gpxtpx:hr" -> "hr"). Raises ImportProblem for malformed or refused XML."""
    parser = _hardened()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16

    def on_start(name: str, attrs: dict[str, str]) -> None:
        start(name.rpartition(":")[2], attrs)

    def on_end(name: str) -> None:
        end(name.rpartition(":")[2])

    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = text
    try:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                parser.Parse(b"", True)
                break
            parser.Parse(chunk, False)
    except _Refused as exc:
        raise ImportProblem(exc.reason) from None
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise ImportProblem(
            f"{kind} is not well-formed XML: {message} at line {exc.lineno}"
        ) from None


def check_markup_density(data: bytes, longest: int, kind: str) -> None:
    """Refuse XML with a run of ``longest`` bytes or more that holds no ``<``: an attribute
    or a text that long (no device writes one) costs expat time that grows faster than
    its length. Every run that long covers a whole window of half its length, so looking
    for ``<`` in each such window finds it; a window's search stops at its first ``<``."""
    window = max(longest // 2, 1)
    for start in range(0, len(data) - window + 1, window):
        if data.find(b"<", start, start + window) < 0:
            raise ImportProblem(
                f"{kind} holds a value or a text about {size(longest)} long without "
                "markup, over the limit (no device writes one)"
            )
