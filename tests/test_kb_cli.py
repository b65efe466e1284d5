"""`verity kb build|add|remove|info|search`: output, JSON schema, exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from verify.cli import main
from verify.cli.schema import load

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "kb" / "samples"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "s.kb"
    assert main(["kb", "build", str(SAMPLES / "fractions.md"), str(SAMPLES / "geometry.pdf"),
                 "--out", str(out), "--quiet"]) == 0
    return out


def test_build_prints_a_summary_and_progress(tmp_path, capsys):
    out = tmp_path / "n.kb"
    assert main(["kb", "build", str(SAMPLES / "integers.txt"), "--out", str(out)]) == 0
    cap = capsys.readouterr()
    assert "1 added, 0 replaced, 0 unchanged; 1 sources" in cap.out and f"wrote {out}" in cap.out
    assert "embedding" in cap.err  # the tqdm bar goes to stderr
    assert main(["kb", "build", str(SAMPLES / "integers.txt"), "--out", str(out)]) == 2
    assert "already holds a knowledge base" in capsys.readouterr().err
    assert main(["kb", "build", str(SAMPLES / "integers.txt"), "--out", str(out), "--force", "--quiet",
                 "--json", "--chunk-size", "300", "--overlap", "50"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["added"] == [str(SAMPLES / "integers.txt")] and report["total_chunks"] >= 3


def test_search_json_matches_the_contract(built, capsys):
    assert main(["kb", "search", str(built), "perimeter of a rectangle", "-k", "2", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    jsonschema.validate(hits, load("kb_hits"))
    assert [h["rank"] for h in hits] == [1, 2]
    assert hits[0]["citation"]["source"] == str(SAMPLES / "geometry.pdf")
    assert hits[0]["citation"]["page"] == 1 and hits[0]["citation"]["section"] == "Perimeter"


def test_search_text_filters_modes_and_rerank(built, capsys):
    assert main(["kb", "search", str(built), "reciprocal", "--mode", "bm25", "-k", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. [") and "Multiplying and dividing fractions" in out and "reciprocal" in out
    assert main(["kb", "search", str(built), "area", "--source", str(SAMPLES / "fractions.md"),
                 "--section", "mixed", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and all(h["citation"]["section"].endswith("Mixed numbers") for h in hits)
    assert main(["kb", "search", str(built), "add unlike denominators", "--rerank", "-k", "1", "--json"]) == 0
    assert "rerank" in json.loads(capsys.readouterr().out)[0]["scores"]
    assert main(["kb", "search", str(built), "area", "--source", "nothing.md"]) == 1
    assert "no passage found" in capsys.readouterr().out


def test_info_add_remove(tmp_path, capsys):
    out = tmp_path / "i.kb"
    assert main(["kb", "build", str(SAMPLES / "integers.txt"), "--out", str(out), "--quiet"]) == 0
    assert main(["kb", "add", str(out), str(SAMPLES / "percent-faq.jsonl"), "--quiet"]) == 0
    assert "1 added" in capsys.readouterr().out
    assert main(["kb", "add", str(out), str(SAMPLES / "percent-faq.jsonl"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == [str(SAMPLES / "percent-faq.jsonl")]
    assert main(["kb", "info", str(out), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["counts"]["sources"] == 2 and info["model"]["name"] == "all-MiniLM-L6-v2"
    assert main(["kb", "info", str(out)]) == 0
    text = capsys.readouterr().out
    assert "all-MiniLM-L6-v2" in text and "percent-faq.jsonl" in text and "flat over" in text
    assert main(["kb", "remove", str(out), "--source", str(SAMPLES / "percent-faq.jsonl")]) == 0
    assert "1 removed" in capsys.readouterr().out
    assert main(["kb", "remove", str(out), "--source", "ghost.md"]) == 2
    assert "no source 'ghost.md'" in capsys.readouterr().err


def test_skipped_files_exit_1_and_unreadable_input_exits_2(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.md").write_text("# Ok\n\nFractions have numerators.\n", encoding="utf-8")
    (src / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    assert main(["kb", "build", str(src), "--out", str(tmp_path / "a.kb"), "--quiet"]) == 1
    assert f"skipped {src}/photo.jpg: unsupported file type '.jpg'" in capsys.readouterr().out
    (src / "ok.md").unlink()
    assert main(["kb", "build", str(src), "--out", str(tmp_path / "b.kb"), "--quiet"]) == 2
    assert "nothing to index" in capsys.readouterr().err
    assert main(["kb", "build", str(tmp_path / "missing"), "--out", str(tmp_path / "c.kb")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert main(["kb", "search", str(tmp_path / "nokb"), "x"]) == 2
    assert "no knowledge base at" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["kb", "search"])
    assert exc.value.code == 2
