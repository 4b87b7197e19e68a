// xxHash (Debian libxxhash-dev): XXH3's 128-bit hash, the checksum of the files a run writes.
#include <xxhash.h>
