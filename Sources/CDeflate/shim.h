// libdeflate (Debian's libdeflate-dev): whole-buffer DEFLATE and CRC-32, for zip members whose
// compressed and inflated sizes are known before they are read.
#include <libdeflate.h>
