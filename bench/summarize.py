#!/usr/bin/env python3
"""Markdown tables of the figures in a bench/run.sh results directory (target/bench).

Usage: bench/summarize.py [DIR]   (prints to standard output; run.sh writes summary.md)
"""

import glob
import json
import os
import sys

out_dir = sys.argv[1] if len(sys.argv) > 1 else "target/bench"


def load(name):
    path = os.path.join(out_dir, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def lat(d, name):
    l = d.get("latency", {}).get(name)
    if not l:
        return "–"
    return f"{l['p50_ms']:.1f} / {l['p90_ms']:.1f} / {l['p99_ms']:.1f} / {l['max_ms']:.0f}"


def rate(d, name):
    return f"{d.get('per_second', {}).get(name, 0):,.0f}"


lines = []
m = load("machine.json")
if m:
    lines.append(f"Commit {m['commit']}{' (with uncommitted changes)' if m['dirty'] else ''}, "
                 f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; load average at start "
                 f"{', '.join(f'{x:.2f}' for x in m['load_average_at_start'])}"
                 f"{'; SMOKE RUN' if m.get('smoke') else ''}.")
    lines.append("")

flows = [(db, load(f"flow-{db}.json")) for db in ("sqlite", "postgres")]
flows = [(db, d) for db, d in flows if d]
if flows:
    lines += ["| flow (64 clients) | responses/s | page POSTs/s | all requests/s | POST p50 / p90 / p99 / max ms | all requests p50 / p90 / p99 / max ms | page turn (POST + next page) p99 ms | errors | server cores | loadgen cores | server context switches/s |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for db, d in flows:
        turn = d["latency"].get("page_turn", {}).get("p99_ms", "–")
        lines.append(f"| {db} | {rate(d, 'completed_responses')} | {rate(d, 'post')} | {rate(d, 'requests')} | "
                     f"{lat(d, 'post')} | {lat(d, 'all')} | {turn} | {sum(d['errors'].values())} {json.dumps(d['errors']) if d['errors'] else ''} | "
                     f"{d['cpu'].get('server_cores')} | {d['cpu'].get('loadgen_cores')} | {d['cpu'].get('server_context_switches_per_second')} |")
    lines.append("")

r = load("render-sqlite.json")
if r:
    lines += ["| render (64 clients, SQLite) | pages/s | GET p50 / p90 / p99 / max ms | page bytes | server cores |",
              "|---|---|---|---|---|",
              f"| {', '.join(r['page_bytes'])} | {rate(r, 'pages')} | {lat(r, 'get')} | "
              f"{', '.join(str(v) for v in r['page_bytes'].values())} | {r['cpu'].get('server_cores')} |", ""]

ceil = sorted(glob.glob(os.path.join(out_dir, "ceiling-*.json")))
if ceil:
    lines += ["| ceiling (64 tasks, sqlx only) | database | synchronous | pools | ops/s | op p50 / p90 / p99 / max ms | writes per op | page POSTs/s equivalent |",
              "|---|---|---|---|---|---|---|---|"]
    for path in ceil:
        d = json.load(open(path))
        ops = d["per_second"].get("ops", 0)
        posts = ops * d.get("page_posts_per_op", 1) if d["mode"] in ("page", "response") else None
        lines.append(f"| {d['mode']} | {d['database']} | {d['synchronous']} | {d.get('pool', 'app') if d['database'] == 'sqlite' else '16 conns'} | {ops:,.0f} | {lat(d, 'op')} | "
                     f"{d['writes_per_op']:g} | {'' if posts is None else f'{posts:,.0f}'} |")
    lines.append("")

for name, title in (("export.json", "export"), ("analyze.json", "analyze")):
    d = load(name)
    if not d:
        continue
    lines += [f"| {title} | median s (runs) | peak RSS MB |", "|---|---|---|"]
    for k, v in d.items():
        if isinstance(v, dict):
            lines.append(f"| {k} | {v['median_s']:.2f} ({', '.join(f'{x:.2f}' for x in v['runs'])}) | {v['max_rss_mb']} |")
        else:
            lines.append(f"| {k} | **{v}** | |")
    lines.append("")

print("\n".join(lines))
