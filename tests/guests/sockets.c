// Sockets the host preopened (lucet-wasi --tcplisten), driven by a real TCP
// client in tests/cli/SocketTest.cpp.
//
//   sockets list [FILE]  prints "socket fd N" for each listening socket it
//                        finds, and the contents of FILE (a path beneath a
//                        preopened directory) when given.
//   sockets serve        runs the protocol below against one listener,
//                        checking errno values on the way.
//
// The serve protocol, with the client's side in brackets:
//   1. errno checks, a non-blocking accept with nothing pending (EAGAIN) and
//      a poll that only the clock can end; then prints "ready".
//   2. [client A connects, sends "hello\n"] poll for the listener, accept,
//      poll the connection, peek, receive; send back "HELLO\n".
//   3. [A sends "world\n"] read() it, write() back "WORLD\n".
//   4. [A sends "01234", pauses, sends "56789"] one WAITALL receive of 10
//      bytes; send back "10:0123456789\n".
//   5. [client B connects; A sends "x"] one poll over the listener, A and a
//      clock until both have fired; accept B; send "second\n" to B and
//      "first\n" to A, then shut A down for writing (A sees EOF).
//   6. [B closes] receive end of file on B; close everything; print "done".
#include "check.h"

#include <ctype.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#define WASI_OK(expr) CHECK((expr) == 0)
#define WASI_ERR(expr, want)                                                                       \
  do {                                                                                             \
    __wasi_errno_t e_ = (expr);                                                                    \
    if (e_ != (want)) {                                                                            \
      printf("FAIL line %d: %s gave %d, want %s\n", __LINE__, #expr, e_, #want);                   \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

static const __wasi_timestamp_t ms = 1000000;

static int isListener(__wasi_fd_t fd) {
  __wasi_fdstat_t st;
  if (__wasi_fd_fdstat_get(fd, &st) != 0) return 0;
  return st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM &&
         (st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT);
}

static __wasi_subscription_t clockSub(__wasi_userdata_t userdata, __wasi_timestamp_t timeout) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s.u.u.clock.timeout = timeout;
  return s;
}

static __wasi_subscription_t fdSub(__wasi_userdata_t userdata, __wasi_eventtype_t type,
                                   __wasi_fd_t fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = fd;
  return s;
}

static void sendAll(__wasi_fd_t fd, const char *text) {
  __wasi_ciovec_t iov = {(const uint8_t *)text, strlen(text)};
  __wasi_size_t sent = 0;
  WASI_OK(__wasi_sock_send(fd, &iov, 1, 0, &sent));
  CHECK(sent == strlen(text));
}

// Waits (at most 10 s) until `fd` is readable.
static void waitReadable(__wasi_fd_t fd) {
  __wasi_subscription_t subs[2] = {fdSub(1, __WASI_EVENTTYPE_FD_READ, fd), clockSub(2, 10000 * ms)};
  __wasi_event_t events[2];
  __wasi_size_t n = 0;
  WASI_OK(__wasi_poll_oneoff(subs, events, 2, &n));
  CHECK(n >= 1 && events[0].userdata == 1 && events[0].error == 0 &&
        events[0].type == __WASI_EVENTTYPE_FD_READ);
}

static int list(int argc, char **argv) {
  for (__wasi_fd_t fd = 3; fd < 64; ++fd)
    if (isListener(fd)) printf("socket fd %u\n", fd);
  if (argc > 2) {
    FILE *f = fopen(argv[2], "r");
    CHECK(f != NULL);
    char line[128] = {0};
    CHECK(fgets(line, sizeof line, f) != NULL);
    fclose(f);
    printf("file: %s", line);
  }
  return 0;
}

static void checkErrnos(__wasi_fd_t listener) {
  __wasi_fd_t got;
  uint8_t byte = 0;
  __wasi_iovec_t iov = {&byte, 1};
  __wasi_ciovec_t ciov = {&byte, 1};
  __wasi_size_t n;
  __wasi_roflags_t roflags;

  // Not a socket: stdout.
  WASI_ERR(__wasi_sock_accept(1, 0, &got), __WASI_ERRNO_NOTSOCK);
  WASI_ERR(__wasi_sock_recv(1, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_NOTSOCK);
  WASI_ERR(__wasi_sock_send(1, &ciov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
  WASI_ERR(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
  // No such descriptor.
  WASI_ERR(__wasi_sock_accept(99, 0, &got), __WASI_ERRNO_BADF);
  WASI_ERR(__wasi_sock_recv(99, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_BADF);
  WASI_ERR(__wasi_sock_send(99, &ciov, 1, 0, &n), __WASI_ERRNO_BADF);
  WASI_ERR(__wasi_sock_shutdown(99, __WASI_SDFLAGS_WR), __WASI_ERRNO_BADF);
  // A listener is neither read, written nor shut down.
  WASI_ERR(__wasi_sock_recv(listener, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_NOTCAPABLE);
  WASI_ERR(__wasi_sock_send(listener, &ciov, 1, 0, &n), __WASI_ERRNO_NOTCAPABLE);
  WASI_ERR(__wasi_sock_shutdown(listener, __WASI_SDFLAGS_RD), __WASI_ERRNO_NOTCAPABLE);
  WASI_ERR(__wasi_fd_read(listener, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
  WASI_ERR(__wasi_fd_write(listener, &ciov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
  __wasi_filesize_t pos;
  WASI_ERR(__wasi_fd_seek(listener, 0, __WASI_WHENCE_END, &pos), __WASI_ERRNO_NOTCAPABLE);
  // Bad flags.
  WASI_ERR(__wasi_sock_accept(listener, __WASI_FDFLAGS_APPEND, &got), __WASI_ERRNO_INVAL);
  WASI_ERR(__wasi_fd_fdstat_set_flags(listener, __WASI_FDFLAGS_APPEND), __WASI_ERRNO_INVAL);
  // Not a preopened directory.
  __wasi_prestat_t prestat;
  WASI_ERR(__wasi_fd_prestat_get(listener, &prestat), __WASI_ERRNO_BADF);

  __wasi_fdstat_t st;
  WASI_OK(__wasi_fd_fdstat_get(listener, &st));
  CHECK(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
  CHECK(st.fs_rights_base & __WASI_RIGHTS_POLL_FD_READWRITE);
  CHECK(!(st.fs_rights_base & (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                               __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_SOCK_SHUTDOWN)));
  CHECK(st.fs_flags == 0);
  __wasi_filestat_t fst;
  WASI_OK(__wasi_fd_filestat_get(listener, &fst));
  CHECK(fst.filetype == __WASI_FILETYPE_SOCKET_STREAM);
  printf("errors: ok\n");

  // Non-blocking accept with nothing pending.
  WASI_OK(__wasi_fd_fdstat_set_flags(listener, __WASI_FDFLAGS_NONBLOCK));
  WASI_OK(__wasi_fd_fdstat_get(listener, &st));
  CHECK(st.fs_flags == __WASI_FDFLAGS_NONBLOCK);
  WASI_ERR(__wasi_sock_accept(listener, 0, &got), __WASI_ERRNO_AGAIN);
  // The same through wasi-libc.
  CHECK_ERRNO(accept(listener, NULL, NULL), EAGAIN);
  printf("nonblocking accept: ok\n");

  // Nobody connects yet: only the clock ends this wait.
  __wasi_subscription_t subs[2] = {fdSub(1, __WASI_EVENTTYPE_FD_READ, listener),
                                   clockSub(2, 50 * ms)};
  __wasi_event_t events[2];
  WASI_OK(__wasi_poll_oneoff(subs, events, 2, &n));
  CHECK(n == 1 && events[0].userdata == 2 && events[0].type == __WASI_EVENTTYPE_CLOCK);
  printf("poll timeout: ok\n");
}

static int serve(void) {
  __wasi_fd_t listener = 0;
  for (__wasi_fd_t fd = 3; fd < 64 && !listener; ++fd)
    if (isListener(fd)) listener = fd;
  CHECK(listener != 0);

  checkErrnos(listener);
  printf("ready\n");
  fflush(stdout);

  // 2. Client A.
  waitReadable(listener);
  __wasi_fd_t a;
  WASI_OK(__wasi_sock_accept(listener, 0, &a));
  __wasi_fdstat_t st;
  WASI_OK(__wasi_fd_fdstat_get(a, &st));
  CHECK(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
  __wasi_rights_t want = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                         __WASI_RIGHTS_POLL_FD_READWRITE | __WASI_RIGHTS_SOCK_SHUTDOWN;
  CHECK((st.fs_rights_base & want) == want);
  CHECK(!(st.fs_rights_base & (__WASI_RIGHTS_SOCK_ACCEPT | __WASI_RIGHTS_FD_SEEK)));
  CHECK(st.fs_flags == 0);
  __wasi_fd_t none;
  WASI_ERR(__wasi_sock_accept(a, 0, &none), __WASI_ERRNO_NOTCAPABLE);
  // Only one client so far, and the listener is non-blocking.
  WASI_ERR(__wasi_sock_accept(listener, 0, &none), __WASI_ERRNO_AGAIN);

  waitReadable(a);
  char buf[64];
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n = 0;
  __wasi_roflags_t roflags = 1;
  // Peeking leaves the data where it is (the line may come in pieces, so
  // wait until the whole line is there).
  for (int tries = 0; tries < 100; ++tries) {
    WASI_OK(__wasi_sock_recv(a, &iov, 1, __WASI_RIFLAGS_RECV_PEEK, &n, &roflags));
    if (n == 6) break;
    struct timespec pause = {0, 10 * 1000000};
    nanosleep(&pause, NULL);
  }
  CHECK(n == 6 && memcmp(buf, "hello\n", 6) == 0 && roflags == 0);
  memset(buf, 0, sizeof buf);
  WASI_OK(__wasi_sock_recv(a, &iov, 1, 0, &n, &roflags));
  CHECK(n == 6 && memcmp(buf, "hello\n", 6) == 0);
  for (int i = 0; i < 5; ++i) buf[i] = (char)toupper((unsigned char)buf[i]);
  buf[6] = 0;
  sendAll(a, buf);
  printf("echo: ok\n");

  // 3. fd_read and fd_write on the connection.
  size_t got = 0;
  while (got < 6) {
    ssize_t r = read(a, buf + got, 6 - got);
    CHECK(r > 0);
    got += (size_t)r;
  }
  CHECK(memcmp(buf, "world\n", 6) == 0);
  CHECK(write(a, "WORLD\n", 6) == 6);
  printf("read/write: ok\n");

  // 4. WAITALL gathers both halves.
  memset(buf, 0, sizeof buf);
  __wasi_iovec_t ten[2] = {{(uint8_t *)buf, 4}, {(uint8_t *)buf + 4, 6}};
  WASI_OK(__wasi_sock_recv(a, ten, 2, __WASI_RIFLAGS_RECV_WAITALL, &n, &roflags));
  CHECK(n == 10);
  char reply[32];
  snprintf(reply, sizeof reply, "%u:%.10s\n", (unsigned)n, buf);
  sendAll(a, reply);
  printf("waitall: ok\n");

  // 5. Several subscriptions at once: the listener (client B) and A.
  int sawListener = 0, sawA = 0;
  for (int round = 0; round < 10 && !(sawListener && sawA); ++round) {
    __wasi_subscription_t subs[4] = {fdSub(1, __WASI_EVENTTYPE_FD_READ, listener),
                                     fdSub(2, __WASI_EVENTTYPE_FD_READ, a), clockSub(3, 10000 * ms),
                                     clockSub(4, 20000 * ms)};
    __wasi_event_t events[4];
    WASI_OK(__wasi_poll_oneoff(subs, events, 4, &n));
    CHECK(n >= 1 && n <= 2);
    for (__wasi_size_t i = 0; i < n; ++i) {
      CHECK(events[i].error == 0 && events[i].type == __WASI_EVENTTYPE_FD_READ);
      if (events[i].userdata == 1) sawListener = 1;
      if (events[i].userdata == 2) {
        CHECK(events[i].fd_readwrite.nbytes == 1);
        sawA = 1;
      }
    }
    if (!(sawListener && sawA)) {
      struct timespec pause = {0, 10 * 1000000};
      nanosleep(&pause, NULL);
    }
  }
  CHECK(sawListener && sawA);
  __wasi_fd_t b;
  WASI_OK(__wasi_sock_accept(listener, __WASI_FDFLAGS_NONBLOCK, &b));
  WASI_OK(__wasi_fd_fdstat_get(b, &st));
  CHECK(st.fs_flags == __WASI_FDFLAGS_NONBLOCK);
  // B has sent nothing: a non-blocking receive says so.
  WASI_ERR(__wasi_sock_recv(b, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_AGAIN);
  WASI_OK(__wasi_fd_fdstat_set_flags(b, 0));
  WASI_OK(__wasi_sock_recv(a, &iov, 1, 0, &n, &roflags));
  CHECK(n == 1 && buf[0] == 'x');
  sendAll(b, "second\n");
  sendAll(a, "first\n");
  WASI_ERR(__wasi_sock_shutdown(a, 0), __WASI_ERRNO_INVAL);
  WASI_ERR(__wasi_sock_shutdown(a, 4), __WASI_ERRNO_INVAL);
  WASI_OK(__wasi_sock_shutdown(a, __WASI_SDFLAGS_WR));
  __wasi_ciovec_t more = {(const uint8_t *)"late", 4};
  WASI_ERR(__wasi_sock_send(a, &more, 1, 0, &n), __WASI_ERRNO_PIPE);
  printf("two clients: ok\n");

  // 6. B closes: end of file.
  waitReadable(b);
  WASI_OK(__wasi_sock_recv(b, &iov, 1, 0, &n, &roflags));
  CHECK(n == 0);
  WASI_OK(__wasi_fd_close(b));
  WASI_OK(__wasi_fd_close(a));
  WASI_ERR(__wasi_fd_close(a), __WASI_ERRNO_BADF);
  WASI_ERR(__wasi_sock_recv(a, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_BADF);
  printf("done\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "list") == 0) return list(argc, argv);
  if (argc > 1 && strcmp(argv[1], "serve") == 0) return serve();
  printf("usage: sockets list [FILE] | sockets serve\n");
  return 2;
}
