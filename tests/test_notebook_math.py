"""notebooks/math_tutor.ipynb runs top to bottom and shows the wrong step it is about."""
from __future__ import annotations

from pathlib import Path

from conftest import run_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "math_tutor.ipynb"


def _text(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def test_notebook_is_saved_without_outputs():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in nb.cells if c.cell_type == "code")


def test_math_tutor_notebook_grades_and_finds_the_wrong_step():
    out = _text(run_notebook(NOTEBOOK))
    assert "verified | final answer: 1, 3 found by rule 'boxed'" in out
    assert "step 3: refuted" in out and "correction: 8" in out
    assert "first wrong step: 3" in out
    assert "Next, $f(5) = 8$." in out  # the corrected text
    assert "3x-y+13=0  vs  3x+4y+14=0               -> False" in out
    assert "1/2004!  vs  1/2006!                  -> False (exact)" in out
