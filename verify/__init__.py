"""Verity: check what an LLM says before it reaches people.

    from verify import check, verified
    check("847 × 923 = 781681").status      # "corrected"

The core (``check``, ``verified``, the report model) imports light; engines and the
heavy parts load on first use.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name → module that defines it. Resolved lazily so `import verify` stays fast
# and a missing optional dependency only matters to the feature that needs it.
_EXPORTS = {
    "check": "verify.pipeline",
    "verified": "verify.decorator",
    "VerifiedText": "verify.decorator",
    "VerificationError": "verify.decorator",
    "Report": "verify.report",
    "Claim": "verify.report",
    "Evidence": "verify.report",
    "Span": "verify.report",
    "Policy": "verify.report",
    "check_invoice": "verify.api.invoice",
    "InvoiceReport": "verify.api.invoice",
    "check_logic": "verify.api.logic",
    "LogicResult": "verify.api.logic",
    "check_program": "verify.api.logic",
    "check_math": "verify.api.math",
    "MathReport": "verify.api.math",
    "vote": "verify.stages.consistency",
    "Vote": "verify.stages.consistency",
    "chain_of_verification": "verify.stages.cove",
    "open_kb": "verify.api.kb",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'verify' has no attribute {name!r}") from None
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
