#pragma once

// Host file kinds (st_mode, d_type) as WASI filetypes.

#include "wasi/WasiTypes.h"

#include <sys/types.h>

namespace lucet::wasi {

Filetype filetypeFromMode(mode_t mode);
Filetype filetypeFromDirentType(unsigned char dType);
// A host fd's filetype, asking the socket for its type when it is one;
// Unknown when fstat fails.
Filetype filetypeOfHostFd(int hostFd);

} // namespace lucet::wasi
