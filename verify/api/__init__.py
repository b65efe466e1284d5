"""The front doors besides :func:`verify.check`: ``check_math``, ``check_invoice``,
``check_logic`` and ``ask``. Each takes user input, calls the pipeline or its engine, and
returns a typed, frozen result that serialises to JSON."""
