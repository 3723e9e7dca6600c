#!/usr/bin/env bash
# The benchmarks of issue 9 (figures and analysis in docs/performance.md).
#
#   bench/run.sh [--smoke] [--no-build] [all|pages|flow|render|ceiling|export|analyze|profile]...
#
#   pages    size of every page of the example questionnaires (HTTP and rendered)
#   flow     N respondents (default 64) completing obce-socialni-prace over HTTP, on
#            SQLite and on PostgreSQL (skipped with a message when it is not reachable)
#   render   N clients re-rendering one form page of their started response (SQLite)
#   ceiling  the app's rows written with sqlx alone: plain inserts, the page-POST
#            statements, whole responses; synchronous FULL/NORMAL/OFF; the app's SQLite
#            pools (one writer, 8 readers) and its earlier shared pool; SQLite, PostgreSQL
#   export   1,000,000 seminar-mas-2024 responses: anketa export --format csv vs sqlite3
#   analyze  anketa analyze skoleni-po on ~92,000 + 96,000 demo responses vs pandas + SciPy
#   profile  perf record of the server under the SQLite flow and of the export (not in all)
#
# Without a benchmark name: all (not profile). --smoke: tiny runs of each, to check the
# harness (well under a minute after the build). Results (JSON and text) go to
# $BENCH_OUT (default $CARGO_TARGET_DIR/bench, i.e. target/bench). Settings from the
# environment: BENCH_CLIENTS (64), BENCH_DURATION (20 s measured after 3 s of warm-up),
# BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432: a server where this user may
# create and drop databases). Every server is started here on a free port with a fresh
# database and stopped again; PostgreSQL databases are created and dropped here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="$CARGO_TARGET_DIR/release"
OUT="${BENCH_OUT:-$CARGO_TARGET_DIR/bench}"
PG_BASE="${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
CLIENTS="${BENCH_CLIENTS:-64}"
VENV="$CARGO_TARGET_DIR/bench-venv"

SMOKE=0
BUILD=1
BENCHES=()
for arg in "$@"; do
    case "$arg" in
        --smoke) SMOKE=1 ;;
        --no-build) BUILD=0 ;;
        all) BENCHES+=(pages flow render ceiling export analyze) ;;
        pages | flow | render | ceiling | export | analyze | profile) BENCHES+=("$arg") ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "bench/run.sh: unknown argument $arg (see --help)" >&2
            exit 2
            ;;
    esac
done
[ ${#BENCHES[@]} -gt 0 ] || BENCHES=(pages flow render ceiling export analyze)

if [ "$SMOKE" = 1 ]; then
    DURATION=2 WARMUP=0.5 CEIL_DURATION=2 CEIL_WARMUP=0.5
    EXPORT_COUNT=20000 RUNS=2 PER_RUN=50 REPEAT=1 PROFILE_SECONDS=2
else
    DURATION="${BENCH_DURATION:-20}" WARMUP=3 CEIL_DURATION=10 CEIL_WARMUP=2
    EXPORT_COUNT=1000000 RUNS=400 PER_RUN=250 REPEAT=3 PROFILE_SECONDS=15
fi

log() { printf '\n== %s\n' "$*" >&2; }

# --- what the benchmarks need ---------------------------------------------------------
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
APT_UPDATED=0
apt_install() {
    log "installing $*"
    if [ "$APT_UPDATED" = 0 ]; then
        $SUDO apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
need() { # need COMMAND DEBIAN_PACKAGE: install the package when the command is missing
    command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}
need curl curl
need python3 python3
need sqlite3 sqlite3
[ -x /usr/bin/time ] || need /usr/bin/time time
for b in "${BENCHES[@]}"; do
    case "$b" in
        flow | ceiling) need psql postgresql-client ;;
        profile) need perf linux-perf ;;
        analyze)
            if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import pandas, scipy' 2>/dev/null; then
                python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
                log "creating $VENV with pandas and SciPy"
                python3 -m venv "$VENV"
                "$VENV/bin/pip" install -q --upgrade pip
                "$VENV/bin/pip" install -q pandas scipy
            fi
            ;;
    esac
done

if [ "$BUILD" = 1 ]; then
    log "cargo build --release --locked -p anketa -p loadgen"
    cargo build --release --locked -p anketa -p loadgen
fi

mkdir -p "$OUT"
TMP="$(mktemp -d "$OUT/tmp.XXXXXX")"
SERVER_PID=""
PG_DATABASES=()

cleanup() {
    [ -z "$SERVER_PID" ] || { kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; } || true
    for db in "${PG_DATABASES[@]}"; do
        psql -q "$PG_BASE/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$TMP"
    [ -z "${SHM:-}" ] || rm -rf "$SHM"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server DATABASE_URL LOG: anketa serve on a free port, plain HTTP, until /healthz answers.
start_server() {
    PORT="$(free_port)"
    URL="http://127.0.0.1:$PORT"
    RUST_LOG=warn "$BIN/anketa" serve --database "$1" --listen "127.0.0.1:$PORT" \
        --insecure-cookies --surveys surveys --plans analysis/plans >"$2" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 200); do
        curl -sf "$URL/healthz" >/dev/null 2>&1 && return 0
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            cat "$2" >&2
            SERVER_PID=""
            return 1
        fi
        sleep 0.05
    done
    echo "the server did not answer on $URL" >&2
    return 1
}

stop_server() {
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || true
    SERVER_PID=""
}

PG_OK=""
postgres_ok() {
    if [ -z "$PG_OK" ]; then
        if psql -q "$PG_BASE/postgres" -c 'SELECT 1' >/dev/null 2>&1; then PG_OK=1; else PG_OK=0; fi
        [ "$PG_OK" = 1 ] || echo "PostgreSQL is not reachable at $PG_BASE: its runs are skipped" >&2
    fi
    [ "$PG_OK" = 1 ]
}

# new_pg_database: a fresh database (dropped at exit), its URL in PG_URL.
new_pg_database() {
    local name="anketa_bench_$$_${#PG_DATABASES[@]}"
    psql -q "$PG_BASE/postgres" -c "CREATE DATABASE $name" >/dev/null
    PG_DATABASES+=("$name")
    PG_URL="$PG_BASE/$name"
}

# Print one line of figures from a loadgen JSON file.
show() {
    python3 - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
rate = d.get("per_second", {})
lat = d.get("latency", {})
def p(name):
    l = lat.get(name)
    return "" if not l else f" {name}: p50 {l['p50_ms']} p90 {l['p90_ms']} p99 {l['p99_ms']} max {l['max_ms']} ms;"
print(f"  {sys.argv[1].rsplit('/', 1)[-1]}: {json.dumps(rate)}{p('post')}{p('get')}{p('all')}{p('op')}"
      f" errors {json.dumps(d.get('errors', {}))} cpu {json.dumps(d.get('cpu', {}))}")
EOF
}

machine() {
    python3 - "$OUT/machine.json" <<EOF
import json, os, subprocess, sys
def sh(c):
    try:
        return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception:
        return ""
json.dump({
    "commit": sh("git rev-parse --short HEAD"),
    "dirty": bool(sh("git status --porcelain")),
    "cpu": sh("lscpu | sed -n 's/^Model name:[[:space:]]*//p'"),
    "cores": os.cpu_count(),
    "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    "load_average_at_start": os.getloadavg(),
    "smoke": $SMOKE == 1,
}, open(sys.argv[1], "w"), indent=1)
EOF
    cat "$OUT/machine.json"
}

# --- the benchmarks -------------------------------------------------------------------
bench_pages() {
    log "pages: the size of every page"
    start_server "sqlite://$TMP/pages.db" "$TMP/pages-server.log"
    "$BIN/loadgen" pages --url "$URL" --surveys surveys --json "$OUT/pages.json" >/dev/null
    stop_server
    python3 - "$OUT/pages.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for survey, pages in d["http"].items():
    print(f"  {survey} (HTTP bodies): " + ", ".join(f"{p['path'].rsplit('/', 1)[-1]} {p['bytes']}" for p in pages))
for survey, pages in d["rendered_form_pages"].items():
    print(f"  {survey} (form pages rendered): " + ", ".join(f"{k} {v}" for k, v in pages.items()))
EOF
}

bench_flow() {
    log "flow: $CLIENTS respondents completing obce-socialni-prace"
    local dbs=(sqlite)
    postgres_ok && dbs+=(postgres)
    for db in "${dbs[@]}"; do
        local url
        if [ "$db" = sqlite ]; then
            url="sqlite://$TMP/flow.db"
        else
            new_pg_database
            url="$PG_URL"
        fi
        start_server "$url" "$TMP/flow-$db-server.log"
        "$BIN/loadgen" flow --url "$URL" --survey obce-socialni-prace --surveys surveys \
            --clients "$CLIENTS" --duration "$DURATION" --warmup "$WARMUP" \
            --server-pid "$SERVER_PID" --label "$db" --json "$OUT/flow-$db.json" >/dev/null
        stop_server
        show "$OUT/flow-$db.json"
    done
}

bench_render() {
    log "render: $CLIENTS clients rendering one page of their started response"
    start_server "sqlite://$TMP/render.db" "$TMP/render-server.log"
    "$BIN/loadgen" render --url "$URL" --survey obce-socialni-prace --surveys surveys \
        --clients "$CLIENTS" --duration "$DURATION" --warmup "$WARMUP" \
        --server-pid "$SERVER_PID" --label sqlite --json "$OUT/render-sqlite.json" >/dev/null
    stop_server
    show "$OUT/render-sqlite.json"
    python3 -c 'import json,sys; print("  page bytes:", json.load(open(sys.argv[1]))["page_bytes"])' "$OUT/render-sqlite.json"
}

bench_ceiling() {
    log "ceiling: the app's rows with sqlx alone, $CLIENTS at a time"
    local runs=("sqlite insert full" "sqlite insert normal" "sqlite insert off"
        "sqlite update full" "sqlite update normal" "sqlite page full" "sqlite page normal"
        "sqlite page off" "sqlite response full" "sqlite response normal"
        "sqlite insert full shared" "sqlite page full shared" "sqlite page off shared"
        "sqlite response full shared")
    if postgres_ok; then
        runs+=("postgres insert full" "postgres page full" "postgres response full" "postgres page off")
    fi
    [ "$SMOKE" = 0 ] || runs=("sqlite insert full" "sqlite page full" "sqlite response full")
    [ "$SMOKE" = 0 ] || ! postgres_ok || runs+=("postgres page full")
    local spec db mode sync pool url name
    for spec in "${runs[@]}"; do
        read -r db mode sync pool <<<"$spec"
        pool="${pool:-app}"
        name="ceiling-$db-$mode-$sync-$pool"
        if [ "$db" = sqlite ]; then
            rm -f "$TMP"/ceiling.db*
            url="sqlite://$TMP/ceiling.db"
        else
            new_pg_database
            url="$PG_URL"
        fi
        "$BIN/loadgen" ceiling --database "$url" --mode "$mode" --synchronous "$sync" \
            --survey obce-socialni-prace --surveys surveys --clients "$CLIENTS" \
            --duration "$CEIL_DURATION" --warmup "$CEIL_WARMUP" --pool "$pool" \
            --json "$OUT/$name.json" >/dev/null
        show "$OUT/$name.json"
    done
}

# timed NAME OUTPUT COMMAND...: run REPEAT times with output to OUTPUT; appends
# "NAME seconds max_rss_kb" lines to $TMP/times, and keeps /usr/bin/time -v of the last.
timed() {
    local name="$1" output="$2"
    shift 2
    for _ in $(seq "$REPEAT"); do
        /usr/bin/time -v -o "$TMP/time-$name.txt" "$@" >"$output"
        python3 - "$name" "$TMP/time-$name.txt" >>"$TMP/times" <<'EOF'
import re, sys
t = open(sys.argv[2]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
secs = sum(float(x) * 60**i for i, x in enumerate(reversed(wall.split(":"))))
rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)
print(sys.argv[1], secs, rss)
EOF
    done
    cp "$TMP/time-$name.txt" "$OUT/time-$name.txt"
}

summarize_times() { # OUT_JSON [ANKETA_NAME REFERENCE_NAME]...
    python3 - "$TMP/times" "$@" <<'EOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, secs, rss = line.split()
    rows.setdefault(name, []).append((float(secs), int(rss)))
out = {name: {"runs": [s for s, _ in r], "median_s": statistics.median(s for s, _ in r),
              "min_s": min(s for s, _ in r), "max_rss_mb": round(max(k for _, k in r) / 1024, 1)}
       for name, r in rows.items()}
pairs = sys.argv[3:]
for a, b in zip(pairs[::2], pairs[1::2]):
    if a in out and b in out:
        out[f"ratio {a} / {b}"] = round(out[a]["median_s"] / out[b]["median_s"], 2)
json.dump(out, open(sys.argv[2], "w"), indent=1)
for k, v in out.items():
    print(f"  {k}: {v}")
EOF
}

bench_export() {
    log "export: $EXPORT_COUNT seminar-mas-2024 responses to CSV"
    local db="$TMP/export.db"
    : >"$TMP/times"
    "$BIN/loadgen" seed --database "sqlite://$db" --survey seminar-mas-2024 --surveys surveys \
        --count "$EXPORT_COUNT" --json "$OUT/export-seed.json" >/dev/null
    cat "$db" >/dev/null # the file in the page cache for every contestant
    "$BIN/loadgen" export-sql --survey seminar-mas-2024 --surveys surveys >"$OUT/export-equivalent.sql"
    # One run of each first, not timed (warm caches), then the timed runs.
    RUST_LOG=error "$BIN/anketa" export seminar-mas-2024 --database "sqlite://$db" --format csv >"$TMP/anketa.csv"
    timed anketa_export "$TMP/anketa.csv" env RUST_LOG=error "$BIN/anketa" export seminar-mas-2024 \
        --database "sqlite://$db" --format csv
    timed sqlite3_select_star "$TMP/plain.csv" sqlite3 -csv "$db" "SELECT * FROM responses"
    timed sqlite3_equivalent "$TMP/equivalent.csv" sqlite3 -csv -header "$db" ".read $OUT/export-equivalent.sql"
    # Where anketa's time goes: the app's own query in sqlite3, and streamed by sqlx alone.
    timed sqlite3_app_query "$TMP/app-query.csv" sqlite3 -csv "$db" "SELECT r.id, r.survey_version, r.status, r.language, r.answers, r.submitted_at, i.attributes AS invitation FROM responses r LEFT JOIN invitations i ON i.response_id = r.id WHERE r.survey_id = 'seminar-mas-2024' AND r.status = 'complete' AND r.flag IS NULL AND r.deleted_at IS NULL ORDER BY r.submitted_at, r.id"
    timed sqlx_fetch_only "$TMP/fetch.json" "$BIN/loadgen" fetch --database "sqlite://$db" --survey seminar-mas-2024
    wc -lc "$TMP/anketa.csv" "$TMP/plain.csv" "$TMP/equivalent.csv" | tee "$OUT/export-sizes.txt"
    summarize_times "$OUT/export.json" anketa_export sqlite3_select_star anketa_export sqlite3_equivalent \
        anketa_export sqlite3_app_query
}

bench_analyze() {
    log "analyze: anketa analyze skoleni-po vs pandas + SciPy ($RUNS runs x $PER_RUN participants)"
    SHM="$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d "$TMP/analyze.XXXXXX")"
    local db="$SHM/analyze.db"
    : >"$TMP/times"
    # Seeded on tmpfs: 400,000 autocommitted statements with fsync would take minutes.
    local began=$SECONDS
    "$BIN/anketa" demo training --runs "$RUNS" --per-run "$PER_RUN" --database "sqlite://$db" >&2
    echo "  seeded in $((SECONDS - began)) s" >&2
    RUST_LOG=error "$BIN/anketa" analyze skoleni-po --database "sqlite://$db" --format json >"$OUT/analyze-anketa.json"
    "$VENV/bin/python" bench/analyze_reference.py --database "$db" --check "$OUT/analyze-anketa.json" \
        --json "$OUT/analyze-python.json" >/dev/null
    timed anketa_analyze "$TMP/report.json" env RUST_LOG=error "$BIN/anketa" analyze skoleni-po \
        --database "sqlite://$db" --format json
    timed python_reference "$TMP/python.out" "$VENV/bin/python" bench/analyze_reference.py --database "$db"
    echo "  python phases (last run): $(cat "$TMP/python.out")" >&2
    cp "$TMP/python.out" "$OUT/analyze-python-phases.json"
    summarize_times "$OUT/analyze.json" python_reference anketa_analyze
}

# report PERF_DATA LINES PERF_REPORT_ARGS...: the first lines of a perf report (perf may
# die of SIGPIPE when head has read enough: not an error).
report() {
    local data="$1" lines="$2"
    shift 2
    { perf report -i "$data" "$@" --stdio 2>/dev/null | grep -v '^$' | head -"$lines"; } || true
}

bench_profile() {
    log "profile: perf record of the server under the SQLite flow, and of the export"
    start_server "sqlite://$TMP/profile.db" "$TMP/profile-server.log"
    "$BIN/loadgen" flow --url "$URL" --clients "$CLIENTS" --warmup 1 --duration 2 >/dev/null
    "$BIN/loadgen" flow --url "$URL" --clients "$CLIENTS" --warmup 0 \
        --duration "$((PROFILE_SECONDS + 2))" --json "$OUT/profile-flow-load.json" >/dev/null &
    local lg=$!
    sleep 1
    perf record -F 499 --call-graph dwarf,32768 -p "$SERVER_PID" -o "$TMP/flow.perf" \
        -- sleep "$PROFILE_SECONDS" 2>"$TMP/perf.log" || cat "$TMP/perf.log" >&2
    wait "$lg"
    stop_server
    report "$TMP/flow.perf" 150 --no-children --sort dso,symbol --percent-limit 0.7 >"$OUT/profile-flow-self.txt"
    report "$TMP/flow.perf" 150 --children --sort symbol --percent-limit 2 -g none >"$OUT/profile-flow-children.txt"
    echo "  $OUT/profile-flow-self.txt, $OUT/profile-flow-children.txt" >&2
    local db="$TMP/profile-export.db"
    "$BIN/loadgen" seed --database "sqlite://$db" --survey seminar-mas-2024 --surveys surveys \
        --count "$((EXPORT_COUNT / 4))" >/dev/null
    perf record -F 499 --call-graph dwarf,32768 -o "$TMP/export.perf" -- \
        "$BIN/anketa" export seminar-mas-2024 --database "sqlite://$db" --format csv \
        >/dev/null 2>"$TMP/perf.log" || cat "$TMP/perf.log" >&2
    report "$TMP/export.perf" 120 --no-children --sort dso,symbol --percent-limit 0.7 >"$OUT/profile-export-self.txt"
    report "$TMP/export.perf" 120 --children --sort symbol --percent-limit 2 -g none >"$OUT/profile-export-children.txt"
    echo "  $OUT/profile-export-self.txt, $OUT/profile-export-children.txt" >&2
}

log "machine"
machine
uptime
for b in "${BENCHES[@]}"; do
    "bench_$b"
done
python3 bench/summarize.py "$OUT" >"$OUT/summary.md"
cat "$OUT/summary.md"
log "results in $OUT (summary.md)"
