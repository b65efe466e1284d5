"""The logic engine: premises and a conclusion, decided with Z3 (a proof or a counterexample).

``fol`` (the FOLIO notation: ``fol_ast``, ``fol_parse``, ``fol_json``, ``fol_z3``) and
``smtlib`` read formulas; ``program`` and ``controlled`` read logic programs and controlled
English; ``validate`` checks a program against the text it translates; ``solve`` is the
solver behind :func:`verify.check_logic`; ``engine`` finds logic problems written in an answer.
"""
