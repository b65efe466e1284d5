"""Answer-level passes that run around the engines: self-consistency voting
(``consistency``) and chain-of-verification (``cove``)."""
