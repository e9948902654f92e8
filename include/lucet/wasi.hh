#pragma once

// What a WASI guest sees of the host: arguments, environment, stdio and
// preopened directories. Plain configuration: everything is opened when an
// instance is created with it, and errors (a preopen that does not exist)
// come back from Instance::create.

#include "lucet/export.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lucet {

// What a guest wrote to a captured stdout or stderr (WasiConfig::
// stdoutCapture). Copies share one buffer, which each instance created with
// the config starts afresh (so does Instance::reset); read it during or
// after the run. The buffer is a host memory file and has no size limit of
// its own: bound the guest's run time if its output must be bounded.
class LUCET_API WasiOutput {
public:
  WasiOutput();
  // Everything written so far.
  std::string contents() const;

  struct Impl;
  const std::shared_ptr<Impl> &impl() const { return impl_; }

private:
  std::shared_ptr<Impl> impl_;
};

// One of the guest's standard streams (fd 0, 1 or 2).
class WasiStdio {
public:
  enum class Kind {
    Null,    // /dev/null: end of file, writes vanish (the default)
    Inherit, // the host process's own stream
    File,    // a host file: read as stdin; created or truncated as stdout/stderr
    Fd,      // an open host descriptor, duplicated when the instance is created
    Bytes,   // stdin only: these bytes, then end of file
    Capture, // stdout/stderr only: into a WasiOutput
  };
  static WasiStdio null() { return WasiStdio(Kind::Null); }
  static WasiStdio inherit() { return WasiStdio(Kind::Inherit); }
  static WasiStdio file(std::string path) {
    WasiStdio s(Kind::File);
    s.text_ = std::move(path);
    return s;
  }
  // The caller keeps `fd` and must leave it open until instances are made.
  static WasiStdio fd(int fd) {
    WasiStdio s(Kind::Fd);
    s.fd_ = fd;
    return s;
  }
  static WasiStdio bytes(std::string data) {
    WasiStdio s(Kind::Bytes);
    s.text_ = std::move(data);
    return s;
  }
  static WasiStdio capture(WasiOutput output) {
    WasiStdio s(Kind::Capture);
    s.output_ = std::move(output);
    return s;
  }

  Kind kind() const { return kind_; }
  const std::string &path() const { return text_; }
  const std::string &data() const { return text_; }
  int hostFd() const { return fd_; }
  // Set for Kind::Capture.
  const std::optional<WasiOutput> &output() const { return output_; }

private:
  explicit WasiStdio(Kind kind) : kind_(kind) {}
  Kind kind_;
  std::string text_;
  int fd_ = -1;
  std::optional<WasiOutput> output_;
};

// A preopened directory.
struct WasiPreopenDir {
  std::string hostPath;
  std::string guestPath;
  // Read, list and stat only: every right to write, create, remove, rename,
  // link or change times is withheld (the guest gets ENOTCAPABLE).
  bool readOnly = false;
};

class WasiConfig {
public:
  // The guest's argv, argv[0] included.
  WasiConfig &args(std::vector<std::string> args) {
    args_ = std::move(args);
    return *this;
  }
  WasiConfig &env(std::string key, std::string value) {
    env_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  // Guest fds 0, 1, 2 are the host's; otherwise (and unless set one by one
  // below) they are /dev/null.
  WasiConfig &inheritStdio(bool inherit = true) {
    for (WasiStdio &s : stdio_) s = inherit ? WasiStdio::inherit() : WasiStdio::null();
    return *this;
  }
  // One stream each. stdin is never writable and stdout/stderr never
  // readable by the guest (except inherited or null streams).
  WasiConfig &stdinStream(WasiStdio stream) {
    stdio_[0] = std::move(stream);
    return *this;
  }
  WasiConfig &stdoutStream(WasiStdio stream) {
    stdio_[1] = std::move(stream);
    return *this;
  }
  WasiConfig &stderrStream(WasiStdio stream) {
    stdio_[2] = std::move(stream);
    return *this;
  }
  // Shorthands: stdin from memory, stdout/stderr captured.
  WasiConfig &stdinBytes(std::string data) {
    return stdinStream(WasiStdio::bytes(std::move(data)));
  }
  WasiConfig &stdoutCapture(WasiOutput output) {
    return stdoutStream(WasiStdio::capture(std::move(output)));
  }
  WasiConfig &stderrCapture(WasiOutput output) {
    return stderrStream(WasiStdio::capture(std::move(output)));
  }
  // Host directory `hostPath` as `guestPath`, as fd 3, 4, ... in call order.
  // The guest can reach nothing outside it.
  WasiConfig &preopenDir(std::string hostPath, std::string guestPath) {
    dirs_.push_back({std::move(hostPath), std::move(guestPath), false});
    return *this;
  }
  // The same, but the guest can only read beneath it.
  WasiConfig &preopenDirReadOnly(std::string hostPath, std::string guestPath) {
    dirs_.push_back({std::move(hostPath), std::move(guestPath), true});
    return *this;
  }

  const std::vector<std::string> &args() const { return args_; }
  const std::vector<std::pair<std::string, std::string>> &env() const { return env_; }
  // Whether all three streams are the host's.
  bool inheritsStdio() const {
    for (const WasiStdio &s : stdio_)
      if (s.kind() != WasiStdio::Kind::Inherit) return false;
    return true;
  }
  // 0, 1 or 2.
  const WasiStdio &stdio(int fd) const { return stdio_[fd]; }
  const std::vector<WasiPreopenDir> &preopenDirs() const { return dirs_; }
  // (host, guest) of each preopen, read-only or not.
  std::vector<std::pair<std::string, std::string>> preopens() const {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const WasiPreopenDir &d : dirs_) pairs.emplace_back(d.hostPath, d.guestPath);
    return pairs;
  }

private:
  std::vector<std::string> args_;
  std::vector<std::pair<std::string, std::string>> env_;
  WasiStdio stdio_[3] = {WasiStdio::null(), WasiStdio::null(), WasiStdio::null()};
  std::vector<WasiPreopenDir> dirs_;
};

} // namespace lucet
