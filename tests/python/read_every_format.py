"""Read every export format of one survey the way an analyst would, and compare each value.

Usage: read_every_format.py DIR
DIR holds expected.json (the answers given, one object per response, in order) and one
folder per format, named as the format (csv, csv-excel, ..., sav, dta, datapackage), each
with data.SUFFIX (and the companion beside data.csv). Run by tests/export_every_format.rs
with the interpreter in ANKETA_TEST_PYTHON. Prints "ok", or fails with the first mismatch.
"""

import datetime
import json
import math
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TEXT = ["role.other_text", "comment"]
NUMBERS = ["hours", "rating", "agree", "works", "topics.law", "topics.debt", "split.cases", "split.admin"]


def restore(cell: str) -> str:
    """anketa's CSV puts an apostrophe before text a spreadsheet would run (docs)."""
    if cell.startswith("'") and (cell[1:2] in TRIGGERS or (cell[1:2] == "'" and cell[2:3] in TRIGGERS)):
        return cell[1:]
    return cell


def number(row: dict, column: str):
    value = row.get(column)
    return value if isinstance(value, (int, float)) else None


def check(label: str, got, want) -> None:
    if isinstance(want, float) or isinstance(got, float):
        same = (got is None and want is None) or (
            got is not None and want is not None and not (isinstance(got, float) and math.isnan(got))
            and math.isclose(float(got), float(want)))
    else:
        same = got == want
    if not same:
        raise AssertionError(f"{label}: got {got!r:.200}, want {want!r:.200}")


def check_text_frame(name: str, frame: pd.DataFrame, expected: list, fix=lambda s: s) -> None:
    """Text columns exactly (after `fix`), number columns as numbers."""
    check(f"{name}: rows", len(frame), len(expected))
    for i, want in enumerate(expected):
        row = frame.iloc[i]
        for column in TEXT:
            got = row[column] if column in frame.columns else None
            got = "" if got is None or (isinstance(got, float) and math.isnan(got)) else fix(str(got))
            check(f"{name} row {i} {column}", got, want.get(column, ""))
        check(f"{name} row {i} role", fix(str(row["role"])), want["role"])


def delimited(folder: Path, expected: list) -> None:
    wide = pd.read_csv(folder / "csv" / "data.csv", dtype=str, keep_default_na=False)
    check_text_frame("csv", wide, expected, restore)
    for i, want in enumerate(expected):
        for column in NUMBERS:
            cell = wide.iloc[i][column]
            check(f"csv row {i} {column}", float(cell) if cell else None, number(want, column))

    raw = (folder / "csv-excel" / "data.excel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "csv-excel: a UTF-8 byte order mark"
    assert raw.count(b"\r\n") >= len(expected) + 1, "csv-excel: CRLF line ends"
    assert b";-2,5;" in raw, "csv-excel: a negative decimal is a number (no apostrophe)"
    excel = pd.read_csv(folder / "csv-excel" / "data.excel.csv", sep=";", decimal=",",
                        encoding="utf-8-sig", dtype={c: str for c in TEXT + ["role"]},
                        keep_default_na=False, na_values={c: [""] for c in NUMBERS})
    check_text_frame("csv-excel", excel, expected, restore)
    for i, want in enumerate(expected):
        got = excel.iloc[i]["hours"]
        check(f"csv-excel row {i} hours", None if math.isnan(got) else got, number(want, "hours"))

    long = pd.read_csv(folder / "csv-long" / "data.long.csv", dtype=str, keep_default_na=False)
    pivot = long.pivot(index="response_id", columns="variable", values="value")
    ids = wide["response_id"].tolist()
    pivot = pivot.reindex(ids).fillna("")
    check_text_frame("csv-long", pivot, expected, restore)

    jsonl = [json.loads(line) for line in (folder / "json" / "data.jsonl").read_text("utf-8").splitlines()]
    check("json rows", len(jsonl), len(expected))
    for i, want in enumerate(expected):
        for column in TEXT + ["role"]:
            check(f"json row {i} {column}", jsonl[i].get(column, ""), want.get(column, ""))
        for column in NUMBERS:
            got = jsonl[i].get(column)
            assert got is None or isinstance(got, (int, float)), f"json {column}: a number, not {got!r}"
            check(f"json row {i} {column}", got, number(want, column))


def workbooks(folder: Path, expected: list) -> None:
    csv_times = pd.read_csv(folder / "csv" / "data.csv", dtype=str)["submitted_at"].tolist()
    for name, labels in [("xlsx", False), ("xlsx-labels", True)]:
        path = folder / name / ("data.labels.xlsx" if labels else "data.xlsx")
        sheet = openpyxl.load_workbook(path)["data"]
        header = [c.value for c in sheet[1]]
        rows = [dict(zip(header, [c.value for c in r])) for r in sheet.iter_rows(min_row=2)]
        check(f"{name} rows", len(rows), len(expected))
        for i, want in enumerate(expected):
            row = rows[i]
            for column in TEXT:
                check(f"{name} row {i} {column}", row[column] or "", want.get(column, ""))
            if labels:
                check(f"{name} row {i} role", row["role"], want["role_label"])
            else:
                check(f"{name} row {i} role", row["role"], want["role"])
                for column in ["hours", "rating", "agree", "works", "split.cases", "split.admin"]:
                    got = row[column]
                    assert got is None or isinstance(got, (int, float)), f"{name} {column}: {got!r} is not a number"
                    check(f"{name} row {i} {column}", got, number(want, column))
            # The submission time to the millisecond, as the CSV has it.
            when = row["submitted_at"]
            assert isinstance(when, datetime.datetime), f"{name}: submitted_at {when!r}"
            exact = datetime.datetime.fromisoformat(csv_times[i].replace("Z", "+00:00"))
            check(f"{name} row {i} milliseconds", when.microsecond // 1000, exact.microsecond // 1000)
            if want.get("day"):
                check(f"{name} row {i} day", row["day"].date().isoformat(), want["day"])
        if labels:
            check(f"{name} agree label", rows[0]["agree"], "Rozhodně souhlasím")


def statistics_files(folder: Path, expected: list) -> None:
    # SPSS: codes with value labels; "not asked" a user-missing code, "no answer" blank.
    df, meta = pyreadstat.read_sav(folder / "sav" / "data.sav", user_missing=True)
    check("sav rows", len(df), len(expected))
    names = dict(zip(meta.column_names, meta.column_labels))
    check("sav role label", names["role"], 'Jaká je vaše role? ("pracovní" zařazení)')
    roles = meta.variable_value_labels["role"]
    agree = meta.variable_value_labels["agree"]
    check("sav agree label", agree.get(5.0), "Rozhodně souhlasím")
    missing = [r["lo"] for r in meta.missing_ranges.get("rating", []) if r["lo"] == r["hi"]]
    for i, want in enumerate(expected):
        row = df.iloc[i]
        for column in TEXT:
            check(f"sav row {i} {column}", row[column].rstrip(), want.get(column, "").rstrip())
        check(f"sav row {i} role", roles.get(row["role"]), want["role_label"])
        for column in ["hours", "agree", "works", "split.cases", "split.admin"]:
            got = row[column]
            check(f"sav row {i} {column}", None if math.isnan(got) else got, number(want, column))
        rating = row["rating"]
        if want.get("rating") == "not asked":
            assert rating in missing, f"sav row {i}: rating {rating!r} is not a user-missing code {missing}"
        elif want.get("rating") == "no answer":
            assert math.isnan(rating), f"sav row {i}: rating {rating!r} should be system-missing"
        else:
            check(f"sav row {i} rating", rating, want["rating"])
        if want.get("day"):
            check(f"sav row {i} day", pd.Timestamp(row["day"]).date().isoformat(), want["day"])

    # Stata: "not asked" is the extended missing value .a, "no answer" is .
    df, meta = pyreadstat.read_dta(folder / "dta" / "data.dta", user_missing=True)
    check("dta rows", len(df), len(expected))
    labels = dict(zip(meta.column_names, meta.column_labels))
    check("dta topics label", labels["topics_law"].startswith("topics.law"), True)
    roles = meta.value_labels[meta.variable_to_label["role"]]
    for i, want in enumerate(expected):
        row = df.iloc[i]
        check(f"dta row {i} comment", row["comment"], want.get("comment", ""))
        check(f"dta row {i} other", row["role_other_text"], want.get("role.other_text", ""))
        check(f"dta row {i} role", roles.get(row["role"]), want["role_label"])
        for column in ["split.cases", "split.admin"]:
            got = row[column.replace(".", "_")]
            check(f"dta row {i} {column}", None if math.isnan(got) else got, number(want, column))
        rating = row["rating"]
        if want.get("rating") == "not asked":
            check(f"dta row {i} rating", rating, "a")
        elif want.get("rating") == "no answer":
            assert isinstance(rating, float) and math.isnan(rating), f"dta row {i}: rating {rating!r}"
        else:
            check(f"dta row {i} rating", rating, want["rating"])
    stata = pd.read_stata(folder / "dta" / "data.dta", convert_categoricals=True)
    check("pandas.read_stata agree", str(stata["agree"].iloc[0]), "Rozhodně souhlasím")
    check("pandas.read_stata comment", stata["comment"].iloc[3], expected[3]["comment"])


def data_package(folder: Path, expected: list) -> None:
    package = folder / "datapackage"
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    resource = descriptor["resources"][0]
    check("datapackage path", resource["path"], "data.csv")
    header = pd.read_csv(package / "data.csv", nrows=0).columns.tolist()
    fields = resource["schema"]["fields"]
    check("datapackage fields", [f["name"] for f in fields], header)
    types = {f["name"]: f["type"] for f in fields}
    check("datapackage hours", types["hours"], "number")
    check("datapackage day", types["day"], "date")
    check("datapackage constant sum item", types["split.cases"], "number")
    role = next(f for f in fields if f["name"] == "role")
    check("datapackage role codes", role["constraints"]["enum"], ["sw", "lead", "other"])
    # The Frictionless reference implementation reads the package without errors.
    from frictionless import Package

    report = Package(str(package / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:5]
    rows = Package(str(package / "datapackage.json")).resources[0].read_rows()
    check("datapackage rows", len(rows), len(expected))
    check("datapackage hours", float(rows[0]["hours"]), 1.5)


def main() -> None:
    folder = Path(sys.argv[1])
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    delimited(folder, expected)
    workbooks(folder, expected)
    statistics_files(folder, expected)
    data_package(folder, expected)
    print("ok")


if __name__ == "__main__":
    main()
