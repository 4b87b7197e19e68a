// Nettle (Debian nettle-dev, which libarchive already links): SHA-256 with the CPU's SHA extensions
// where it has them. Its context is a plain C struct, so a copy of it is a copy of the state.
#include <nettle/sha2.h>
