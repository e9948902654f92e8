#pragma once

#include "support/Expected.h"

#include <string>
#include <vector>

namespace lucet::compiler {

// Relocatable objects waiting to be linked, as files beside the output
// (output.tmp.PID.N.o); they are removed when this goes away. Writing
// distinct objects from several threads is safe.
class ObjectFiles {
public:
  ObjectFiles(const std::string &outputPath, size_t count);
  ~ObjectFiles();
  ObjectFiles(const ObjectFiles &) = delete;
  ObjectFiles &operator=(const ObjectFiles &) = delete;

  Status write(size_t index, const std::vector<char> &object);
  const std::vector<std::string> &paths() const { return paths_; }
  // A file beside object `index` for what its compile hands on besides the
  // object (its source map part, from a worker process); removed with it.
  std::string sidePath(size_t index) const { return paths_[index] + ".side"; }

private:
  std::vector<std::string> paths_;
};

// Links relocatable objects into a shared object with LLVM's lld. The
// output is written beside `outputPath` first and renamed into place, so a
// failure never leaves a half-written artifact.
Status linkSharedObject(const ObjectFiles &objects, const std::string &outputPath);

} // namespace lucet::compiler
