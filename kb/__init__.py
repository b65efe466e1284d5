"""Knowledge bases: read documents, chunk them, persist an index, search with citations."""
