#pragma once

// WebAssembly exception tags as the host sees them. A host function throws
// a wasm exception with Caller::throwException; guests catch it with
// try_table or legacy try/catch like one they threw themselves, and one no
// guest catches ends the run with a trap of kind UncaughtException whose
// message names the tag. Tags come from the host (Tag::create, given to
// guests through Linker::defineTag) or from an instance's exports
// (Instance::tag).

#include "lucet/export.h"
#include "lucet/value.hh"

#include <memory>
#include <string>
#include <vector>

namespace lucet {

class LUCET_API Tag {
public:
  // A new tag, distinct from every other one even of the same types (tags
  // are generative); copies are the same tag. `name` is for messages.
  static Tag create(std::string name, std::vector<ValType> params);

  const std::string &name() const;
  const std::vector<ValType> &params() const;
  // The same tag, not merely the same types.
  bool operator==(const Tag &other) const;

  struct Impl;
  explicit Tag(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  const Impl &impl() const { return *impl_; }

private:
  std::shared_ptr<const Impl> impl_;
};

} // namespace lucet
