"""The arithmetic engine: plain-number claims (``48/2 = 24``, ``45% of 200 is 90``) decided
exactly with rationals.

Finding: ``scan`` locates chains in prose (reading the vocabulary and token stream of
``tokens``) and returns the types of ``chain``; ``answers`` finds stated final answers. The
grammar: ``expr`` lexes and parses it, ``evaluate`` computes a tree exactly, ``formatting``
writes values back in the text's style. ``translate`` turns a found chain into that grammar
(``rules`` by rule, ``llm`` by a model whose proposals are validated). Deciding: ``engine``
is the engine, ``judge`` judges each link of a chain and its correction, ``state`` carries
the stated results from step to step for propagation.
"""
