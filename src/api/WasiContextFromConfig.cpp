#include "api/WasiContextFromConfig.h"

#include "wasi/WasiCtxBuilder.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>

namespace lucet::api {

namespace {

constexpr const char *StreamNames[3] = {"stdin", "stdout", "stderr"};

Expected<wasi::StdioStream> streamFrom(const WasiStdio &stdio, int stdFd) {
  switch (stdio.kind()) {
  case WasiStdio::Kind::Null:
    return wasi::StdioStream::null();
  case WasiStdio::Kind::Inherit:
    return wasi::StdioStream::inherit();
  case WasiStdio::Kind::File:
    return wasi::StdioStream::path(stdio.path());
  case WasiStdio::Kind::Fd: {
    // Our own copy: the embedder keeps its descriptor, and every instance
    // made from the config gets one.
    int fd = fcntl(stdio.hostFd(), F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
      return Error::format("{}: host fd {}: {}", StreamNames[stdFd], stdio.hostFd(),
                           std::strerror(errno));
    return wasi::StdioStream::hostFd(UniqueFd(fd));
  }
  case WasiStdio::Kind::Bytes:
    return wasi::StdioStream::bytes(stdio.data());
  case WasiStdio::Kind::Capture:
    if (!stdio.output()) return Error::format("{}: no output to capture into", StreamNames[stdFd]);
    return wasi::StdioStream::capture(stdio.output()->impl()->capture);
  }
  return Error::format("{}: unknown stream kind", StreamNames[stdFd]);
}

} // namespace

Expected<std::unique_ptr<wasi::WasiCtx>> wasiContextFromConfig(const WasiConfig &config) {
  wasi::WasiCtxBuilder builder;
  builder.args(config.args());
  for (const auto &[key, value] : config.env()) builder.env(key, value);
  LUCET_ASSIGN_OR_RETURN(in, streamFrom(config.stdio(0), 0));
  LUCET_ASSIGN_OR_RETURN(out, streamFrom(config.stdio(1), 1));
  LUCET_ASSIGN_OR_RETURN(err, streamFrom(config.stdio(2), 2));
  builder.stdinStream(std::move(in)).stdoutStream(std::move(out)).stderrStream(std::move(err));
  for (const WasiPreopenDir &dir : config.preopenDirs())
    builder.preopenDir(dir.hostPath, dir.guestPath,
                       dir.readOnly ? wasi::DirAccess::ReadOnly : wasi::DirAccess::ReadWrite);
  return builder.build();
}

} // namespace lucet::api
