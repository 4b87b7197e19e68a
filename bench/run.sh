#!/usr/bin/env bash
# make bench: measures, never asserts. Results: bench/results/*.json and bench/results/SUMMARY.md.
#   1. ingest throughput (MB/s of JSON) of bin/prep vs a plain Python script, on generated data
#   2. memory: peak RSS of the ingest at 10k and 50k documents (flat = streaming)
#   3. the scorer vs llama-perplexity --multiple-choice (bench/scorer/run.sh)
#   4. eval report on 100,000 imported predictions
set -euo pipefail
cd "$(dirname "$0")/.."
W=bench/work; R=bench/results; mkdir -p "$W" "$R"
DOCS=${BENCH_DOCS:-50000}
export HARNESS_NO_PROGRESS=1

gen() { # gen DOCS DIR
  [ -f "$2/.done" ] || { rm -rf "$2"; python3 fixtures/generate.py clickbait --out "$2" --docs "$1" --seed 5 >/dev/null; touch "$2/.done"; }
}
rss() { grep "Maximum resident" "$1" | awk '{print $6}'; }

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

echo "== 3. scorer vs llama-perplexity"
if [ -x bench/scorer/run.sh ]; then bash bench/scorer/run.sh || echo "scorer benchmark failed"; fi

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
# Synthetic ids match no prepared item, so the store holds no prep run: the import uses the file's gold labels.
imp=$( { /usr/bin/time -f "%e" bin/eval import "$W/preds100k.jsonl" --spec specs/clickbait.yaml --db "$W/bench.sqlite" >"$W/import.out"; } 2>&1 )
run=$(grep -oE "run-[0-9]+" "$W/import.out" | head -1)
rep=$( { /usr/bin/time -f "%e" bin/eval report "$run" --db "$W/bench.sqlite" --out "$W/report100k.html" >/dev/null; } 2>&1 )
chk=$( { /usr/bin/time -f "%e" bin/eval check "$run" --baseline "$run" --db "$W/bench.sqlite" >/dev/null; } 2>&1 )
echo "{\"predictions\": 100000, \"import_seconds\": $imp, \"report_seconds\": $rep, \"check_seconds\": $chk, \"report_bytes\": $(stat -c %s "$W/report100k.html")}" | tee "$R/report.json"

{
  echo "# Benchmark results ($(date -u +%Y-%m-%d), $(nproc) cores)"
  echo; echo "## Ingest ($DOCS generated documents)"; echo; echo '```'; cat "$R/ingest.json"; echo '```'
  [ -f "$R/scorer.json" ] && { echo; echo "## Scorer vs llama-perplexity"; echo; echo '```'; cat "$R/scorer.json"; echo '```'; }
  echo; echo "## Reports"; echo; echo '```'; cat "$R/report.json"; echo '```'
} >"$R/SUMMARY.md"
echo "wrote $R/SUMMARY.md"
