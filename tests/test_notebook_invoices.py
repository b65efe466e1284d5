"""The invoices notebook runs top to bottom (its cells assert their outcomes)."""
from __future__ import annotations

from pathlib import Path

from conftest import run_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "invoices.ipynb"


def test_invoices_notebook_checks_and_corrects_an_llm_invoice():
    nb = run_notebook(NOTEBOOK)
    outputs = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.get("outputs", []))
    assert "Total: $233.71" in outputs
    assert "lines[0].quantity: 30 → 3" in outputs
    assert "alternative 2:" in outputs
    assert outputs.rstrip().endswith("ok")
