#pragma once

// The wasi_snapshot_preview1 value types and the byte layouts of the structs
// that cross guest memory, as the witx files define them. The layout structs
// are copied to and from guest memory with memcpy, so their offsets are pinned
// here and must never depend on the host compiler's choices.

#include <cstddef>
#include <cstdint>

namespace lucet::wasi {

using Rights = uint64_t;
using Fd = uint32_t;
using Timestamp = uint64_t;

namespace rights {
constexpr Rights FdDatasync = 1ull << 0;
constexpr Rights FdRead = 1ull << 1;
constexpr Rights FdSeek = 1ull << 2;
constexpr Rights FdFdstatSetFlags = 1ull << 3;
constexpr Rights FdSync = 1ull << 4;
constexpr Rights FdTell = 1ull << 5;
constexpr Rights FdWrite = 1ull << 6;
constexpr Rights FdAdvise = 1ull << 7;
constexpr Rights FdAllocate = 1ull << 8;
constexpr Rights PathCreateDirectory = 1ull << 9;
constexpr Rights PathCreateFile = 1ull << 10;
constexpr Rights PathLinkSource = 1ull << 11;
constexpr Rights PathLinkTarget = 1ull << 12;
constexpr Rights PathOpen = 1ull << 13;
constexpr Rights FdReaddir = 1ull << 14;
constexpr Rights PathReadlink = 1ull << 15;
constexpr Rights PathRenameSource = 1ull << 16;
constexpr Rights PathRenameTarget = 1ull << 17;
constexpr Rights PathFilestatGet = 1ull << 18;
constexpr Rights PathFilestatSetSize = 1ull << 19;
constexpr Rights PathFilestatSetTimes = 1ull << 20;
constexpr Rights FdFilestatGet = 1ull << 21;
constexpr Rights FdFilestatSetSize = 1ull << 22;
constexpr Rights FdFilestatSetTimes = 1ull << 23;
constexpr Rights PathSymlink = 1ull << 24;
constexpr Rights PathRemoveDirectory = 1ull << 25;
constexpr Rights PathUnlinkFile = 1ull << 26;
constexpr Rights PollFdReadwrite = 1ull << 27;
constexpr Rights SockShutdown = 1ull << 28;
constexpr Rights SockAccept = 1ull << 29;

constexpr Rights All = (1ull << 30) - 1;

// What makes sense on a regular file (or a character device, a pipe).
constexpr Rights RegularFile = FdDatasync | FdRead | FdSeek | FdFdstatSetFlags | FdSync | FdTell |
                               FdWrite | FdAdvise | FdAllocate | FdFilestatGet | FdFilestatSetSize |
                               FdFilestatSetTimes | PollFdReadwrite;
// What makes sense on a directory itself.
constexpr Rights Directory =
    FdFdstatSetFlags | FdSync | FdAdvise | PathCreateDirectory | PathCreateFile | PathLinkSource |
    PathLinkTarget | PathOpen | FdReaddir | PathReadlink | PathRenameSource | PathRenameTarget |
    PathFilestatGet | PathFilestatSetSize | PathFilestatSetTimes | FdFilestatGet |
    FdFilestatSetTimes | PathSymlink | PathRemoveDirectory | PathUnlinkFile;
// What a directory hands on to what is opened beneath it.
constexpr Rights DirectoryInheriting = Directory | RegularFile;
// A preopened listening socket: it accepts connections and can be polled,
// but is never read or written itself.
constexpr Rights SocketListener = SockAccept | PollFdReadwrite | FdFdstatSetFlags | FdFilestatGet;
// A connection sock_accept returned.
constexpr Rights SocketConnection =
    FdRead | FdWrite | PollFdReadwrite | FdFdstatSetFlags | FdFilestatGet | SockShutdown;
// What a read-only preopen withholds, from the directory and from what is
// opened beneath it: everything that creates, changes or removes.
constexpr Rights Modifying = FdWrite | FdDatasync | FdSync | FdAllocate | FdFilestatSetSize |
                             FdFilestatSetTimes | PathCreateDirectory | PathCreateFile |
                             PathLinkSource | PathLinkTarget | PathRenameSource | PathRenameTarget |
                             PathFilestatSetSize | PathFilestatSetTimes | PathSymlink |
                             PathRemoveDirectory | PathUnlinkFile;
} // namespace rights

enum class Filetype : uint8_t {
  Unknown = 0,
  BlockDevice = 1,
  CharacterDevice = 2,
  Directory = 3,
  RegularFile = 4,
  SocketDgram = 5,
  SocketStream = 6,
  SymbolicLink = 7,
};

namespace fdflags {
constexpr uint16_t Append = 1 << 0;
constexpr uint16_t Dsync = 1 << 1;
constexpr uint16_t Nonblock = 1 << 2;
constexpr uint16_t Rsync = 1 << 3;
constexpr uint16_t Sync = 1 << 4;
constexpr uint16_t All = Append | Dsync | Nonblock | Rsync | Sync;
} // namespace fdflags

// sock_recv's input flags.
namespace riflags {
constexpr uint16_t RecvPeek = 1 << 0;
constexpr uint16_t RecvWaitall = 1 << 1;
constexpr uint16_t All = RecvPeek | RecvWaitall;
} // namespace riflags

// sock_recv's output flags.
namespace roflags {
constexpr uint16_t RecvDataTruncated = 1 << 0;
} // namespace roflags

// sock_shutdown's directions.
namespace sdflags {
constexpr uint8_t Rd = 1 << 0;
constexpr uint8_t Wr = 1 << 1;
} // namespace sdflags

namespace oflags {
constexpr uint16_t Creat = 1 << 0;
constexpr uint16_t Directory = 1 << 1;
constexpr uint16_t Excl = 1 << 2;
constexpr uint16_t Trunc = 1 << 3;
} // namespace oflags

namespace lookupflags {
constexpr uint32_t SymlinkFollow = 1 << 0;
} // namespace lookupflags

namespace fstflags {
constexpr uint16_t Atim = 1 << 0;
constexpr uint16_t AtimNow = 1 << 1;
constexpr uint16_t Mtim = 1 << 2;
constexpr uint16_t MtimNow = 1 << 3;
} // namespace fstflags

enum class Whence : uint8_t { Set = 0, Cur = 1, End = 2 };

enum class ClockId : uint32_t {
  Realtime = 0,
  Monotonic = 1,
  ProcessCputimeId = 2,
  ThreadCputimeId = 3,
};

enum class Advice : uint8_t {
  Normal = 0,
  Sequential = 1,
  Random = 2,
  WillNeed = 3,
  DontNeed = 4,
  NoReuse = 5,
};

enum class EventType : uint8_t { Clock = 0, FdRead = 1, FdWrite = 2 };

namespace subclockflags {
constexpr uint16_t Abstime = 1 << 0;
} // namespace subclockflags

constexpr uint8_t PreopenTypeDir = 0;

// Guest-memory layouts (little-endian, as in guest memory).
struct CIovec {
  uint32_t buf;
  uint32_t bufLen;
};
static_assert(sizeof(CIovec) == 8);

struct FdStat {
  Filetype filetype;
  uint8_t pad0;
  uint16_t flags;
  uint32_t pad1;
  Rights rightsBase;
  Rights rightsInheriting;
};
static_assert(offsetof(FdStat, flags) == 2);
static_assert(offsetof(FdStat, rightsBase) == 8);
static_assert(offsetof(FdStat, rightsInheriting) == 16);
static_assert(sizeof(FdStat) == 24);

struct FileStat {
  uint64_t dev;
  uint64_t ino;
  Filetype filetype;
  uint8_t pad[7];
  uint64_t nlink;
  uint64_t size;
  Timestamp atim;
  Timestamp mtim;
  Timestamp ctim;
};
static_assert(offsetof(FileStat, filetype) == 16);
static_assert(offsetof(FileStat, nlink) == 24);
static_assert(offsetof(FileStat, size) == 32);
static_assert(offsetof(FileStat, atim) == 40);
static_assert(offsetof(FileStat, mtim) == 48);
static_assert(offsetof(FileStat, ctim) == 56);
static_assert(sizeof(FileStat) == 64);

struct Prestat {
  uint8_t tag;
  uint8_t pad[3];
  uint32_t nameLen;
};
static_assert(offsetof(Prestat, nameLen) == 4);
static_assert(sizeof(Prestat) == 8);

// Followed directly by d_namlen bytes of name, with no terminator.
struct Dirent {
  uint64_t next;
  uint64_t ino;
  uint32_t namlen;
  Filetype type;
  uint8_t pad[3];
};
static_assert(offsetof(Dirent, ino) == 8);
static_assert(offsetof(Dirent, namlen) == 16);
static_assert(offsetof(Dirent, type) == 20);
static_assert(sizeof(Dirent) == 24);

struct Subscription {
  uint64_t userdata;
  EventType tag;
  uint8_t pad0[7];
  union {
    struct {
      uint32_t id;
      uint32_t pad;
      Timestamp timeout;
      Timestamp precision;
      uint16_t flags;
      uint8_t pad2[6];
    } clock;
    struct {
      uint32_t fd;
      uint8_t pad[28];
    } fdReadwrite;
  } u;
};
static_assert(offsetof(Subscription, tag) == 8);
static_assert(offsetof(Subscription, u) == 16);
static_assert(offsetof(Subscription, u.clock.timeout) == 24);
static_assert(offsetof(Subscription, u.clock.precision) == 32);
static_assert(offsetof(Subscription, u.clock.flags) == 40);
static_assert(sizeof(Subscription) == 48);

struct Event {
  uint64_t userdata;
  uint16_t error;
  EventType type;
  uint8_t pad0[5];
  uint64_t nbytes;
  uint16_t flags;
  uint8_t pad1[6];
};
static_assert(offsetof(Event, error) == 8);
static_assert(offsetof(Event, type) == 10);
static_assert(offsetof(Event, nbytes) == 16);
static_assert(offsetof(Event, flags) == 24);
static_assert(sizeof(Event) == 32);

namespace eventrwflags {
constexpr uint16_t FdReadwriteHangup = 1 << 0;
} // namespace eventrwflags

// wasi_unstable (snapshot 0), where it differs from preview1: the order of
// whence, a 32-bit link count, and an identifier in clock subscriptions.
// Events, dirents, fdstat and prestat are the same.
namespace snapshot0 {

enum class Whence : uint8_t { Cur = 0, End = 1, Set = 2 };

struct FileStat {
  uint64_t dev;
  uint64_t ino;
  Filetype filetype;
  uint8_t pad[3];
  uint32_t nlink;
  uint64_t size;
  Timestamp atim;
  Timestamp mtim;
  Timestamp ctim;
};
static_assert(offsetof(FileStat, filetype) == 16);
static_assert(offsetof(FileStat, nlink) == 20);
static_assert(offsetof(FileStat, size) == 24);
static_assert(offsetof(FileStat, atim) == 32);
static_assert(offsetof(FileStat, mtim) == 40);
static_assert(offsetof(FileStat, ctim) == 48);
static_assert(sizeof(FileStat) == 56);

struct Subscription {
  uint64_t userdata;
  EventType tag;
  uint8_t pad0[7];
  union {
    struct {
      uint64_t identifier; // unused by the host; gone in preview1
      uint32_t id;
      uint32_t pad;
      Timestamp timeout;
      Timestamp precision;
      uint16_t flags;
      uint8_t pad2[6];
    } clock;
    struct {
      uint32_t fd;
      uint8_t pad[36];
    } fdReadwrite;
  } u;
};
static_assert(offsetof(Subscription, tag) == 8);
static_assert(offsetof(Subscription, u) == 16);
static_assert(offsetof(Subscription, u.clock.id) == 24);
static_assert(offsetof(Subscription, u.clock.timeout) == 32);
static_assert(offsetof(Subscription, u.clock.precision) == 40);
static_assert(offsetof(Subscription, u.clock.flags) == 48);
static_assert(sizeof(Subscription) == 56);

} // namespace snapshot0

} // namespace lucet::wasi
