// The process's allocator: mimalloc (Debian's libmimalloc-dev), which replaces malloc and free for
// the whole process once linked, and glibc's controls (malloc_trim), which Swift's Glibc module
// does not export.
#include <malloc.h>
#include <mimalloc.h>
