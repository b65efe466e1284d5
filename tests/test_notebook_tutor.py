"""The tutor-grounding notebook runs top to bottom (its last cell asserts its outcomes)."""
from __future__ import annotations

from pathlib import Path

from conftest import run_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "tutor_grounding.ipynb"


def test_tutor_grounding_notebook_runs_and_corrects_the_reply():
    nb = run_notebook(NOTEBOOK)
    outputs = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.get("outputs", []))
    assert "CORRECTED" in outputs or "FLAGGED" in outputs
    assert "The LCD of 4 and 6 is 12." in outputs and "[1]" in outputs
    assert outputs.rstrip().endswith("ok")
