// Linux's sync_file_range (glibc declares it only under _GNU_SOURCE, which Swift's Glibc module
// is not built with): starts writing a file's dirty pages to disk without waiting for them.
#include <stdint.h>

extern int sync_file_range(int fd, int64_t offset, int64_t nbytes, unsigned int flags);

/// SYNC_FILE_RANGE_WRITE from <fcntl.h>.
static const unsigned int harness_sync_file_range_write = 2;
