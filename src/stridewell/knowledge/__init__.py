"""Stridewell's knowledge base: conditions, red flags, advice and their sources, as data."""

from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.schema import KnowledgeBase

__all__ = ["KnowledgeBase", "load_knowledge"]
