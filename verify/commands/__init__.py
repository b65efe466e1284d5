"""One module per `verity` verb; each exposes ``register(subparsers)`` that adds its
parser and sets ``func(args) -> exit code``. Adding a verb touches no other verb."""

COMMANDS: tuple[str, ...] = ("check", "invoice", "logic", "math", "kb", "ask", "demo", "schema",
                             "serve")
