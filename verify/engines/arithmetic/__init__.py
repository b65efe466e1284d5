"""The arithmetic engine: plain-number claims (``48/2 = 24``, ``45% of 200 is 90``) decided
exactly with rationals.

``find`` locates chains and final answers, ``expr`` is the arithmetic grammar and its exact
evaluator, ``translate`` turns a found chain into that grammar (``rules`` by rule, ``llm`` by
a model whose proposals are validated), and ``engine`` decides them.
"""
