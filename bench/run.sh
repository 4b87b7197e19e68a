#!/usr/bin/env bash
# make bench: measures, never asserts. Results: bench/results/*.json and bench/results/SUMMARY.md.
#   1. ingest throughput (MB/s of JSON) of bin/prep vs a plain Python script, on generated data
#   2. memory: peak RSS of the ingest at 10k and 50k documents (flat = streaming)
#   3. the scorer vs llama-perplexity --multiple-choice (bench/scorer/run.sh)
#   4. eval report on 100,000 imported predictions
#   5. the whole specs/clickbait.yaml: bin/prep vs plain Python (same rows per split), a rerun,
#      and inflating the same label zips with bsdtar on 2 processes (issue 11's anchors)
#   7. Kiwi (Korean morphology): sentences/s and MB/s of `prep bench-kiwi` over the generated bodies
#   8. fleet: eval score items/s on 1 and 2 llama-servers, and bench/fleet_client.py (lm-eval gguf's
#      sequential requests) on one; BENCH_FLEET_ITEMS (default 24) items of the clickbait valid split
#   9. pages: `title: auto` / `body: auto` through bin/prep run vs trafilatura on the saved news pages of
#      the newspaper4k sdist's tests (expected bodies and titles from the same sdist; bench/pages.py)
# BENCH_DOCS (default 50000) sizes the generated set; BENCH_ONLY=ingest|scorer|report|spec|dedup|kiwi|fleet|pages runs one
# section (and the summary); BENCH_PREP runs section 5 with another prep binary (e.g. a debug build);
# BENCH_KIWI_LIMIT caps the bodies that section 7 analyses (default: all); BENCH_SCALE_DOCS (default
# 4x BENCH_DOCS, 0 to leave it out) sizes the larger set section 5 measures peak memory on;
# BENCH_ROUNDS (default 3) is how many alternating rounds of prep, Python, ingest and bsdtar it takes medians of.
set -euo pipefail
cd "$(dirname "$0")/.."
W=bench/work; R=bench/results; mkdir -p "$W" "$R"
DOCS=${BENCH_DOCS:-50000}
SCALE=${BENCH_SCALE_DOCS:-$((DOCS * 4))}
ROUNDS=${BENCH_ROUNDS:-3}
case "$ROUNDS" in ''|*[!0-9]*|0) echo "BENCH_ROUNDS must be a number of rounds (at least 1), not '$ROUNDS'" >&2; exit 2;; esac
case "$SCALE" in ''|*[!0-9]*) echo "BENCH_SCALE_DOCS must be a number of documents (0 leaves the larger set out), not '$SCALE'" >&2; exit 2;; esac
PREP=${BENCH_PREP:-bin/prep}
export HARNESS_NO_PROGRESS=1

gen() { # gen DOCS DIR (regenerated when DIR holds another number of documents)
  [ "$(cat "$2/.done" 2>/dev/null)" = "$1" ] || { rm -rf "$2"; python3 fixtures/generate.py clickbait --out "$2" --docs "$1" --seed 5 >/dev/null; echo "$1" >"$2/.done"; }
}
rss() { grep "Maximum resident" "$1" | awk '{print $6}'; }
want() { [ -z "${BENCH_ONLY:-}" ] || [ "$BENCH_ONLY" = "$1" ]; }

if want ingest; then
echo "== 1-2. ingest: bin/prep vs plain Python ($DOCS docs)"
gen 10000 "$W/clickbait-10k"; gen "$DOCS" "$W/clickbait-50k"
rm -f "$W/bench.sqlite"*
/usr/bin/time -v bin/prep run bench/ingest.yaml --db "$W/bench.sqlite" --data "$W/clickbait-10k" --force >"$W/prep10k.out" 2>"$W/prep10k.time"
/usr/bin/time -v bin/prep run bench/ingest.yaml --db "$W/bench.sqlite" --data "$W/clickbait-50k" --force >"$W/prep50k.out" 2>"$W/prep50k.time"
/usr/bin/time -v python3 bench/python_convert.py "$W/clickbait-50k" "$W/out-python" >"$W/py.out" 2>"$W/py.time"
prep_line=$(grep "MB of JSON" "$W/prep50k.out")
prep_mbs=$(echo "$prep_line" | sed -E 's/.* at ([0-9.]+) MB\/s/\1/')
py_mbs=$(tail -1 "$W/py.out" | sed -E 's/.*mb_per_s=([0-9.]+).*/\1/')
cat >"$R/ingest.json" <<JSON
{"docs": $DOCS, "prep_mb_per_s": $prep_mbs, "python_mb_per_s": $py_mbs,
 "ratio": $(python3 -c "print(round($prep_mbs/$py_mbs, 2))"),
 "prep_peak_rss_kb_10k": $(rss "$W/prep10k.time"), "prep_peak_rss_kb_50k": $(rss "$W/prep50k.time"),
 "python_peak_rss_kb_50k": $(rss "$W/py.time"), "prep_summary": "$(echo $prep_line | sed 's/"/\\"/g')"}
JSON
cat "$R/ingest.json"
fi

if want scorer; then
echo "== 3. scorer vs llama-perplexity"
if [ -x bench/scorer/run.sh ]; then bash bench/scorer/run.sh || echo "scorer benchmark failed"; fi
fi

if want report; then
echo "== 4. eval report on 100,000 predictions"
python3 - "$W/preds100k.jsonl" <<'PY'
import json, random, sys
r = random.Random(1)
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        g = r.choice(["clickbait", "normal"]); p = g if r.random() < 0.8 else ("normal" if g == "clickbait" else "clickbait")
        f.write(json.dumps({"id": f"X{i:06d}", "gold": g, "predicted": p, "type": r.choice(["00","99","11","12","13","14","15","16","21","22","23","24"]),
                            "part": r.choice(["P1","P2"]), "title": "제목 %d" % i, "scores": {"clickbait": -r.random(), "normal": -r.random()}}, ensure_ascii=False) + "\n")
PY
# A store of its own with no prep run: the import uses the file's gold labels. The file is imported
# twice, so that `eval check` pairs two runs on the same 100,000 items.
rm -f "$W/report.sqlite"*
/usr/bin/time -f "%e" -o "$W/import.time" bin/eval import "$W/preds100k.jsonl" --spec specs/clickbait.yaml --db "$W/report.sqlite" >"$W/import.out" 2>"$W/import.err"; imp=$(cat "$W/import.time")
run=$(grep -oE "run-[0-9]+" "$W/import.out" | head -1)
bin/eval import "$W/preds100k.jsonl" --spec specs/clickbait.yaml --db "$W/report.sqlite" >"$W/import2.out" 2>>"$W/import.err"
run2=$(grep -oE "run-[0-9]+" "$W/import2.out" | head -1)
rep=$( { /usr/bin/time -f "%e" bin/eval report "$run" --db "$W/report.sqlite" --out "$W/report100k.html" >/dev/null; } 2>&1 )
chk=$( { /usr/bin/time -f "%e" bin/eval check "$run2" --baseline "$run" --db "$W/report.sqlite" >/dev/null; } 2>&1 )
echo "{\"predictions\": 100000, \"import_seconds\": $imp, \"report_seconds\": $rep, \"check_seconds\": $chk, \"report_bytes\": $(stat -c %s "$W/report100k.html")}" | tee "$R/report.json"
fi

if want spec; then
echo "== 5. whole clickbait spec: bin/prep vs plain Python ($DOCS docs)"
gen "$DOCS" "$W/clickbait-50k"
DATA="$W/clickbait-50k"
# bench/clickbait-stages.yaml (the stages of the Python script), except that it writes into bench/work/out-spec instead of out/clickbait/
# (the demo's folder, owned by the default store, stays untouched).
SPEC="$W/spec-clickbait.yaml"
sed -E 's#^outputs: \{#outputs: {dir: bench/work/out-spec, #' bench/clickbait-stages.yaml >"$SPEC"
grep -q "^outputs: {dir: bench/work/out-spec, " "$SPEC"
rm -rf "$W/out-spec" "$W/out-spec-python" "$W/out-ingest"; rm -f "$W/spec.sqlite"* "$W/spec-ingest.sqlite"* "$W"/spec-*.time
# The physical limit: inflate every label zip once with bsdtar on 2 processes. Split parts
# (X.zip.part<offset>) are joined in numeric order of the offset first, outside the timing.
rm -rf "$W/bsdtar-joined"; mkdir -p "$W/bsdtar-joined"
find "$DATA" -path '*/02.라벨링데이터/*' -name '*.zip' -print0 >"$W/bsdtar.list"
find "$DATA" -path '*/02.라벨링데이터/*' -name '*.zip.part0' -print0 | while IFS= read -r -d '' first; do
  base=${first%.part0}; joined="$W/bsdtar-joined/$(basename "$base")"
  for p in "$base".part*; do printf '%s\t%s\n' "${p##*.part}" "$p"; done | sort -n | cut -f2- \
    | while IFS= read -r p; do cat "$p"; done >"$joined"
  printf '%s\0' "$joined" >>"$W/bsdtar.list"
done
xargs -0 cat <"$W/bsdtar.list" >/dev/null   # the same page cache state for every run below
# BENCH_ROUNDS rounds (default 3), each running the four one after another: bin/prep, the Python
# script, the ingest alone (bench/ingest.yaml reads the same zips with the same record mapping) and
# bsdtar. Each ratio compares medians over the same rounds: this VM's speed drifts by more than
# 20% between minutes, so one run of each, a few seconds apart, swung the ratio from 3.8x to 5.7x.
for k in $(seq "$ROUNDS"); do
  rm -rf "$W/out-spec" "$W/out-spec-python"
  /usr/bin/time -v "$PREP" run "$SPEC" --data "$DATA" --db "$W/spec.sqlite" --force >"$W/spec-prep.out" 2>"$W/spec-prep.$k.time"
  /usr/bin/time -v python3 bench/python_clickbait.py "$DATA" "$W/out-spec-python" >"$W/spec-py.out" 2>"$W/spec-py.$k.time"
  /usr/bin/time -v "$PREP" run bench/ingest.yaml --data "$DATA" --db "$W/spec-ingest.sqlite" --force >"$W/spec-ingest.out" 2>"$W/spec-ingest.$k.time"
  # One archive per bsdtar (-n1): `bsdtar -xOf A B` reads B as an entry name inside A.
  /usr/bin/time -f "%e" -o "$W/bsdtar.$k.time" bash -c 'xargs -0 -P2 -n1 bsdtar -xOf <"$1" >/dev/null' _ "$W/bsdtar.list"
done
python3 bench/compare_splits.py "$W/out-spec" "$W/out-spec-python" >"$W/spec-compare.json" || true
# A rerun of the unchanged spec: every stage should be skipped. Three reruns, the median kept: the
# first one shares the disk with the writeback of the Python run's 70 MB of outputs.
sync
for k in 1 2 3; do
  /usr/bin/time -v "$PREP" run "$SPEC" --data "$DATA" --db "$W/spec.sqlite" >"$W/spec-rerun.out" 2>"$W/spec-rerun.$k.time"
done
# Memory as the input grows: the same spec on BENCH_SCALE_DOCS documents (default 4x, generated
# once; BENCH_SCALE_DOCS=0 leaves it out). Flat memory would keep the peak within 1.3x.
if [ "$SCALE" -gt 0 ]; then
  gen "$SCALE" "$W/clickbait-scale"
  /usr/bin/time -v "$PREP" run "$SPEC" --data "$W/clickbait-scale" --db "$W/spec-scale.sqlite" --force >"$W/spec-scale.out" 2>"$W/spec-scale.time"
fi
python3 - "$W" "$R/spec.json" "$DOCS" "$SCALE" "$ROUNDS" <<'PY'
import json, os, re, sqlite3, statistics, sys
w, dest, docs, scale, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
def time_v(name):
    text = open(f"{w}/{name}").read()
    clock = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", text).group(1).split(":")
    secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(clock)))
    return round(secs, 2), int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
prep = [time_v(f"spec-prep.{k}.time") for k in range(1, rounds + 1)]
py = [time_v(f"spec-py.{k}.time") for k in range(1, rounds + 1)]
ingest = [time_v(f"spec-ingest.{k}.time") for k in range(1, rounds + 1)]
bsdtar = [float(open(f"{w}/bsdtar.{k}.time").read().split()[-1]) for k in range(1, rounds + 1)]
med = lambda xs: round(statistics.median(xs), 2)
prep_s, py_s, ingest_s, bsdtar_s = med([t for t, _ in prep]), med([t for t, _ in py]), med([t for t, _ in ingest]), med(bsdtar)
# Memory: the highest peak of the rounds, not a median.
prep_kb, py_kb, ingest_kb = max(kb for _, kb in prep), max(kb for _, kb in py), max(kb for _, kb in ingest)
reruns = sorted(time_v(f"spec-rerun.{k}.time") for k in (1, 2, 3))
rerun_s, rerun_kb = reruns[1]
scale_s, scale_kb = time_v("spec-scale.time") if scale > 0 and os.path.exists(f"{w}/spec-scale.time") else (None, None)
db = sqlite3.connect(f"{w}/spec.sqlite")
runs = [r[0] for r in db.execute("SELECT id FROM runs WHERE kind = 'prep' ORDER BY id")]
# The forced runs come first (one per round), then the reruns. Stage figures: the round of the median time.
median_round = sorted(range(rounds), key=lambda k: prep[k][0])[(rounds - 1) // 2]
forced, rerun = runs[median_round], runs[rounds]
stage_s = {n: round(s, 3) for n, s in db.execute("SELECT name, seconds FROM stages WHERE run_id = ? ORDER BY position", (forced,))}
skipped = db.execute("SELECT COUNT(*), SUM(skipped) FROM stages WHERE run_id = ?", (rerun,)).fetchone()
compare = open(f"{w}/spec-compare.json").read().strip()
verdict = json.loads(compare) if compare.startswith("{") else {"identical": False, "error": compare}
py_line = open(f"{w}/spec-py.out").read().strip().splitlines()[-1]
ratio = lambda a, b: round(a / b, 2) if b else None
out = {
    "docs": docs, "rounds": rounds,
    "prep_seconds": prep_s, "python_seconds": py_s, "python_over_prep": ratio(py_s, prep_s),
    "prep_seconds_all": [t for t, _ in prep], "python_seconds_all": [t for t, _ in py],
    "python_over_prep_per_round": [ratio(p[0], q[0]) for p, q in zip(py, prep)],
    "prep_peak_rss_kb": prep_kb, "python_peak_rss_kb": py_kb,
    "rerun_seconds": rerun_s, "rerun_seconds_all": [r[0] for r in reruns], "rerun_stages_skipped": f"{skipped[1] or 0}/{skipped[0]}",
    "scale_docs": scale if scale_kb else None, "scale_seconds": scale_s, "scale_peak_rss_kb": scale_kb,
    "scale_rss_over_docs_rss": ratio(scale_kb, prep_kb) if scale_kb else None,
    "ingest_only_seconds": ingest_s, "ingest_only_peak_rss_kb": ingest_kb,
    "bsdtar_2proc_seconds": bsdtar_s, "bsdtar_seconds_all": bsdtar,
    "ingest_over_bsdtar": ratio(ingest_s, bsdtar_s), "spec_over_bsdtar": ratio(prep_s, bsdtar_s),
    "stage_seconds": stage_s,
    "goals": {"python_over_prep >= 5": None if not prep_s else py_s / prep_s >= 5,
              "ingest_over_bsdtar <= 1.5": None if not bsdtar_s else ingest_s / bsdtar_s <= 1.5,
              "spec_over_bsdtar <= 2.5": None if not bsdtar_s else prep_s / bsdtar_s <= 2.5,
              "rerun_seconds <= 0.3": rerun_s <= 0.3,
              "prep_peak_rss_kb <= 102400": prep_kb <= 102400,
              "scale_rss_over_docs_rss <= 1.3": None if not scale_kb else scale_kb / prep_kb <= 1.3},
    "same_rows_per_split": verdict.get("identical"), "compare": verdict, "python": py_line,
}
with open(dest, "w") as f:   # one key per line
    f.write("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in out.items()) + "\n}\n")
PY
cat "$R/spec.json"
fi

if want dedup; then
echo "== 6. near-duplicate detection (dedup stage: MinHash, LSH, exact Jaccard) on $DOCS docs"
gen "$DOCS" "$W/clickbait-50k"
rm -rf "$W/out-dedup"; rm -f "$W/dedup.sqlite"*
/usr/bin/time -v "$PREP" run bench/dedup.yaml --data "$W/clickbait-50k" --db "$W/dedup.sqlite" --force >"$W/dedup.out" 2>"$W/dedup.time"
python3 - "$W" "$R/dedup.json" <<'PY'
import json, re, sqlite3, sys
w, dest = sys.argv[1], sys.argv[2]
db = sqlite3.connect(f"{w}/dedup.sqlite")
rid = db.execute("SELECT max(id) FROM runs").fetchone()[0]
row = db.execute("SELECT seconds, rows_in, details FROM stages WHERE run_id=? AND name='dedup'", (rid,)).fetchone()
secs, rows, details = row[0], row[1], json.loads(row[2])
t = open(f"{w}/dedup.time").read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
out = {"docs": rows, "dedup_seconds": round(secs, 3), "docs_per_second": round(rows / secs) if secs else None,
       "candidates": details.get("candidates"), "verified_pairs": details.get("verified_pairs"), "clusters": details.get("clusters"),
       "rows_in_clusters": details.get("rows_in_clusters"), "largest_cluster": details.get("largest_cluster"),
       "bands": details.get("bands"), "run_peak_rss_kb": rss,
       "goal": {"dedup_seconds <= 5 (a few seconds on 2 cores)": secs <= 5}}
with open(dest, "w") as f:
    f.write("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in out.items()) + "\n}\n")
PY
cat "$R/dedup.json"
fi

if want kiwi; then
echo "== 7. Kiwi: morphological analysis of the bodies of $DOCS docs (one thread)"
gen "$DOCS" "$W/clickbait-50k"
# The bodies as JSONL: the ingest of section 1 (bench/ingest.yaml), into a store of its own.
rm -f "$W/kiwi.sqlite"*
bin/prep run bench/ingest.yaml --data "$W/clickbait-50k" --db "$W/kiwi.sqlite" --force >"$W/kiwi-ingest.out"
bin/prep bench-kiwi "$W/out-ingest/records.jsonl" --field body ${BENCH_KIWI_LIMIT:+--limit "$BENCH_KIWI_LIMIT"} >"$R/kiwi.json.tmp"
mv "$R/kiwi.json.tmp" "$R/kiwi.json"
cat "$R/kiwi.json"
fi

if want fleet; then
N=${BENCH_FLEET_ITEMS:-24}
echo "== 8. fleet: eval score on 1 and 2 llama-servers, and a sequential Python client ($N items)"
# The clickbait spec's valid split, prepared into bench/work/out-fleet (the demo's out/clickbait/ stays untouched).
SPEC="$W/fleet-clickbait.yaml"
sed -E 's#^outputs: \{#outputs: {dir: bench/work/out-fleet, #' specs/clickbait.yaml >"$SPEC"
grep -q "^outputs: {dir: bench/work/out-fleet, " "$SPEC"
rm -f "$W/fleet.sqlite"*; rm -rf "$W/out-fleet"
bin/prep run "$SPEC" --db "$W/fleet.sqlite" >"$W/fleet-prep.out"
FLEET_PIDS=()
serve() { # serve THREADS: a llama-server (one slot, default numerics) on a free port, healthy; sets URL
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  .deps/llama/bin/llama-server -m models/SmolLM2-135M-Instruct.Q4_1.gguf --host 127.0.0.1 --port "$port" -t "$1" -np 1 -c 2048 \
    >>"$W/fleet-servers.log" 2>&1 &
  FLEET_PIDS+=($!)
  URL="http://127.0.0.1:$port"
  for _ in $(seq 300); do curl -sf "$URL/health" >/dev/null 2>&1 && return; sleep 0.2; done
  echo "llama-server did not start on $URL (see $W/fleet-servers.log)" >&2; return 1
}
stop_servers() { for p in "${FLEET_PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; FLEET_PIDS=(); }
trap stop_servers EXIT
score() { bin/eval score "$SPEC" --backend openai --model smollm --limit "$N" --db "$W/fleet.sqlite" "$@" >>"$W/fleet-eval.out" 2>>"$W/fleet-eval.err"; }
: >"$W/fleet-eval.out"; : >"$W/fleet-eval.err"; : >"$W/fleet-servers.log"
serve 2; U1=$URL; score --url "$U1"                              # run 2: one server, both cores
python3 bench/fleet_client.py --url "$U1" --jsonl "$W/out-fleet/valid.jsonl" --prompt '{instruction}\n\n제목: {title}\n답:' \
  --choice 'clickbait= 낚시성 기사' --choice 'normal= 정상 기사' --limit "$N" --mode echo >"$W/fleet-py-echo.json"
python3 bench/fleet_client.py --url "$U1" --jsonl "$W/out-fleet/valid.jsonl" --prompt '{instruction}\n\n제목: {title}\n답:' \
  --choice 'clickbait= 낚시성 기사' --choice 'normal= 정상 기사' --limit "$N" --mode forced >"$W/fleet-py-forced.json"
stop_servers
serve 1; U2a=$URL; serve 1; U2b=$URL; score --url "$U2a" --url "$U2b" # run 3: two servers, one core each
stop_servers
serve 1; U1b=$URL; score --url "$U1b"                            # run 4: one server, one core (the unit the fleet adds)
stop_servers
trap - EXIT
python3 - "$W" "$R/fleet.json" "$N" "$(nproc)" <<'PY'
import json, sqlite3, sys
w, dest, n, cores = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
db = sqlite3.connect(f"{w}/fleet.sqlite")
runs = db.execute("SELECT id, seconds, status, settings FROM runs WHERE kind = 'score' ORDER BY id").fetchall()
assert len(runs) == 3 and all(r[2] == "done" for r in runs), runs
preds = lambda run: dict(db.execute("SELECT item_id, predicted FROM predictions WHERE run_id = ?", (run,)).fetchall())
rate = lambda s: round(n / s, 3) if s else None
one, two, one_t1 = runs
echo, forced = (json.load(open(f"{w}/fleet-py-{m}.json")) for m in ("echo", "forced"))
out = {
    "items": n, "cores": cores,
    "one_server_2_threads_items_per_s": rate(one[1]), "two_servers_1_thread_each_items_per_s": rate(two[1]),
    "one_server_1_thread_items_per_s": rate(one_t1[1]),
    "two_over_one_server": round(one[1] / two[1], 2) if two[1] else None,
    "python_echo_items_per_s": echo["items_per_s"], "python_echo_scored": echo["scored"],
    "python_forced_items_per_s": forced["items_per_s"],
    "same_predictions_one_vs_two_servers": preds(one[0]) == preds(two[0]),
    "same_predictions_harness_vs_python_forced": {k: v for k, v in preds(one[0]).items()} == forced["predictions"],
    "servers_two": json.loads(two[3]).get("servers"),
    "note": "python echo = lm-eval gguf's request (one /v1/completions with echo per context+choice); "
            "llama-server ignores echo, so it returns no prompt log-probabilities and scores nothing",
}
with open(dest, "w") as f:
    f.write("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in out.items()) + "\n}\n")
PY
cat "$R/fleet.json"
fi

if want pages; then
echo "== 9. article text from saved news pages: harness auto vs trafilatura"
# The pages, expected texts and trafilatura are downloaded once into the cache (pip only), never committed.
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/harness
NP_VERSION=0.9.6; TRAF_VERSION=2.3.1
NP="$CACHE/newspaper4k-$NP_VERSION"
if [ ! -d "$NP/tests/data/html" ]; then
  python3 -m pip download --no-deps --no-binary :all: -q -d "$CACHE/src" "newspaper4k==$NP_VERSION"
  rm -rf "$NP.tmp"; mkdir -p "$NP.tmp"; tar xzf "$CACHE/src/newspaper4k-$NP_VERSION.tar.gz" -C "$NP.tmp"
  mv "$NP.tmp/newspaper4k-$NP_VERSION" "$NP"; rm -rf "$NP.tmp"
fi
VENV="$CACHE/trafilatura-$TRAF_VERSION"
if ! "$VENV/bin/python" -c "import trafilatura" 2>/dev/null; then
  rm -rf "$VENV"; python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "trafilatura==$TRAF_VERSION" lxml_html_clean
fi
DATA="$NP/tests/data"
rm -rf "$W/pages" "$W/out-pages" "$W/pages.sqlite"*
python3 bench/pages.py pick "$DATA" "$W/pages"
cat >"$W/pages.yaml" <<YAML
name: pages-bench
source:
  kind: html
  root: $W/pages
  archives: ["*.html"]
  entries: "*.html"
  default_split: test
  fields: {title: auto, body: auto}
outputs: {dir: $W/out-pages, formats: [jsonl]}
YAML
/usr/bin/time -f "%e" -o "$W/pages-prep.time" bin/prep run "$W/pages.yaml" --db "$W/pages.sqlite" >"$W/pages-prep.out"
"$VENV/bin/python" bench/pages.py trafilatura "$W/pages" "$W/pages-trafilatura.jsonl" 2>"$W/pages-trafilatura.err"
"$VENV/bin/python" bench/pages.py trafilatura "$W/pages" "$W/pages-trafilatura-precision.jsonl" precision 2>"$W/pages-trafilatura-precision.err"
python3 bench/pages.py score "$DATA" "$R/pages.json" "harness=$W/out-pages/test.jsonl:$(cat "$W/pages-prep.time")" \
  "trafilatura=$W/pages-trafilatura.jsonl:$(head -1 "$W/pages-trafilatura.err")" \
  "trafilatura_favor_precision=$W/pages-trafilatura-precision.jsonl:$(head -1 "$W/pages-trafilatura-precision.err")"
fi

{
  echo "# Benchmark results ($(date -u +%Y-%m-%d), $(nproc) cores)"
  [ -f "$R/ingest.json" ] && { echo; echo "## Ingest"; echo; echo '```'; cat "$R/ingest.json"; echo '```'; }
  [ -f "$R/spec.json" ] && { echo; echo "## Whole clickbait spec: bin/prep vs plain Python, rerun, bsdtar"; echo; echo '```'; cat "$R/spec.json"; echo '```'; }
  [ -f "$R/scorer.json" ] && { echo; echo "## Scorer vs llama-perplexity"; echo; echo '```'; cat "$R/scorer.json"; echo '```'; }
  [ -f "$R/dedup.json" ] && { echo; echo "## Near-duplicate detection"; echo; echo '```'; cat "$R/dedup.json"; echo '```'; }
  [ -f "$R/report.json" ] && { echo; echo "## Reports"; echo; echo '```'; cat "$R/report.json"; echo '```'; }
  [ -f "$R/kiwi.json" ] && { echo; echo "## Kiwi (Korean morphology)"; echo; echo '```'; cat "$R/kiwi.json"; echo '```'; }
  [ -f "$R/fleet.json" ] && { echo; echo "## Fleet of llama-servers vs a sequential client"; echo; echo '```'; cat "$R/fleet.json"; echo '```'; }
  [ -f "$R/pages.json" ] && { echo; echo "## Article text from saved news pages: harness title/body auto vs trafilatura"; echo; python3 bench/pages.py markdown "$R/pages.json"; }
} >"$R/SUMMARY.md"
echo "wrote $R/SUMMARY.md"
