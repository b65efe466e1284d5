"""Reading prose, shared by the grounding engine and chain-of-verification: sentences, names
and values (``nlp``), and an answer split into atomic claims (``decompose``)."""
