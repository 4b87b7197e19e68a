#!/usr/bin/env bash
# Scorer benchmark: llama.cpp's llama-perplexity --multiple-choice vs the harness's LlamaScorer
# (packed batches + shared-prefix cache, and the naive item-by-item baseline) on the same task
# file, same model, same threads. Writes bench/results/scorer.json.
#
#   bash bench/scorer/run.sh                  # 40 items, 2 threads
#   ITEMS=100 THREADS=2 bash bench/scorer/run.sh
#
# Environment: ITEMS, THREADS, MODEL, PERPLEXITY (llama-perplexity binary), EVAL (the eval
# binary; default bin/eval, which must have the hidden `bench-scorer` subcommand), OUT, and
# PPL_FLAGS (numerics for llama-perplexity; default the scorer's: no flash attention, F32 cache).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ITEMS=${ITEMS:-40}
THREADS=${THREADS:-2}
MODEL=${MODEL:-$ROOT/models/SmolLM2-135M-Instruct.Q4_1.gguf}
PERPLEXITY=${PERPLEXITY:-$ROOT/.deps/llama/bin/llama-perplexity}
EVAL=${EVAL:-$ROOT/bin/eval}
OUT=${OUT:-$ROOT/bench/results/scorer.json}
PPL_FLAGS=${PPL_FLAGS:--fa off -ctk f32 -ctv f32}

for need in "$MODEL" "$PERPLEXITY"; do
    [[ -e "$need" ]] || { echo "scorer bench: $need is missing; run \`make setup\` first" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "scorer bench: python3 is needed to write the task file" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TASKS="$WORK/tasks.bin"
python3 "$ROOT/bench/scorer/make_tasks.py" --items "$ITEMS" --out "$TASKS"

now() { date +%s.%N; }

# llama-perplexity: up to 32 sequences and 2048 KV cells per batch (-np 32 x -c 64), like the scorer.
echo "scorer bench: llama-perplexity on $ITEMS items ($THREADS threads)..." >&2
t0=$(now)
# shellcheck disable=SC2086
"$PERPLEXITY" -m "$MODEL" --multiple-choice -f "$TASKS" -t "$THREADS" -c 64 -np 32 $PPL_FLAGS \
    >"$WORK/perplexity.log" 2>&1 || { echo "scorer bench: llama-perplexity failed:" >&2; tail -20 "$WORK/perplexity.log" >&2; exit 1; }
t1=$(now)
PPL_WALL=$(python3 -c "print($t1 - $t0)")

# LlamaScorer through `eval bench-scorer` (prints one JSON object per run).
OURS="$WORK/ours.jsonl"
: >"$OURS"
if [[ ! -x "$EVAL" ]]; then
    echo "scorer bench: $EVAL not found; build it with \`make build\` (or set EVAL=...). Reporting llama-perplexity only." >&2
elif ! "$EVAL" bench-scorer --help >/dev/null 2>&1; then
    echo "scorer bench: $EVAL has no \`bench-scorer\` subcommand yet. Reporting llama-perplexity only." >&2
else
    for mode in packed naive; do
        flag=()
        [[ $mode == naive ]] && flag=(--naive)
        echo "scorer bench: LlamaScorer ($mode) on $ITEMS items..." >&2
        t0=$(now)
        if "$EVAL" bench-scorer --tasks "$TASKS" --model "$MODEL" --threads "$THREADS" "${flag[@]}" >"$WORK/$mode.json" 2>"$WORK/$mode.err"; then
            t1=$(now)
            python3 - "$WORK/$mode.json" "$t0" "$t1" >>"$OURS" <<'PY'
import json, sys
line = [l for l in open(sys.argv[1]).read().splitlines() if l.strip().startswith("{")][-1]
run = json.loads(line)
run["wall_s"] = round(float(sys.argv[3]) - float(sys.argv[2]), 4)
print(json.dumps(run))
PY
        else
            echo "scorer bench: \`$EVAL bench-scorer ${flag[*]}\` failed:" >&2
            tail -5 "$WORK/$mode.err" >&2
        fi
    done
fi

mkdir -p "$(dirname "$OUT")"
python3 - "$WORK/perplexity.log" "$PPL_WALL" "$OURS" "$ITEMS" "$THREADS" "$PPL_FLAGS" >"$OUT" <<'PY'
import json, re, sys
log, wall, ours_path, items, threads, flags = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
text = open(log, errors="replace").read()
acc = re.findall(r"^(\d+)\t([0-9.]+)$", text, re.M)
# llama.cpp log lines start with a timestamp "M.SS.mmm.uuu": scoring runs from the
# "calculating ... score" line to the "Final result" line (model loading and task preparation excluded).
def stamp(pattern):
    m = re.search(r"^(\d+)\.(\d+)\.(\d+)\.(\d+) .*" + pattern, text, re.M)
    return int(m.group(1)) * 60 + int(m.group(2)) + int(m.group(3)) / 1e3 + int(m.group(4)) / 1e6 if m else None
begin, end = stamp("calculating .* score"), stamp("Final result")
ppl = {
    "tool": "llama-perplexity --multiple-choice -c 64 -np 32 " + flags,
    "items": int(acc[-1][0]) if acc else 0,
    "accuracy": round(float(acc[-1][1]) / 100, 4) if acc else None,
    "wall_s": round(wall, 4),
    "items_per_s_wall": round(items / wall, 4) if wall > 0 else None,
}
if begin is not None and end is not None and end > begin:
    ppl["eval_s"] = round(end - begin, 4)
    ppl["items_per_s_eval"] = round(items / ppl["eval_s"], 4)
runs = [json.loads(l) for l in open(ours_path) if l.strip()]
result = {"items": items, "threads": threads, "llama_perplexity": ppl}
for run in runs:
    key = "scorer_naive" if run.get("mode") == "naive" else "scorer_packed_cached"
    run["items_per_s_wall"] = round(items / run["wall_s"], 4) if run.get("wall_s") else None
    result[key] = run
fast = result.get("scorer_packed_cached")
if fast:
    result["speedup_vs_llama_perplexity_wall"] = round(ppl["wall_s"] / fast["wall_s"], 3)
    if "eval_s" in ppl and fast.get("score_s"):
        result["speedup_vs_llama_perplexity_scoring"] = round(ppl["eval_s"] / fast["score_s"], 3)
    if "scorer_naive" in result and fast.get("score_s"):
        result["speedup_vs_naive"] = round(result["scorer_naive"]["score_s"] / fast["score_s"], 3)
else:
    result["note"] = "LlamaScorer was not run: bin/eval or its bench-scorer subcommand is missing"
print(json.dumps(result, indent=2, ensure_ascii=False))
PY
cat "$OUT"
