#pragma once

// What backs one of a guest's standard streams (fd 0, 1 or 2), for
// WasiCtxBuilder: /dev/null, the host's own stream, a host file or an
// already-open host fd (a pipe, say), bytes in memory for stdin, or a memory
// buffer that captures what the guest writes.

#include "support/UniqueFd.h"

#include <memory>
#include <string>

namespace lucet::wasi {

// What a guest wrote to a captured stream. The stream is a host memory file
// (memfd) that the guest writes to directly; contents() reads it, during or
// after the run. Unbounded, like a file: the instance's owner decides how
// long a guest may run. Shared by the builder and whoever reads it.
class OutputCapture {
public:
  // Everything written so far ("" before the context is built).
  std::string contents() const;
  // Called by WasiCtxBuilder::build() with a descriptor of the memory file;
  // replaces the previous one (a rebuilt context starts a fresh capture).
  void attach(UniqueFd memoryFile) { file_ = std::move(memoryFile); }

private:
  UniqueFd file_;
};

class StdioStream {
public:
  enum class Kind { Null, Inherit, HostFd, Path, Bytes, Capture };

  // /dev/null: reads see end of file, writes vanish. The default.
  static StdioStream null() { return StdioStream(Kind::Null); }
  // The host process's own fd 0, 1 or 2, never closed.
  static StdioStream inherit() { return StdioStream(Kind::Inherit); }
  // An open host descriptor, which the context takes over and closes.
  static StdioStream hostFd(UniqueFd fd);
  // A host file: opened for reading as stdin; created (or truncated) for
  // writing as stdout or stderr.
  static StdioStream path(std::string hostPath);
  // stdin only: these bytes, then end of file.
  static StdioStream bytes(std::string data);
  // stdout or stderr only: kept in memory, read through `capture`.
  static StdioStream capture(std::shared_ptr<OutputCapture> capture);

  Kind kind() const { return kind_; }

private:
  friend class WasiCtxBuilder;
  explicit StdioStream(Kind kind) : kind_(kind) {}

  Kind kind_;
  UniqueFd fd_;
  std::string text_; // the path, or the bytes
  std::shared_ptr<OutputCapture> capture_;
};

} // namespace lucet::wasi
