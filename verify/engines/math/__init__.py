"""The math engine: symbolic claims in worked solutions and final answers, decided with SymPy
under time limits.

``find_steps``, ``find_words`` and ``find_facts`` locate claims (equations, calculus, facts about
whole numbers stated in words); ``latex``, ``parse`` and ``values`` read LaTeX and plain math
into typed values; ``answers`` reads final answers; ``equivalence`` decides whether two answers
are equal; ``decide`` rules on each claim type; ``engine`` is the engine object.
"""
