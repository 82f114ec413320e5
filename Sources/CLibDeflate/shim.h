#ifndef WHYDENIED_CLIBDEFLATE_SHIM_H
#define WHYDENIED_CLIBDEFLATE_SHIM_H
// libdeflate inflates a whole buffer in one call, about twice as fast as zlib's streaming inflate.
#include <libdeflate.h>
#endif
