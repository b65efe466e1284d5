"""The knowledge-base notebook runs top to bottom on the bundled sample (no ../shared)."""
from __future__ import annotations

from pathlib import Path

from conftest import run_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "textbook_index.ipynb"


def outputs(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_textbook_notebook_runs_and_cites():
    nb = run_notebook(NOTEBOOK, timeout=600)
    text = outputs(nb)
    assert "7 sources" in text
    assert "Unlike denominators" in text
    assert "'page': 2" in text and "m90001" in text and "'anchor': 'pct-3'" in text
    assert "1 added" in text and "1 unchanged" in text and "1 removed" in text
    assert "Exponents" in text
