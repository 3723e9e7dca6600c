#!/usr/bin/env python3
"""The statistics of `anketa analyze skoleni-po` (analysis/plans/skoleni-po.toml) in
pandas + SciPy, for timing against anketa (bench/run.sh analyze).

Reads the same SQLite database as anketa (complete, counted responses of skoleni-po and
skoleni-pred with their invitation columns), parses the answers JSON, and computes what
the report computes:

- describe course, overall, recommend, knowledge, confidence: Likert items (distribution
  with Wilson 95 % intervals, mean, SD, median, top-2 share), the numeric rating
  (n, mean, SD, median, quartiles, min, max), the yes/no frequencies (Wilson intervals);
- crosstab recommend x invitation.run: chi-square test, Cramér's V;
- compare overall by invitation.run: per-group descriptives; one-way ANOVA (eta squared)
  and Kruskal-Wallis for more than two groups, Welch's t-test, Mann-Whitney U and
  Cohen's d for two;
- scales course (5 items) and knowledge (8): Cronbach's alpha, alpha if item deleted,
  corrected item-total correlations, the score's descriptives;
- two pre/post blocks (knowledge, confidence; 8 items each) pairing skoleni-pred and
  skoleni-po by invitation.participant: per item and for the person means, change
  summary, paired t-test with 95 % CI, Wilcoxon signed-rank (zeros dropped, normal
  approximation), Cohen's dz, rank-biserial correlation, Holm correction;
- the timeline of complete responses per day (survey time zone).

Small-cell suppression is not re-implemented (no published cell is below 5 at this size),
nor the report's layout and charts. `--check REPORT.json` compares the main figures with
anketa's JSON report (`anketa analyze skoleni-po --format json`).

Usage: analyze_reference.py --database FILE.db [--check report.json] [--json OUT]
"""

import argparse
import json
import sqlite3
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats

AFTER = "skoleni-po"
BEFORE = "skoleni-pred"
TOPICS = ["legislativa", "posouzeni", "dluhy", "dusevni_zdravi", "pas", "bydleni",
          "spoluprace", "dokumentace"]
COURSE = ["relevant", "lecturers", "methods", "apply", "organisation"]
Z95 = stats.norm.ppf(0.975)

SQL = """SELECT r.answers, r.submitted_at, i.attributes FROM responses r
         LEFT JOIN invitations i ON i.response_id = r.id
         WHERE r.survey_id = ? AND r.status = 'complete' AND r.flag IS NULL
           AND r.deleted_at IS NULL
         ORDER BY r.submitted_at, r.id"""


def load(db, survey_id, matrices, with_course):
    """One row per response: matrix rows as numbers, overall, recommend, invitation."""
    rows = db.execute(SQL, (survey_id,)).fetchall()
    cols = {}
    for m in matrices:
        for t in TOPICS:
            cols[f"{m}.{t}"] = []
    if with_course:
        for c in COURSE:
            cols[f"course.{c}"] = []
        cols["overall"] = []
        cols["recommend"] = []
    cols["run"] = []
    cols["participant"] = []
    cols["submitted_at"] = []
    for answers, submitted, attributes in rows:
        a = json.loads(answers)
        inv = json.loads(attributes) if attributes else {}
        for m in matrices:
            cells = a.get(m, {}).get("matrix", {})
            for t in TOPICS:
                v = cells.get(t)
                cols[f"{m}.{t}"].append(float(v) if v is not None else np.nan)
        if with_course:
            cells = a.get("course", {}).get("matrix", {})
            for c in COURSE:
                v = cells.get(c)
                cols[f"course.{c}"].append(float(v) if v is not None else np.nan)
            n = a.get("overall", {}).get("number")
            cols["overall"].append(float(n) if n is not None else np.nan)
            b = a.get("recommend", {}).get("bool")
            cols["recommend"].append(None if b is None else ("1" if b else "0"))
        cols["run"].append(inv.get("run"))
        cols["participant"].append(inv.get("participant"))
        cols["submitted_at"].append(submitted)
    return pd.DataFrame(cols)


def wilson(k, n):
    if n == 0:
        return None
    p = k / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    return [100 * (centre - half), 100 * (centre + half)]


def describe(x):
    x = pd.Series(x, dtype=float)
    v = x.dropna().to_numpy()
    if len(v) == 0:
        return {"n": 0, "missing": int(x.isna().sum())}
    return {
        "n": int(len(v)), "missing": int(x.isna().sum()),
        "mean": float(v.mean()), "sd": float(v.std(ddof=1)) if len(v) > 1 else None,
        "median": float(np.median(v)),
        "q1": float(np.percentile(v, 25)), "q3": float(np.percentile(v, 75)),
        "min": float(v.min()), "max": float(v.max()),
    }


def likert_item(x, points=5):
    v = x.dropna()
    n = len(v)
    counts = v.value_counts().reindex([float(p) for p in range(1, points + 1)], fill_value=0)
    return {
        "n": int(n), "missing": int(x.isna().sum()),
        "distribution": [{"code": str(int(c)), "count": int(k), "percent": 100 * k / n,
                          "ci95": wilson(int(k), n)} for c, k in counts.items()],
        "mean": float(v.mean()), "sd": float(v.std(ddof=1)), "median": float(v.median()),
        "top2_percent": 100 * float((v >= points - 1).mean()),
    }


def frequencies(x, codes):
    v = x.dropna()
    n = len(v)
    counts = v.value_counts().reindex(codes, fill_value=0)
    return {"n": int(n), "missing": int(x.isna().sum()),
            "rows": [{"code": c, "count": int(k), "percent": 100 * k / n,
                      "ci95": wilson(int(k), n)} for c, k in counts.items()]}


def holm(p):
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    m = len(p)
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted.tolist()


def cronbach(items):
    data = items.dropna().to_numpy()
    k = data.shape[1]
    total = data.sum(axis=1)
    alpha = k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / total.var(ddof=1))
    per_item = []
    for j in range(k):
        rest = np.delete(data, j, axis=1)
        rest_total = rest.sum(axis=1)
        a = (k - 1) / (k - 2) * (1 - rest.var(axis=0, ddof=1).sum() / rest_total.var(ddof=1))
        r = np.corrcoef(data[:, j], rest_total)[0, 1]
        per_item.append({"item": j, "alpha_if_deleted": float(a),
                         "corrected_item_total_correlation": float(r)})
    score = items.mean(axis=1, skipna=False)
    return {"items": k, "n_used": int(len(data)), "alpha": float(alpha),
            "item_statistics": per_item, "score": describe(score)}


def paired(before, after):
    d = after - before
    keep = ~np.isnan(d)
    b, a, d = before[keep], after[keep], d[keep]
    n = len(d)
    t = stats.ttest_rel(a, b)
    sd = d.std(ddof=1)
    half = stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n)
    nonzero = d[d != 0]
    w = stats.wilcoxon(nonzero, zero_method="wilcox", correction=False, method="approx")
    ranks = stats.rankdata(np.abs(nonzero))
    w_plus = float(ranks[nonzero > 0].sum())
    w_minus = float(ranks[nonzero < 0].sum())
    return {
        "n_pairs": int(n), "dropped_missing": int((~keep).sum()),
        "summary": {"mean_before": float(b.mean()), "mean_after": float(a.mean()),
                    "mean_change": float(d.mean()), "n_improved": int((d > 0).sum()),
                    "n_unchanged": int((d == 0).sum()), "n_worsened": int((d < 0).sum())},
        "t_test": {"t": float(t.statistic), "df": float(n - 1), "p_value": float(t.pvalue),
                   "mean_change": float(d.mean()), "sd_change": float(sd),
                   "ci95_low": float(d.mean() - half), "ci95_high": float(d.mean() + half)},
        "wilcoxon": {"n_zero_differences": int((d == 0).sum()), "w_plus": w_plus,
                     "w_minus": w_minus, "statistic": float(min(w_plus, w_minus)),
                     "p_value": float(w.pvalue),
                     "rank_biserial": (w_plus - w_minus) / (w_plus + w_minus)},
        "cohens_dz": float(d.mean() / sd),
    }


def prepost(pre, post, matrix):
    """Pair by participant code (trimmed, lower case); a code used twice pairs nobody."""
    def codes(df):
        return df["participant"].fillna("").str.strip().str.lower().replace("", np.nan)
    b_codes, a_codes = codes(pre), codes(post)
    b_unique = b_codes[~b_codes.duplicated(keep=False)].dropna()
    a_unique = a_codes[~a_codes.duplicated(keep=False)].dropna()
    b_index = pd.Series(b_unique.index, index=b_unique.values)
    a_index = pd.Series(a_unique.index, index=a_unique.values)
    linked = a_index.index.intersection(b_index.index)
    bi, ai = b_index[linked].to_numpy(), a_index[linked].to_numpy()
    # In the order of the exit responses, as anketa pairs them.
    order = np.argsort(ai)
    bi, ai = bi[order], ai[order]
    names = [f"{matrix}.{t}" for t in TOPICS]
    items = []
    for name in names:
        items.append({"name": name, "comparison": paired(pre[name].to_numpy()[bi],
                                                         post[name].to_numpy()[ai])})
    for key in ("t_test", "wilcoxon"):
        adj = holm([i["comparison"][key]["p_value"] for i in items])
        for i, p in zip(items, adj):
            i["p_adjusted" if key == "t_test" else "wilcoxon_p_adjusted"] = p
    overall = paired(pre[names].to_numpy()[bi].mean(axis=1), post[names].to_numpy()[ai].mean(axis=1))
    return {"linked": int(len(linked)), "unlinked": int(len(post) - len(linked)),
            "items": items, "overall": overall}


def compute(pre, post):
    out = {"responses": int(len(post)), "sections": []}
    s = out["sections"]
    for matrix, rows in (("course", COURSE), ("knowledge", TOPICS), ("confidence", TOPICS)):
        s.append({"kind": "scale", "name": matrix,
                  "items": [dict(name=f"{matrix}.{r}", **likert_item(post[f"{matrix}.{r}"]))
                            for r in rows]})
    s.append({"kind": "numeric", "name": "overall", "stats": describe(post["overall"])})
    s.append({"kind": "frequencies", "name": "recommend",
              **frequencies(post["recommend"], ["1", "0"])})
    table = pd.crosstab(post["recommend"], post["run"])
    chi2, p, dof, _ = stats.chi2_contingency(table.to_numpy(), correction=False)
    n = table.to_numpy().sum()
    v = np.sqrt(chi2 / (n * (min(table.shape) - 1)))
    s.append({"kind": "crosstab", "n": int(n), "cells": table.to_numpy().tolist(),
              "chi_square": {"statistic": float(chi2), "df": int(dof), "p_value": float(p),
                             "cramers_v": float(v)}, "p_adjusted": holm([p])[0]})
    groups = [g.dropna().to_numpy() for _, g in post.groupby("run")["overall"]]
    # Tests use the groups published (at least min_cell = 5 people).
    used = [g for g in groups if len(g) >= 5]
    section = {"kind": "comparison", "groups": [describe(g) for g in groups],
               "two": None, "many": None}
    if len(used) == 2:
        a, b = used
        welch = stats.ttest_ind(a, b, equal_var=False)
        mwu = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
        pooled = np.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1))
                         / (len(a) + len(b) - 2))
        section["two"] = {"welch": {"t": float(welch.statistic), "p_value": float(welch.pvalue)},
                          "mann_whitney": {"u": float(mwu.statistic), "p_value": float(mwu.pvalue)},
                          "cohens_d": float((a.mean() - b.mean()) / pooled)}
        primary = welch.pvalue
    elif len(used) > 2:
        f = stats.f_oneway(*used)
        allv = np.concatenate(used)
        ss_between = sum(len(g) * (g.mean() - allv.mean()) ** 2 for g in used)
        ss_total = ((allv - allv.mean()) ** 2).sum()
        h = stats.kruskal(*used)
        section["many"] = {"anova": {"f": float(f.statistic), "p_value": float(f.pvalue),
                                     "eta_squared": float(ss_between / ss_total)},
                           "kruskal_wallis": {"h": float(h.statistic), "p_value": float(h.pvalue)}}
        primary = f.pvalue
    else:
        primary = np.nan
    section["p_adjusted"] = holm([primary])[0]
    s.append(section)
    s.append({"kind": "reliability", "id": "course_quality",
              "reliability": cronbach(post[[f"course.{c}" for c in COURSE]])})
    s.append({"kind": "reliability", "id": "knowledge_after",
              "reliability": cronbach(post[[f"knowledge.{t}" for t in TOPICS]])})
    for matrix in ("knowledge", "confidence"):
        s.append({"kind": "pre_post", **prepost(pre, post, matrix)})
    days = (pd.to_datetime(post["submitted_at"], unit="ms", utc=True)
            .dt.tz_convert("Europe/Prague").dt.date.value_counts().sort_index())
    out["timeline"] = {"period": "day", "points": len(days), "max": int(days.max())}
    return out


def close(a, b, what, problems, tol=1e-6):
    if b is None:
        return  # withheld by anketa's small-cell suppression
    if a is None or abs(a - b) > tol * max(1.0, abs(a), abs(b)):
        problems.append(f"{what}: python {a} vs anketa {b}")


def check(ours, report):
    """Compare the main figures with anketa's JSON report; returns the differences."""
    problems = []
    theirs = {}
    for sec in report["sections"]:
        theirs.setdefault(sec["kind"], []).append(sec)
    mine = {}
    for sec in ours["sections"]:
        mine.setdefault(sec["kind"], []).append(sec)
    close(ours["responses"], report["responses"], "responses", problems)
    for m, t in zip(mine["scale"], theirs["scale"]):
        for i, j in zip(m["items"], t["items"]):
            close(i["mean"], j["mean"], f"{i['name']} mean", problems)
            close(i["sd"], j["sd"], f"{i['name']} sd", problems)
            ci = j["distribution"][0]["ci95"]
            close(i["distribution"][0]["ci95"][0], ci and ci[0], f"{i['name']} ci", problems)
    o, t = mine["numeric"][0]["stats"], theirs["numeric"][0]["stats"]
    for k in ("mean", "sd", "median", "q1", "q3"):
        close(o[k], t[k], f"overall {k}", problems)
    c, t = mine["crosstab"][0]["chi_square"], theirs["crosstab"][0]["chi_square"]
    for k in ("statistic", "p_value", "cramers_v"):
        close(c[k], t[k], f"chi-square {k}", problems)
    c, t = mine["comparison"][0], theirs["comparison"][0]
    if t["many"]:
        c, t = c["many"], t["many"]
        close(c["anova"]["f"], t["anova"]["f"], "anova F", problems)
        close(c["anova"]["p_value"], t["anova"]["p_value"], "anova p", problems)
        close(c["kruskal_wallis"]["h"], t["kruskal_wallis"]["h"], "kruskal H", problems)
    elif t["two"]:
        c, t = c["two"], t["two"]
        close(c["welch"]["t"], t["welch"]["t"], "welch t", problems)
        close(c["welch"]["p_value"], t["welch"]["p_value"], "welch p", problems)
        close(c["mann_whitney"]["p_value"], t["mann_whitney"]["p_value"], "mwu p", problems)
        close(c["cohens_d"], t["cohens_d"], "cohen d", problems)
    for m, t in zip(mine["reliability"], theirs["reliability"]):
        close(m["reliability"]["alpha"], t["reliability"]["alpha"], f"{m['id']} alpha", problems)
    for m, t in zip(mine["pre_post"], theirs["pre_post"]):
        close(m["linked"], t["linked"], "linked", problems)
        for i, j in zip(m["items"] + [{"name": "overall", "comparison": m["overall"]}],
                        t["items"] + [{"name": "overall", "comparison": t["overall"]}]):
            a, b = i["comparison"], j["comparison"]
            close(a["t_test"]["t"], b["t_test"]["t"], f"{i['name']} t", problems)
            close(a["wilcoxon"]["w_plus"], b["wilcoxon"]["w_plus"], f"{i['name']} W+", problems)
            close(a["cohens_dz"], b["cohens_dz"], f"{i['name']} dz", problems)
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database", required=True, help="the SQLite file anketa uses")
    ap.add_argument("--check", help="anketa's JSON report to compare with")
    ap.add_argument("--json", help="write the computed figures here")
    args = ap.parse_args()
    began = time.perf_counter()
    db = sqlite3.connect(f"file:{args.database}?mode=ro", uri=True)
    post = load(db, AFTER, ["knowledge", "confidence"], True)
    pre = load(db, BEFORE, ["knowledge", "confidence"], False)
    loaded = time.perf_counter()
    out = compute(pre, post)
    done = time.perf_counter()
    out["seconds"] = {"load": loaded - began, "compute": done - loaded, "total": done - began}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1, default=float)
    print(json.dumps({"responses": out["responses"], "before": int(len(pre)),
                      "seconds": out["seconds"]}))
    if args.check:
        with open(args.check) as f:
            problems = check(out, json.load(f))
        if problems:
            print("differences from anketa's report:", *problems, sep="\n  ", file=sys.stderr)
            sys.exit(1)
        print("anketa's report and this computation agree on every figure checked",
              file=sys.stderr)


if __name__ == "__main__":
    main()
