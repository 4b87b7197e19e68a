#!/usr/bin/env bash
# Scorer benchmark: llama.cpp's llama-perplexity --multiple-choice (at its defaults) vs the
# harness's LlamaScorer (default numerics, and --exact) on the same task files, same model, same
# threads, back to back. Writes bench/results/scorer.json.
#
#   bash bench/scorer/run.sh                       # the four sets below, 2 threads
#   ARC4=200 THREADS=2 bash bench/scorer/run.sh
#
# Sets (bench/scorer/make_tasks.py): arc4 (no shared prefix, 4 choices), arc2 (2 choices),
# clickbait (the spec's own prompts), prefix (a ~450-token instruction with few-shot examples).
# Item counts: ARC4 (100), ARC2 (60), CLICKBAIT (60), PREFIX (24): about 8 minutes on 2 cores.
#
# Environment: THREADS, MODEL, PERPLEXITY (llama-perplexity binary), LLAMA_BENCH (llama-bench,
# built by bench/scorer/build_llama_bench.sh when missing; its pp512 rate is reported), EVAL (default bin/eval, with the hidden
# `bench-scorer` subcommand), OUT.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
THREADS=${THREADS:-2}
MODEL=${MODEL:-$ROOT/models/SmolLM2-135M-Instruct.Q4_1.gguf}
PERPLEXITY=${PERPLEXITY:-$ROOT/.deps/llama/bin/llama-perplexity}
LLAMA_BENCH=${LLAMA_BENCH:-$ROOT/bench/work/llama-bench}
EVAL=${EVAL:-$ROOT/bin/eval}
OUT=${OUT:-$ROOT/bench/results/scorer.json}
SETS=${SETS:-"arc4:${ARC4:-100} arc2:${ARC2:-60} clickbait:${CLICKBAIT:-60} prefix:${PREFIX:-24}"}

for need in "$MODEL" "$PERPLEXITY"; do
    [[ -e "$need" ]] || { echo "scorer bench: $need is missing; run \`make setup\` first" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "scorer bench: python3 is needed to write the task files" >&2; exit 1; }
if [[ ! -x "$EVAL" ]] || ! "$EVAL" bench-scorer --help >/dev/null 2>&1; then
    echo "scorer bench: $EVAL with a \`bench-scorer\` subcommand is needed; run \`make build\` (or set EVAL=...)" >&2
    exit 1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
now() { date +%s.%N; }

# One JSON line per measurement: {"set", "tool", ...}.
LINES="$WORK/lines.jsonl"
: >"$LINES"

for entry in $SETS; do
    set_name=${entry%%:*}; items=${entry##*:}
    tasks="$WORK/$set_name.bin"
    python3 "$ROOT/bench/scorer/make_tasks.py" --set "$set_name" --items "$items" --out "$tasks"

    echo "scorer bench: $set_name, $items items: llama-perplexity (defaults, $THREADS threads)..." >&2
    t0=$(now)
    "$PERPLEXITY" -m "$MODEL" --multiple-choice -f "$tasks" -t "$THREADS" >"$WORK/$set_name.ppl.log" 2>&1 \
        || { echo "scorer bench: llama-perplexity failed:" >&2; tail -20 "$WORK/$set_name.ppl.log" >&2; exit 1; }
    t1=$(now)
    python3 - "$WORK/$set_name.ppl.log" "$t0" "$t1" "$set_name" >>"$LINES" <<'PY'
import json, re, sys
log, t0, t1, name = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
text = open(log, errors="replace").read()
acc = re.findall(r"^(\d+)\t([0-9.]+)$", text, re.M)
# llama.cpp log lines start with a timestamp "M.SS.mmm.uuu": scoring runs from the
# "calculating ... score" line to the "Final result" line (loading and task preparation excluded).
def stamp(pattern):
    m = re.search(r"^(\d+)\.(\d+)\.(\d+)\.(\d+) .*" + pattern, text, re.M)
    return int(m.group(1)) * 60 + int(m.group(2)) + int(m.group(3)) / 1e3 + int(m.group(4)) / 1e6 if m else None
begin, end = stamp("calculating .* score"), stamp("Final result")
run = {"set": name, "tool": "llama-perplexity", "items": int(acc[-1][0]) if acc else 0,
       "accuracy": round(float(acc[-1][1]) / 100, 4) if acc else None, "wall_s": round(t1 - t0, 4)}
if begin is not None and end is not None and end > begin:
    run["score_s"] = round(end - begin, 4)
print(json.dumps(run))
PY

    for numerics in default exact; do
        flag=()
        [[ $numerics == exact ]] && flag=(--exact)
        echo "scorer bench: $set_name: LlamaScorer ($numerics numerics)..." >&2
        t0=$(now)
        "$EVAL" bench-scorer --tasks "$tasks" --model "$MODEL" --threads "$THREADS" "${flag[@]}" \
            --scores "$WORK/$set_name.$numerics.scores" >"$WORK/$set_name.$numerics.json" 2>"$WORK/$set_name.$numerics.err" \
            || { echo "scorer bench: bench-scorer failed:" >&2; tail -5 "$WORK/$set_name.$numerics.err" >&2; exit 1; }
        t1=$(now)
        python3 - "$WORK/$set_name.$numerics.json" "$t0" "$t1" "$set_name" >>"$LINES" <<'PY'
import json, sys
line = [l for l in open(sys.argv[1]).read().splitlines() if l.strip().startswith("{")][-1]
run = json.loads(line)
run.update({"set": sys.argv[4], "tool": "harness", "wall_s": round(float(sys.argv[3]) - float(sys.argv[2]), 4)})
print(json.dumps(run))
PY
    done
done

PP=""
[[ -x "$LLAMA_BENCH" ]] || bash "$ROOT/bench/scorer/build_llama_bench.sh" "$LLAMA_BENCH" >&2 || echo "scorer bench: could not build llama-bench" >&2
if [[ -x "$LLAMA_BENCH" ]]; then
    echo "scorer bench: llama-bench -p 512 -n 0 -t $THREADS..." >&2
    "$LLAMA_BENCH" -m "$MODEL" -p 512 -n 0 -t "$THREADS" -r 3 -o json >"$WORK/llama-bench.json" 2>"$WORK/llama-bench.err" \
        && PP="$WORK/llama-bench.json" || echo "scorer bench: llama-bench failed; its rate is left out" >&2
fi

mkdir -p "$(dirname "$OUT")"
python3 - "$LINES" "$WORK" "$THREADS" "$PP" >"$OUT" <<'PY'
import json, sys
lines, work, threads, pp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
runs = [json.loads(l) for l in open(lines) if l.strip()]
result = {"threads": threads, "model": "SmolLM2-135M-Instruct.Q4_1.gguf",
          "llama_perplexity": "llama-perplexity --multiple-choice at its defaults (-c 512 x 4 sequences, F16 KV, flash attention auto)"}
pp_rate = None
if pp:
    tests = json.load(open(pp))
    pp_rate = round(tests[0]["avg_ts"], 2)
    result["llama_bench_pp512_tokens_per_s"] = pp_rate
sets = {}
for r in runs:
    s = sets.setdefault(r["set"], {})
    key = "llama_perplexity" if r["tool"] == "llama-perplexity" else "harness_" + r["numerics"]
    s[key] = {k: v for k, v in r.items() if k not in ("set", "tool")}
for name, s in sets.items():
    ppl, ours, exact = s.get("llama_perplexity"), s.get("harness_default"), s.get("harness_exact")
    for key, run in (("speedup_default", ours), ("speedup_exact", exact)):
        if ppl and run and ppl.get("score_s") and run.get("score_s"):
            s[key] = round(ppl["score_s"] / run["score_s"], 3)
            s[key + "_wall"] = round(ppl["wall_s"] / run["wall_s"], 3)
    if ours and pp_rate:
        s["rate_vs_llama_bench"] = round(pp_rate / ours["tokens_per_s"], 3) if ours["tokens_per_s"] else None
    # How far the two numerics are apart on these items.
    a = [json.loads(l) for l in open(f"{work}/{name}.default.scores")]
    b = [json.loads(l) for l in open(f"{work}/{name}.exact.scores")]
    diffs = [abs(x - y) for i, j in zip(a, b) for x, y in zip(i["mean"], j["mean"])]
    s["default_vs_exact"] = {"max_abs_diff_mean_logprob": round(max(diffs), 6) if diffs else 0,
                             "predictions_flipped": sum(1 for i, j in zip(a, b) if i["predicted"] != j["predicted"]),
                             "items": len(a)}
result["sets"] = sets
print(json.dumps(result, indent=2, ensure_ascii=False))
PY
cat "$OUT"
