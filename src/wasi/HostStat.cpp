#include "wasi/HostStat.h"

#include "wasi/FiletypeMapping.h"

namespace lucet::wasi {

static Timestamp toTimestamp(const timespec &ts) {
  return static_cast<Timestamp>(ts.tv_sec) * 1'000'000'000u + static_cast<Timestamp>(ts.tv_nsec);
}

FileStat fileStatFromHost(const struct stat &st) {
  FileStat fs{};
  fs.dev = static_cast<uint64_t>(st.st_dev);
  fs.ino = static_cast<uint64_t>(st.st_ino);
  fs.filetype = filetypeFromMode(st.st_mode);
  fs.nlink = static_cast<uint64_t>(st.st_nlink);
  fs.size = static_cast<uint64_t>(st.st_size);
  fs.atim = toTimestamp(st.st_atim);
  fs.mtim = toTimestamp(st.st_mtim);
  fs.ctim = toTimestamp(st.st_ctim);
  return fs;
}

static ErrnoOr<timespec> oneTime(Timestamp value, bool set, bool now) {
  if (set && now) return Errno::Inval;
  timespec ts{};
  if (now) {
    ts.tv_nsec = UTIME_NOW;
  } else if (set) {
    ts.tv_sec = static_cast<time_t>(value / 1'000'000'000u);
    ts.tv_nsec = static_cast<long>(value % 1'000'000'000u);
  } else {
    ts.tv_nsec = UTIME_OMIT;
  }
  return ts;
}

ErrnoOr<TimesPair> timesFromWasi(Timestamp atim, Timestamp mtim, uint16_t flags) {
  WASI_ASSIGN_OR_RETURN(a, oneTime(atim, flags & fstflags::Atim, flags & fstflags::AtimNow));
  WASI_ASSIGN_OR_RETURN(m, oneTime(mtim, flags & fstflags::Mtim, flags & fstflags::MtimNow));
  return TimesPair{{a, m}};
}

} // namespace lucet::wasi
