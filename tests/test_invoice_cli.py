"""verity invoice FILE: JSON, JSON Lines, CSV, text, stdin; exit codes; the JSON contract."""
from __future__ import annotations

import io
import json
from importlib import resources

import jsonschema
import pytest

from verify.cli import main

SCHEMA = json.loads(resources.files("verify.schemas").joinpath("invoice.json").read_text())

GOOD = {"currency": "USD",
        "lines": [{"description": "Widget", "quantity": 3, "unit_price": "19.99", "amount": "59.97"}],
        "subtotal": "59.97", "discount": "0", "tax_rate": "0.0825", "tax": "4.95",
        "shipping": "0", "total": "64.92"}
BAD = dict(GOOD, total="64.29")


def run(capsys, *argv):
    code = main(["invoice", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def records(out: str) -> list[dict]:
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    for row in rows:
        jsonschema.validate(row, SCHEMA)
    return rows


def test_one_json_invoice_verified_exits_0(tmp_path, capsys):
    path = tmp_path / "inv.json"
    path.write_text(json.dumps(GOOD, indent=2))
    code, out, _ = run(capsys, str(path), "--json")
    assert code == 0
    (row,) = records(out)
    assert row["id"] == "1" and row["status"] == "verified"


def test_one_json_invoice_corrected_exits_1_with_the_issue_shape(tmp_path, capsys):
    path = tmp_path / "inv.json"
    path.write_text(json.dumps(dict(BAD, id="inv7")))
    code, out, _ = run(capsys, str(path), "--json")
    assert code == 1
    (row,) = records(out)
    assert {k: row[k] for k in ("id", "status", "corrections", "ambiguous", "alternatives")} == {
        "id": "inv7", "status": "corrected",
        "corrections": [{"field": "total", "from": "64.29", "to": "64.92"}],
        "ambiguous": False, "alternatives": []}
    assert row["violations"][0]["constraint"] == "total = subtotal - discount + tax + shipping"


def test_json_lines_batch_keeps_order_ids_and_reports_bad_lines(tmp_path, capsys):
    lines = [json.dumps({"id": "a", "invoice": GOOD}), json.dumps(BAD), "{oops",
             json.dumps({"id": 7, "invoice": "Subtotal: $100, Tax (18%): $18, Total: $120"}),
             json.dumps([1, 2]), "", json.dumps({"lines": [{"quantity": "abc", "unit_price": "1"}]})]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    code, out, _ = run(capsys, str(path), "--json")
    assert code == 1
    rows = records(out)
    assert [(r["id"], r["status"]) for r in rows] == [
        ("a", "verified"), ("2", "corrected"), ("3", "error"), ("7", "corrected"), ("5", "error"),
        ("7", "flagged")]
    assert rows[2]["error"].startswith("line 3: not valid JSON")
    assert rows[5]["errors"] == ["lines[0].quantity: not a number: 'abc'"]
    assert rows[3]["corrections"] == [{"field": "total", "from": "120.00", "to": "118.00"}]


def test_all_verified_batch_exits_0(tmp_path, capsys):
    path = tmp_path / "ok.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps({"id": "x", "invoice": GOOD}) + "\n")
    code, out, _ = run(capsys, str(path), "--json")
    assert code == 0 and [r["id"] for r in records(out)] == ["1", "x"]


def test_text_invoice_readable_output(tmp_path, capsys):
    path = tmp_path / "chat.txt"
    path.write_text("Subtotal: $100, Tax (18%): $18, Total: $120\n")
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert out.splitlines()[0].startswith("1: CORRECTED: the invoice does not add up")
    assert "  violated: total: 100 + 18 = 118, not 120" in out
    assert "  fix: total: 120.00 → 118.00" in out


def test_ambiguous_text_output_lists_alternatives(tmp_path, capsys):
    path = tmp_path / "chat.txt"
    path.write_text("Subtotal: $100\nTax: $18\nTotal: $120\n")
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert "FLAGGED" in out and "alternative 1:" in out and "alternative 2:" in out


def test_csv_with_two_invoices(tmp_path, capsys):
    path = tmp_path / "inv.csv"
    path.write_text("invoice_id,description,quantity,unit_price,amount\n"
                    "A,Widget,3,19.99,59.97\nA,Subtotal,,,59.97\nA,Total,,,59.97\n"
                    "B,Gadget,2,5.00,10.00\nB,Subtotal,,,10.00\nB,Total,,,11.00\n")
    code, out, _ = run(capsys, str(path), "--json")
    assert code == 1
    rows = records(out)
    assert [(r["id"], r["status"]) for r in rows] == [("A", "verified"), ("B", "corrected")]
    assert rows[1]["corrections"] == [{"field": "total", "from": "11.00", "to": "10.00"}]


def test_stdin_and_options(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(
        {"subtotal": "2.51", "tax_rate": "0.1", "tax": "0.25", "total": "2.76"})))
    code, out, _ = run(capsys, "-", "--json", "--currency", "BHD", "--rounding", "half-even",
                       "--tax-mode", "per-line")
    (row,) = records(out)
    assert code == 1 and (row["currency"], row["minor_units"], row["rounding"], row["tax_mode"]) == \
        ("BHD", 3, "half-even", "per-line")
    assert row["corrections"] == [{"field": "tax", "from": "0.250", "to": "0.251"},
                                  {"field": "total", "from": "2.760", "to": "2.761"}]


@pytest.mark.parametrize("content, argv, message", [
    (None, [], "no such file"),
    ("", [], "is empty"),
    ("  \n", [], "is empty"),
    ("[1, 2]", [], "a JSON array is not accepted"),
    (json.dumps(GOOD), ["--currency", "XYZ"], "unknown currency code 'XYZ'"),
    (json.dumps(GOOD), ["--timeout", "0"], "--timeout must be a positive"),
])
def test_unreadable_input_exits_2(tmp_path, capsys, content, argv, message):
    path = tmp_path / "in.json"
    if content is not None:
        path.write_text(content)
    code, out, err = run(capsys, str(path), *argv)
    assert code == 2 and out == "" and message in err


def test_not_utf8_exits_2(tmp_path, capsys):
    path = tmp_path / "in.json"
    path.write_bytes(b"\xff\xfe\x00{")
    code, _, err = run(capsys, str(path))
    assert code == 2 and "not UTF-8" in err


def test_scenario_through_verity_check(capsys):
    code = main(["check", "--json", "Subtotal: $100, Tax (18%): $18, Total: $120"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["status"] == "corrected"
    assert report["corrected_text"] == "Subtotal: $100, Tax (18%): $18, Total: $118"
    assert [(c["text"], c["status"], c["method"]) for c in report["claims"]] == [
        ("Tax (18%): $18", "verified", "z3"), ("Total: $120", "refuted", "z3")]


def test_schema_is_listed(capsys):
    assert main(["schema", "invoice"]) == 0
    assert json.loads(capsys.readouterr().out)["title"].startswith("Verity invoice result")


@pytest.mark.parametrize("name, content, message", [
    ("huge.txt", "Subtotal: $100, " + "Tax: $18, " * 200_000 + "Total: $120",
     "text: 2,000,027 characters is more than this checker reads"),
    ("huge.csv", "description,quantity,unit_price,amount\nWidget,3," + "1" * 5_000_000 + ",59.97\n",
     "csv: not readable (field larger than field limit"),
    ("huge.jsonl", json.dumps({"id": "x", "invoice": {"subtotal": "1" * 5_000_000}}) + "\n",
     "subtotal: not a number: a 5,000,000-character string"),
])
def test_a_huge_line_is_a_clear_flag_not_a_hang(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    code, out, _ = run(capsys, str(path), "--json")
    (row,) = records(out)
    assert code == 1 and row["status"] == "flagged" and row["errors"][0].startswith(message)
