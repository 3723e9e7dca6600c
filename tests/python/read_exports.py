"""Read anketa's exports the way an analyst would, without options, and check them.

Usage: read_exports.py DIR ROWS
DIR holds wide.csv, long.csv, data.jsonl and data.xlsx of the same responses; ROWS is how
many responses they hold. Exits non-zero with a message on the first mismatch.
Run by tests/export_formats.rs with the interpreter in ANKETA_TEST_PYTHON.
"""

import sys
from pathlib import Path

import openpyxl
import pandas as pd


def main() -> None:
    folder, rows = Path(sys.argv[1]), int(sys.argv[2])
    wide = pd.read_csv(folder / "wide.csv")
    assert len(wide) == rows, f"wide.csv: {len(wide)} rows"
    assert list(wide.columns[:4]) == ["response_id", "survey_version", "submitted_at", "language"]
    assert wide["hours"].dtype.kind == "f", wide["hours"].dtype

    long = pd.read_csv(folder / "long.csv")
    assert list(long.columns) == ["response_id", "variable", "value"]
    pivot = long.pivot(index="response_id", columns="variable", values="value")
    assert len(pivot) == rows
    for _, row in wide.iterrows():
        for column in ["role", "hours"]:
            if pd.notna(row[column]):
                assert str(pivot.loc[row["response_id"], column]) == str(row[column]).removesuffix(".0") or float(pivot.loc[row["response_id"], column]) == float(row[column]), column

    jsonl = pd.read_json(folder / "data.jsonl", lines=True)
    assert len(jsonl) == rows
    assert jsonl["hours"].dropna().tolist() == wide["hours"].dropna().tolist()

    data = pd.read_excel(folder / "data.xlsx", sheet_name="data")
    assert len(data) == rows, f"xlsx: {len(data)} rows"
    assert data["hours"].dropna().tolist() == wide["hours"].dropna().tolist()
    assert str(data["submitted_at"].dtype).startswith("datetime64"), data["submitted_at"].dtype
    codebook = pd.read_excel(folder / "data.xlsx", sheet_name="codebook")
    variables = [c for c in wide.columns[4:]]
    assert codebook["variable"].tolist() == variables, codebook["variable"].tolist()

    book = openpyxl.load_workbook(folder / "data.xlsx", read_only=False)
    sheet = book["data"]
    assert sheet.freeze_panes == "A2", sheet.freeze_panes
    assert sheet["A1"].font.bold
    print("ok")


if __name__ == "__main__":
    main()
