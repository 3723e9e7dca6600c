#!/usr/bin/env python3
"""SciPy reference values for analysis::{groups, paired, reliability, effect}.

Writes comparisons.json next to this file; analysis/tests/reference_comparisons.rs reads
it with include_str! and checks every Rust function against it.

Run from the repository root (needs numpy, scipy and mpmath; no other packages):

    python3 analysis/tests/reference/comparisons.py
    CARGO_TARGET_DIR=/work/target-analysis cargo test -p analysis --test reference_comparisons

All inputs are stored in the JSON, so the Rust test never regenerates data. Random data
use a fixed seed and are rounded to 4 decimals so the JSON round trip is exact.

A statistic SciPy cannot give (NaN, or an infinite F) is written as null: the Rust
function must then return None.

Which p-value method SciPy's method="auto" picked is not guessed from its rules: the
script re-runs the test with each explicit method and records the one whose p-value the
"auto" run reproduced.
"""

import json
import math
import platform
from pathlib import Path

import mpmath
import numpy as np
import scipy
from scipy import special, stats

rng = np.random.default_rng(20240611)


def num(x):
    """Float for JSON, or None for NaN / infinity."""
    x = float(x)
    return x if math.isfinite(x) else None


def normal(n, mean=0.0, sd=1.0):
    return [round(float(v), 4) for v in rng.normal(mean, sd, n)]


def likert(n, probs):
    return [float(v) for v in rng.choice([1, 2, 3, 4, 5], size=n, p=probs)]


def distinct(values):
    return len(set(values)) == len(values)


# ---------------------------------------------------------------- effect sizes


def hedges_j(df):
    """Exact Hedges correction J(df) = Γ(df/2) / (sqrt(df/2) Γ((df-1)/2)), 40 digits."""
    mpmath.mp.dps = 40
    a = mpmath.mpf(df) / 2
    return float(mpmath.gamma(a) / (mpmath.sqrt(a) * mpmath.gamma(a - mpmath.mpf(1) / 2)))


def cohens_d(a, b):
    a, b = np.asarray(a), np.asarray(b)
    n1, n2 = len(a), len(b)
    pooled = math.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    return (a.mean() - b.mean()) / pooled if pooled > 0 else float("nan")


# ---------------------------------------------------------------- two groups

two_group_sets = {
    "likert_ties_unequal": ([3, 4, 4, 5, 2, 3, 4], [2, 3, 3, 1, 2, 2, 3, 4, 2, 1]),
    "tiny_2_vs_3": ([1.5, 2.5], [3.0, 4.0, 6.0]),
    "tiny_2_vs_2": ([1.0, 4.0], [2.0, 3.5]),
    "identical_groups": ([2.0, 3.0, 4.0, 5.0], [2.0, 3.0, 4.0, 5.0]),
    "one_group_constant": ([2.0, 2.0, 2.0], [1.0, 3.0, 5.0, 7.0]),
    "both_groups_constant": ([2.0, 2.0, 2.0], [5.0, 5.0]),
    "all_values_tied": ([3.0, 3.0], [3.0, 3.0, 3.0]),
    "separated_3_vs_4": ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]),
    "one_vs_one": ([1.0], [2.0]),
    "continuous_3_vs_5": ([1.1, 2.3, 3.7], [4.2, 5.9, 0.5, 6.6, 7.1]),
    "continuous_8_vs_9_exact_boundary": (normal(8, 0.5), normal(9)),
    "continuous_9_vs_9_asymptotic_boundary": (normal(9, 0.5), normal(9)),
    "continuous_8_vs_40": (normal(8, 0.3), normal(40)),
    "continuous_5_vs_200": (normal(5, -0.4), normal(200)),
    "continuous_25_vs_30": (normal(25, 0.6), normal(30)),
    "likert_60_vs_45": (likert(60, [0.1, 0.2, 0.3, 0.25, 0.15]), likert(45, [0.2, 0.3, 0.25, 0.15, 0.1])),
    "shifted_large_values": ([1000.1, 1000.4, 1000.2, 1000.9], [1000.3, 1000.8, 1001.1, 1000.7, 1001.0]),
}

welch, mwu = [], []
for name, (a, b) in two_group_sets.items():
    a, b = [float(v) for v in a], [float(v) for v in b]
    entry = {"name": name, "a": a, "b": b}
    if len(a) >= 2 and len(b) >= 2:
        res = stats.ttest_ind(a, b, equal_var=False)
        ci = res.confidence_interval(0.95)
        defined = math.isfinite(res.statistic)
        welch.append({
            **entry,
            "t": num(res.statistic) if defined else None,
            "df": num(res.df) if defined else None,
            "p": num(res.pvalue) if defined else None,
            "mean_difference": float(np.mean(a) - np.mean(b)),
            "ci_low": num(ci.low) if defined else None,
            "ci_high": num(ci.high) if defined else None,
        })
    res = stats.mannwhitneyu(a, b)
    if not math.isfinite(res.pvalue) or len(set(a + b)) == 1:
        # All values tied: SciPy clips its 0/0 to p = 1 or NaN; we report no test.
        mwu.append({**entry, "u1": None})
        continue
    p_exact = stats.mannwhitneyu(a, b, method="exact").pvalue
    p_asym = stats.mannwhitneyu(a, b, method="asymptotic").pvalue
    # SciPy's documented rule, checked against what it did wherever the two p differ.
    rule = "exact" if min(len(a), len(b)) <= 8 and distinct(a + b) else "normal_approximation"
    if p_exact == p_asym == res.pvalue:
        method = rule  # both give the same p (e.g. p = 1): the rule decides the label
    elif res.pvalue == p_exact:
        method = "exact"
    elif res.pvalue == p_asym:
        method = "normal_approximation"
    else:
        raise SystemExit(f"{name}: cannot tell which MWU method SciPy used")
    if method != rule:
        raise SystemExit(f"{name}: SciPy used {method}, its documented rule says {rule}")
    mwu.append({
        **entry,
        "u1": float(res.statistic),
        "p": float(res.pvalue),
        "method": method,
        "rank_biserial": 2 * float(res.statistic) / (len(a) * len(b)) - 1,
    })

effect_two_groups = []
for name, (a, b) in two_group_sets.items():
    a, b = [float(v) for v in a], [float(v) for v in b]
    n = len(a) + len(b)
    ok = len(a) >= 1 and len(b) >= 1 and n >= 3
    d = num(cohens_d(a, b)) if ok else None
    g = d * hedges_j(n - 2) if (d is not None and n - 2 > 1) else None
    effect_two_groups.append({"name": name, "a": a, "b": b, "cohens_d": d, "hedges_g": g})

hedges_correction = [{"df": df, "j": hedges_j(df)} for df in
                     [1.5, 2, 3, 5, 10, 28, 57.5, 150, 199.9, 200, 350, 1000, 12345, 1e5, 1e7]]

# ---------------------------------------------------------------- k groups

k_group_sets = {
    "likert_three_groups": [[3, 4, 4, 5, 2, 3, 4], [2, 3, 3, 1, 2, 2, 3, 4], [4, 5, 5, 3, 4]],
    "identical_groups": [[1, 2, 2, 3], [1, 2, 2, 3], [1, 2, 2, 3]],
    "tiny_2_2_3": [[1.2, 2.9], [3.1, 4.4], [0.7, 5.5, 2.2]],
    "two_groups": [[1.5, 2.5, 2.0, 3.1], [3.0, 4.0, 6.0]],
    "four_normal_groups": [normal(15, 0.0), normal(20, 0.3), normal(25, 0.5), normal(30, 0.2)],
    "likert_large": [likert(80, [0.1, 0.2, 0.3, 0.25, 0.15]), likert(70, [0.2, 0.3, 0.25, 0.15, 0.1]),
                     likert(90, [0.05, 0.15, 0.3, 0.3, 0.2])],
    "constant_within_groups": [[1, 1, 1], [2, 2], [4, 4, 4]],
    "all_tied": [[3, 3], [3, 3, 3]],
    "with_empty_group": [[1.0, 2.0, 4.0], [], [3.0, 5.0, 6.0]],
    "single_values": [[1.0], [2.0], [3.0]],
}

anova, kruskal = [], []
for name, groups in k_group_sets.items():
    groups = [[float(v) for v in g] for g in groups]
    used = [g for g in groups if g]  # empty groups are ignored by the Rust side
    entry = {"name": name, "groups": groups}
    all_values = np.concatenate([np.asarray(g) for g in used])
    n_total, k = len(all_values), len(used)
    if n_total > k:
        res = stats.f_oneway(*used)
        grand = all_values.mean()
        ssb = sum(len(g) * (np.mean(g) - grand) ** 2 for g in used)
        ssw = sum(((np.asarray(g) - np.mean(g)) ** 2).sum() for g in used)
        defined = math.isfinite(res.statistic)
        anova.append({
            **entry,
            "f": num(res.statistic) if defined else None,
            "df_between": k - 1,
            "df_within": n_total - k,
            "p": num(res.pvalue) if defined else None,
            "eta_squared": float(ssb / (ssb + ssw)) if defined else None,
        })
    else:
        anova.append({**entry, "f": None})
    if len(set(all_values.tolist())) == 1:
        kruskal.append({**entry, "h": None})  # SciPy: NaN
    else:
        res = stats.kruskal(*used)
        kruskal.append({**entry, "h": float(res.statistic), "df": k - 1, "p": float(res.pvalue)})

# ---------------------------------------------------------------- paired


def opt(values):
    return [None if v is None else float(v) for v in values]


# A pre/post training evaluation: 15 participants rate their knowledge 1-5 before and
# after; three more participants have a missing rating and are dropped.
training_before = [2, 3, 1, 2, 3, 2, 4, 1, 2, 3, 3, 2, 1, 4, 2, None, 3, 2]
training_after = [4, 4, 3, 3, 3, 4, 3, 2, 4, 4, 3, 3, 3, 5, 4, 4, None, None]

cont30 = normal(30, 3.0)
cont50 = normal(50, 3.0)
cont60 = normal(60, 3.0)
paired_sets = {
    "training_15_likert": (training_before, training_after),
    "continuous_6_exact": ([3.1, 4.6, 2.2, 5.0, 3.3, 4.1], [3.9, 4.4, 3.5, 6.2, 4.0, 5.6]),
    "tiny_2": ([1.0, 2.0], [2.0, 4.5]),
    "tiny_3_with_zero": ([1.0, 2.0, 3.0], [2.0, 2.0, 4.5]),
    "zeros_and_ties_8": ([3, 2, 4, 1, 3, 5, 2, 2], [4, 2, 5, 3, 3, 4, 4, 3]),
    "zeros_13_sign_flip_boundary": ([2, 3, 1, 4, 2, 3, 2, 1, 3, 4, 2, 3, 2],
                                    [3, 3, 2, 5, 4, 3, 3, 3, 4, 4, 4, 4, 1]),
    "ties_14_asymptotic_boundary": ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0],
                                    [2.5, 3.5, 2.0, 6.0, 6.5, 7.5, 5.0, 11.0, 10.5, 13.0, 10.0, 15.5, 12.5, 16.0]),
    "continuous_30_exact": (cont30, normal(30, 3.4)),
    "continuous_50_exact_boundary": (cont50, [round(v + 0.3 + float(e), 4) for v, e in zip(cont50, rng.normal(0, 1, 50))]),
    "continuous_60_asymptotic": (cont60, [round(v + 0.2 + float(e), 4) for v, e in zip(cont60, rng.normal(0, 1, 60))]),
    "likert_ties_20": (likert(20, [0.2, 0.3, 0.3, 0.15, 0.05]), likert(20, [0.05, 0.15, 0.3, 0.3, 0.2])),
    "all_zero_changes": ([3.0, 4.0, 2.0], [3.0, 4.0, 2.0]),
    "constant_change": ([1.0, 2.0, 5.0], [2.0, 3.0, 6.0]),
}

paired = []
for name, (before, after) in paired_sets.items():
    before, after = opt(before), opt(after)
    keep = [(b, a) for b, a in zip(before, after) if b is not None and a is not None]
    pre = np.array([b for b, _ in keep])
    post = np.array([a for _, a in keep])
    diff = post - pre
    n = len(keep)
    entry = {
        "name": name, "before": before, "after": after,
        "n_pairs": n, "dropped_missing": max(len(before), len(after)) - n,
        "mean_before": float(pre.mean()), "mean_after": float(post.mean()),
        "mean_change": float(diff.mean()),
        "n_improved": int((diff > 0).sum()), "n_unchanged": int((diff == 0).sum()),
        "n_worsened": int((diff < 0).sum()),
    }
    t = stats.ttest_rel(post, pre)
    if math.isfinite(t.statistic):
        ci = t.confidence_interval(0.95)
        entry["ttest"] = {"t": float(t.statistic), "df": float(t.df), "p": float(t.pvalue),
                          "ci_low": float(ci.low), "ci_high": float(ci.high)}
        entry["cohens_dz"] = float(diff.mean() / diff.std(ddof=1))
    else:
        entry["ttest"] = None
        entry["cohens_dz"] = None
    nonzero = diff[diff != 0]
    if len(nonzero) == 0:
        entry["wilcoxon"] = None
        entry["rank_biserial"] = None
    else:
        w = stats.wilcoxon(post, pre)
        p_asym = stats.wilcoxon(post, pre, method="asymptotic").pvalue
        p_exact = stats.wilcoxon(post, pre, method="exact").pvalue
        p_perm = stats.wilcoxon(post, pre, method=stats.PermutationMethod()).pvalue
        if w.pvalue == p_asym and p_asym not in (p_exact, p_perm):
            method = "normal_approximation"
        elif w.pvalue == p_exact and len(nonzero) == n and distinct(np.abs(nonzero).tolist()):
            method = "exact"
        elif w.pvalue == p_perm:
            method = "exact_sign_flips"
        else:
            raise SystemExit(f"{name}: cannot tell which Wilcoxon method SciPy used")
        ranks = stats.rankdata(np.abs(nonzero))
        w_plus = float(ranks[nonzero > 0].sum())
        w_minus = float(ranks[nonzero < 0].sum())
        entry["wilcoxon"] = {"statistic": float(w.statistic), "p": float(w.pvalue), "method": method,
                             "w_plus": w_plus, "w_minus": w_minus}
        # Kerby's simple difference formula, zero changes dropped.
        entry["rank_biserial"] = (w_plus - w_minus) / (w_plus + w_minus)
    paired.append(entry)

# ---------------------------------------------------------------- reliability


def scale(n, k, loading, missing_rate=0.0, reverse=()):
    trait = rng.normal(0, 1, n)
    rows = []
    for i in range(n):
        row = []
        for j in range(k):
            raw = loading * trait[i] + rng.normal(0, 1)
            v = float(np.clip(np.round(3 + raw), 1, 5))
            if j in reverse:
                v = 6.0 - v
            row.append(None if rng.random() < missing_rate else v)
        rows.append(row)
    return rows


reliability_sets = {
    "five_items_20_with_missing": scale(20, 5, 1.0, missing_rate=0.05),
    "three_items_one_reversed": scale(30, 3, 1.2, reverse=(2,)),
    "two_items": scale(25, 2, 1.0),
    "eight_items_200": scale(200, 8, 0.8, missing_rate=0.02),
    "tiny_3_rows": [[1.0, 2.0, 2.0], [3.0, 3.0, 4.0], [4.0, 5.0, 4.0]],
    "constant_item": [[1.0, 2.0, 3.0], [2.0, 3.0, 3.0], [4.0, 4.0, 3.0], [3.0, 5.0, 3.0]],
}

reliability = []
for name, rows in reliability_sets.items():
    complete = np.array([r for r in rows if all(v is not None for v in r)], dtype=float)
    n, k = complete.shape

    def alpha(x):
        total_var = x.sum(axis=1).var(ddof=1)
        if x.shape[1] < 2 or total_var == 0:
            return None
        kk = x.shape[1]
        return float(kk / (kk - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var))

    if_deleted, item_total = [], []
    for j in range(k):
        rest = np.delete(complete, j, axis=1)
        if_deleted.append(alpha(rest))
        item, rest_sum = complete[:, j], rest.sum(axis=1)
        if item.std() == 0 or rest_sum.std() == 0:
            item_total.append(None)  # pearsonr is undefined for a constant input
        else:
            item_total.append(float(stats.pearsonr(item, rest_sum).statistic))
    reliability.append({
        "name": name, "rows": rows, "items": k, "n_used": n, "n_dropped": len(rows) - n,
        "alpha": alpha(complete), "alpha_if_deleted": if_deleted, "item_total_correlation": item_total,
    })

out = {
    "generated_by": "analysis/tests/reference/comparisons.py",
    "versions": {"python": platform.python_version(), "numpy": np.__version__,
                 "scipy": scipy.__version__, "mpmath": mpmath.__version__},
    "welch": welch,
    "mann_whitney": mwu,
    "effect_two_groups": effect_two_groups,
    "hedges_correction": hedges_correction,
    "anova": anova,
    "kruskal": kruskal,
    "paired": paired,
    "reliability": reliability,
}
path = Path(__file__).with_name("comparisons.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}: " + ", ".join(f"{k} {len(v)}" for k, v in out.items() if isinstance(v, list)))
