"""Knowledge bases: read documents, chunk them, persist an index, search with citations.

``from kb import KnowledgeBase`` is cheap: FAISS, numpy and the embedding model load on
first use. See ``KnowledgeBase.build``/``open``/``search``.
"""
from .knowledge import BuildReport, KnowledgeBase
from .readers import Document, ReadError, Section, Skipped, read_sources
from .types import Citation, Hit

__all__ = ["KnowledgeBase", "BuildReport", "Hit", "Citation", "Document", "Section", "Skipped",
           "ReadError", "read_sources"]
