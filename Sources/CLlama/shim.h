// llama.cpp headers installed by `make setup` (.ci/setup-deps) into .deps/llama/include.
#include "../../.deps/llama/include/llama.h"
