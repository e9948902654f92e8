#include "wasi/FiletypeMapping.h"

#include <dirent.h>
#include <sys/socket.h>
#include <sys/stat.h>

namespace lucet::wasi {

Filetype filetypeFromMode(mode_t mode) {
  switch (mode & S_IFMT) {
  case S_IFREG:
    return Filetype::RegularFile;
  case S_IFDIR:
    return Filetype::Directory;
  case S_IFLNK:
    return Filetype::SymbolicLink;
  case S_IFCHR:
    return Filetype::CharacterDevice;
  case S_IFBLK:
    return Filetype::BlockDevice;
  case S_IFSOCK:
    // The mode does not say which kind of socket; stream is the common one.
    return Filetype::SocketStream;
  default:
    // FIFOs have no WASI filetype of their own.
    return Filetype::Unknown;
  }
}

Filetype filetypeFromDirentType(unsigned char dType) {
  switch (dType) {
  case DT_REG:
    return Filetype::RegularFile;
  case DT_DIR:
    return Filetype::Directory;
  case DT_LNK:
    return Filetype::SymbolicLink;
  case DT_CHR:
    return Filetype::CharacterDevice;
  case DT_BLK:
    return Filetype::BlockDevice;
  case DT_SOCK:
    return Filetype::SocketStream;
  default:
    return Filetype::Unknown;
  }
}

Filetype filetypeOfHostFd(int hostFd) {
  struct stat st;
  if (fstat(hostFd, &st) != 0) return Filetype::Unknown;
  if (S_ISSOCK(st.st_mode)) {
    int type = 0;
    socklen_t len = sizeof(type);
    if (getsockopt(hostFd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM)
      return Filetype::SocketDgram;
  }
  return filetypeFromMode(st.st_mode);
}

} // namespace lucet::wasi
