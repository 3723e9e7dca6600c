#!/usr/bin/env python3
"""Reference values for analysis/tests/reference_tables.rs.

Run from the workspace root:

    python3 analysis/tests/reference/tables.py

It needs numpy, scipy and statsmodels (`pip install numpy scipy statsmodels`) and rewrites
analysis/tests/reference/tables.json (inputs and expected outputs, with the library
versions used). Data sets are fixed or drawn from seeded generators, so the output is
reproducible. `null` in an input is a missing value; `null` in an output is a statistic
that is undefined (the Rust side returns `None`).

What each section checks against:
- descriptives: numpy mean, std(ddof=1), percentile(method="linear") (R type 7), min, max.
- wilson / frequencies / multi_choice / likert CIs: scipy binomtest(...).proportion_ci(
  method="wilson"), cross-checked here against statsmodels proportion_confint("wilson").
- crosstab: scipy.stats.chi2_contingency(correction=False) on the table without empty
  rows/columns, scipy.stats.contingency.association(method="cramer"), and
  scipy.stats.fisher_exact (two-sided) for 2x2 tables.
- multiple: statsmodels multipletests(method="holm" / "fdr_bh"), cross-checked against
  scipy.stats.false_discovery_control(method="bh").
- suppress: no SciPy equivalent; an independent Python implementation of the documented
  rule (primary: 1..t-1 -> "<t"; one suppressed cell in a row -> hide the smallest other).
"""

import json
import math
import pathlib
import platform

import numpy as np
import scipy
import statsmodels
from scipy import stats
from scipy.stats import contingency
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

OUT = pathlib.Path(__file__).with_name("tables.json")
rng = np.random.default_rng(20240917)


def fnum(x):
    """JSON-safe float: None for undefined (nan/inf)."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def with_missing(values, share, generator):
    """Replace about `share` of the values by None."""
    return [None if generator.random() < share else v for v in values]


# ----------------------------------------------------------------------------- wilson
def wilson(k, n, confidence=0.95):
    if n == 0:
        return None
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    lo, hi = float(ci.low), float(ci.high)
    sm_lo, sm_hi = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    assert abs(lo - max(sm_lo, 0.0)) < 1e-12 and abs(hi - min(sm_hi, 1.0)) < 1e-12, (k, n)
    return [lo, hi]


def wilson_pct(k, n):
    ci = wilson(k, n)
    return None if ci is None else [100 * ci[0], 100 * ci[1]]


def pct(part, whole):
    return None if whole == 0 else 100.0 * part / whole


# ----------------------------------------------------------------------- descriptives
def describe(values):
    x = np.array([v for v in values if v is not None], dtype=float)
    n = len(x)
    out = {"n": n, "missing": len(values) - n}
    if n == 0:
        out.update(mean=None, sd=None, median=None, q1=None, q3=None, min=None, max=None)
        return out
    q1, med, q3 = np.percentile(x, [25, 50, 75], method="linear")
    out.update(
        mean=fnum(np.mean(x)),
        sd=fnum(np.std(x, ddof=1)) if n >= 2 else None,
        median=fnum(med),
        q1=fnum(q1),
        q3=fnum(q3),
        min=fnum(np.min(x)),
        max=fnum(np.max(x)),
    )
    return out


descriptive_inputs = {
    "simple": [2, 4, 4, 4, 5, 5, 7, 9],
    "ties_with_missing": [3, 1, None, 3, 3, 2, None, 5, 1],
    "all_equal": [7.5] * 6,
    "n1": [42.0],
    "n2": [1.0, 4.0],
    "empty": [],
    "all_missing": [None, None, None],
    "negative_and_zero": [-3.5, 0, 0, 2.25, -1, 10, 0],
    "large_offset": [1e9 + v for v in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)],
    "normal_1001_missing": with_missing(
        [float(v) for v in rng.normal(50, 12, size=1001)], 0.05, rng
    ),
    "lognormal_200": [float(v) for v in rng.lognormal(1.0, 1.2, size=200)],
}
descriptives = [
    {"name": k, "values": [None if v is None else float(v) for v in vals], "expected": describe(vals)}
    for k, vals in descriptive_inputs.items()
]

# -------------------------------------------------------------------- wilson cases
wilson_cases = [
    (0, 10, 0.95), (10, 10, 0.95), (1, 1, 0.95), (0, 1, 0.95), (3, 7, 0.95),
    (50, 100, 0.90), (1, 1000, 0.99), (999, 1000, 0.95), (37, 120, 0.80),
    (12345, 100000, 0.95),
]
wilson_ref = [
    {"successes": k, "n": n, "confidence": c, "expected": wilson(k, n, c)}
    for k, n, c in wilson_cases
]


# --------------------------------------------------------------------- frequencies
def frequencies(codes, categories):
    counts = [0] * categories
    missing = out_of_range = 0
    for c in codes:
        if c is None:
            missing += 1
        elif c >= categories:
            out_of_range += 1
        else:
            counts[c] += 1
    n = sum(counts)
    return {
        "n_valid": n,
        "missing": missing,
        "out_of_range": out_of_range,
        "counts": counts,
        "percents": [pct(c, n) for c in counts],
        "ci95_percent": [wilson_pct(c, n) for c in counts],
    }


frequency_inputs = {
    "basic_with_missing": ([0, 1, 1, 2, None, 2, 2, 0, None], 3),
    "empty_categories": ([0, 0, 2, 2, 2], 4),
    "all_missing": ([None] * 4, 3),
    "single_answer": ([1], 2),
    "out_of_range": ([0, 5, 1, None, 1], 2),
    "random_500": (with_missing([int(v) for v in rng.integers(0, 5, size=500)], 0.1, rng), 5),
}
frequency_ref = [
    {"name": k, "codes": codes, "categories": cats, "expected": frequencies(codes, cats)}
    for k, (codes, cats) in frequency_inputs.items()
]


# -------------------------------------------------------------------- multi choice
def multi_choice(selections, options):
    answered = [s for s in selections if s is not None]
    r = len(answered)
    counts = [sum(1 for s in answered if i < len(s) and s[i]) for i in range(options)]
    total = sum(counts)
    return {
        "respondents": r,
        "missing": len(selections) - r,
        "total_responses": total,
        "counts": counts,
        "percent_of_respondents": [pct(c, r) for c in counts],
        "percent_of_responses": [pct(c, total) for c in counts],
        "ci95_percent": [wilson_pct(c, r) for c in counts],
    }


T, F = True, False
random_ticks = rng.random((300, 6)) < np.array([0.6, 0.3, 0.05, 0.0, 0.45, 0.9])
multi_inputs = {
    "small": ([[T, F, T], [F, F, T], None, [T, T, T], [F, F, F]], 3),
    "one_respondent": ([[F, T]], 2),
    "all_missing": ([None, None], 3),
    "nothing_ticked": ([[F, F], [F, F]], 2),
    "random_300_missing": (
        with_missing([[bool(b) for b in row] for row in random_ticks], 0.1, rng), 6
    ),
}
multi_ref = [
    {"name": k, "selections": sel, "options": o, "expected": multi_choice(sel, o)}
    for k, (sel, o) in multi_inputs.items()
]


# -------------------------------------------------------------------------- likert
def likert(codes, points):
    base = frequencies(codes, points)
    scores = np.array([c + 1 for c in codes if c is not None and c < points], dtype=float)
    n = len(scores)
    counts = base["counts"]
    boxes = points >= 4
    return {
        "n": n,
        "missing": base["missing"],
        "out_of_range": base["out_of_range"],
        "counts": counts,
        "percents": base["percents"],
        "ci95_percent": base["ci95_percent"],
        "mean": fnum(np.mean(scores)) if n else None,
        "sd": fnum(np.std(scores, ddof=1)) if n >= 2 else None,
        "median": fnum(np.median(scores)) if n else None,
        "top2_percent": pct(sum(counts[-2:]), n) if boxes else None,
        "bottom2_percent": pct(sum(counts[:2]), n) if boxes else None,
    }


likert_inputs = {
    "five_point_missing": ([4, 3, 3, None, 0, 2, 4, 4, 1, None, 3], 5),
    "even_n_median_between": ([0, 1, 2, 4], 5),
    "all_same": ([2] * 9, 5),
    "n1": ([6], 7),
    "n2": ([0, 6], 7),
    "all_missing": ([None, None], 5),
    "three_point_no_boxes": ([0, 1, 2, 2, 1], 3),
    "four_point": ([0, 3, 3, 1, 2, 3], 4),
    "seven_point_random_800": (
        with_missing([int(v) for v in rng.choice(7, size=800, p=[.05, .05, .1, .2, .25, .2, .15])], 0.08, rng),
        7,
    ),
}
likert_ref = [
    {"name": k, "codes": codes, "points": p, "expected": likert(codes, p)}
    for k, (codes, p) in likert_inputs.items()
]


# ------------------------------------------------------------------------ crosstab
def expand(table, generator, missing_pairs=0, out_of_range_pairs=0):
    """Row/column codes for a table of counts, shuffled, with extra dropped pairs."""
    rows, cols = [], []
    for r, line in enumerate(table):
        for c, count in enumerate(line):
            rows += [r] * count
            cols += [c] * count
    order = generator.permutation(len(rows))
    rows = [rows[i] for i in order]
    cols = [cols[i] for i in order]
    for i in range(missing_pairs):
        # Cycle through (missing, 0), (0, missing), (missing, missing).
        rows.append([None, 0, None][i % 3])
        cols.append([0, None, None][i % 3])
    for _ in range(out_of_range_pairs):
        rows.append(len(table))
        cols.append(0)
    return rows, cols


def crosstab(table):
    t = np.array(table, dtype=np.int64)
    n = int(t.sum())
    row_tot, col_tot = t.sum(axis=1), t.sum(axis=0)
    out = {
        "n": n,
        "counts": t.tolist(),
        "row_totals": row_tot.tolist(),
        "col_totals": col_tot.tolist(),
        "expected": (np.outer(row_tot, col_tot) / n).tolist() if n else None,
        "chi_square": None,
        "fisher": None,
    }
    reduced = t[row_tot > 0][:, col_tot > 0]
    if reduced.shape[0] < 2 or reduced.shape[1] < 2:
        return out
    res = stats.chi2_contingency(reduced, correction=False)
    low = int((res.expected_freq < 5).sum())
    out["chi_square"] = {
        "statistic": float(res.statistic),
        "df": int(res.dof),
        "p_value": float(res.pvalue),
        "cramers_v": float(contingency.association(reduced, method="cramer")),
        "rows_used": int(reduced.shape[0]),
        "cols_used": int(reduced.shape[1]),
        "low_expected_cells": low,
        "low_expected_share": low / reduced.size,
        "low_expected_warning": low / reduced.size > 0.2,
    }
    if reduced.shape == (2, 2):
        f = stats.fisher_exact(reduced, alternative="two-sided")
        out["fisher"] = {"p_value": float(f.pvalue), "odds_ratio": fnum(f.statistic)}
    return out


random_table = rng.multinomial(
    900, np.outer([0.2, 0.5, 0.3], [0.1, 0.3, 0.25, 0.35]).ravel() * 0.8
    + np.array([0.05, 0, 0, 0.05, 0, 0.05, 0.05, 0, 0, 0, 0, 0])
).reshape(3, 4)
crosstab_inputs = {
    "2x2_basic": ([[8, 2], [1, 5]], 2, 0),
    "2x2_zero_cell": ([[0, 6], [5, 3]], 1, 0),
    "2x2_symmetric_tie": ([[7, 3], [3, 7]], 0, 0),
    "2x2_diagonal": ([[3, 0], [0, 3]], 0, 0),
    "2x2_at_mode": ([[5, 5], [5, 5]], 0, 0),
    "2x2_large": ([[120, 80], [95, 105]], 0, 0),
    "2x2_very_significant": ([[1000, 2000], [1500, 1400]], 0, 0),
    "3x4_random_900": (random_table.tolist(), 5, 2),
    "3x2_sparse": ([[1, 4], [2, 0], [6, 3]], 0, 0),
    "4x5_empty_row_and_col": (
        [[5, 0, 3, 8, 2], [0, 0, 0, 0, 0], [4, 0, 9, 1, 6], [7, 0, 2, 2, 3]], 3, 1
    ),
    "3x2_reduces_to_2x2": ([[4, 1], [0, 0], [2, 6]], 0, 0),
    "one_column": ([[3], [4]], 1, 0),
    "empty": ([[0, 0], [0, 0]], 2, 0),
}
crosstab_ref = []
for name, (table, missing_pairs, oor_pairs) in crosstab_inputs.items():
    rows, cols = expand(table, rng, missing_pairs, oor_pairs)
    expected = crosstab(table)
    expected["dropped_missing"] = missing_pairs
    expected["dropped_out_of_range"] = oor_pairs
    crosstab_ref.append({
        "name": name, "rows": rows, "cols": cols,
        "r": len(table), "c": len(table[0]), "expected": expected,
    })

# ------------------------------------------------------------------------ multiple
multiple_inputs = {
    "increasing": [0.01, 0.02, 0.03, 0.04, 0.05],
    "ties": [0.04, 0.01, 0.04, 0.01, 0.2],
    "random_20_unsorted": [float(v) for v in rng.uniform(0, 0.2, size=20) ** 2],
    "single": [0.03],
    "zero_and_one": [0.0, 1.0, 0.5, 0.001],
    "capped": [0.5, 0.6, 0.9],
    "empty": [],
}
multiple_ref = []
for name, ps in multiple_inputs.items():
    if ps:
        holm = multipletests(ps, method="holm")[1].tolist()
        bh = multipletests(ps, method="fdr_bh")[1].tolist()
        scipy_bh = stats.false_discovery_control(ps, method="bh")
        assert np.allclose(bh, scipy_bh, rtol=1e-13, atol=0), name
    else:
        holm, bh = [], []
    multiple_ref.append({"name": name, "p_values": ps, "holm": holm, "bh": bh})


# ------------------------------------------------------------------------ suppress
def suppress(table, t):
    def primary(c):
        return f"<{t}" if 0 < c < t else c

    cells, totals, percents = [], [], []
    for row in table:
        shown = [primary(c) for c in row]
        suppressed = [i for i, s in enumerate(shown) if isinstance(s, str)]
        if len(suppressed) == 1:
            others = [i for i in range(len(row)) if i not in suppressed]
            if others:
                shown[min(others, key=lambda i: (row[i], i))] = "x"
        total = sum(row)
        cells.append(shown)
        totals.append(primary(total))
        percents.append([
            None if total == 0 else ("x" if isinstance(s, str) else 100.0 * c / total)
            for c, s in zip(row, shown)
        ])
    return {"cells": cells, "row_totals": totals, "row_percents": percents}


suppress_inputs = {
    "mixed_default": ([[3, 50, 7, 20], [12, 0, 1, 2], [0, 0, 0, 0], [40, 4, 6, 6]], 5),
    "threshold_10": ([[9, 10, 11], [0, 25, 30], [5, 5, 5]], 10),
    "threshold_one_suppresses_nothing": ([[1, 2], [0, 3]], 1),
    "single_column": ([[3], [7], [0]], 5),
}
suppress_ref = [
    {"name": k, "counts": tab, "threshold": t, "expected": suppress(tab, t)}
    for k, (tab, t) in suppress_inputs.items()
]

reference = {
    "generated_by": "analysis/tests/reference/tables.py",
    "versions": {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
    },
    "descriptives": descriptives,
    "wilson": wilson_ref,
    "frequencies": frequency_ref,
    "multi_choice": multi_ref,
    "likert": likert_ref,
    "crosstab": crosstab_ref,
    "multiple": multiple_ref,
    "suppress": suppress_ref,
}
OUT.write_text(json.dumps(reference, indent=1) + "\n")
print(f"wrote {OUT}")
