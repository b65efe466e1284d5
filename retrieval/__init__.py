"""Retrieval: embeddings, vector stores (FAISS), lexical search (BM25), fusion, reranking.

Knows nothing of ``verify`` or ``kb``.
"""
