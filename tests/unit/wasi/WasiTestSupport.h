#pragma once

// Helpers for the WASI tests: a scratch directory tree, and a fake guest
// (VMContext + linear memory in a vector) to call the bindings with.

#include "abi/InstanceContext.h"
#include "wasi/WasiCtx.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lucet::wasi::test {

class TempDir {
public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "lucet-wasi-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) std::abort();
    path_ = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::filesystem::path &path() const { return path_; }
  std::string str(const std::string &rel = "") const {
    return rel.empty() ? path_.string() : (path_ / rel).string();
  }
  void writeFile(const std::string &rel, const std::string &contents) const {
    std::ofstream(path_ / rel, std::ios::binary) << contents;
  }
  std::string readFile(const std::string &rel) const {
    std::ifstream in(path_ / rel, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  void mkdir(const std::string &rel) const { std::filesystem::create_directories(path_ / rel); }
  void symlink(const std::string &target, const std::string &rel) const {
    std::filesystem::create_symlink(target, path_ / rel);
  }
  bool exists(const std::string &rel) const {
    return std::filesystem::exists(std::filesystem::symlink_status(path_ / rel));
  }

private:
  std::filesystem::path path_;
};

// One 64 KiB page of guest memory and a VMContext pointing at it and at ctx.
class FakeGuest {
public:
  explicit FakeGuest(WasiCtx &ctx, size_t size = 65536) : bytes_(size, 0) {
    memory_.base = bytes_.data();
    memory_.size = bytes_.size();
    memory_.maxSize = bytes_.size();
    memory_.reserved = bytes_.size();
    vmctx_.heapBase = bytes_.data();
    vmctx_.memory = &memory_;
    vmctx_.hostData = &ctx;
  }

  abi::VMContext *vmctx() { return &vmctx_; }
  uint8_t *at(uint32_t ptr) { return bytes_.data() + ptr; }
  uint32_t size() const { return static_cast<uint32_t>(bytes_.size()); }

  template <typename T> T load(uint32_t ptr) const {
    T v;
    std::memcpy(&v, bytes_.data() + ptr, sizeof(T));
    return v;
  }
  template <typename T> void store(uint32_t ptr, T v) {
    std::memcpy(bytes_.data() + ptr, &v, sizeof(T));
  }
  void storeBytes(uint32_t ptr, const std::string &s) { std::memcpy(at(ptr), s.data(), s.size()); }
  std::string loadString(uint32_t ptr, uint32_t len) const {
    return std::string(reinterpret_cast<const char *>(bytes_.data() + ptr), len);
  }
  std::string loadCString(uint32_t ptr) const {
    return std::string(reinterpret_cast<const char *>(bytes_.data() + ptr));
  }

private:
  std::vector<uint8_t> bytes_;
  abi::MemoryInstance memory_{};
  abi::VMContext vmctx_{};
};

} // namespace lucet::wasi::test
