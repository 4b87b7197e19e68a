// Kiwi's C API, installed by `make setup` (.ci/setup-deps kiwi) into .deps/kiwi/include.
#include "../../.deps/kiwi/include/kiwi/capi.h"
