"""Shared fixtures. ``../shared`` (data for tests and benchmarks) sits beside the repo in
CI and on every developer machine; tests that read it fail loudly when it is missing."""
from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks._common import read_jsonl  # noqa: F401 - one reader for tests and benchmarks

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = SHARED / "data"
    assert path.is_dir(), f"{path} is missing: ../shared must sit beside the repository"
    return path


def run_notebook(path: Path, timeout: int = 600) -> "object":
    """Execute a notebook top to bottom in a fresh kernel; raises on any cell error."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def load_script(relpath: str, name: str):
    """Import a repo script (``benchmarks/*.py``, ``training/*.py``: scripts, not a package)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / relpath)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def load_benchmark(name: str):
    """Import ``benchmarks/<name>.py`` as a module."""
    return load_script(f"benchmarks/{name}.py", f"bench_{name}")
