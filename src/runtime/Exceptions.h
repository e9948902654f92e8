#pragma once

// The runtime side of WebAssembly exceptions (abi/ExceptionObject.h): the
// objects, who owns them, and the callbacks generated code calls.
//
// Ownership: a throw allocates an object and links it into the throwing
// instance's list. A handler that takes it without keeping a reference
// (catch, catch_all) frees it at once; one that keeps it as an exnref
// (catch_ref, catch_all_ref) marks it
// captured, and it lives until its owner is reset or dropped. A legacy catch
// that a `rethrow` names holds it while its handler runs, and frees it when
// the handler ends, unless it is rethrown. Without a
// collector (the GC issue) that is the rule: an exnref is valid while the
// instance that threw it lives, and a loop that keeps exnrefs grows its
// instance until it is reset.

#include "abi/InstanceContext.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace lucet::rt {

struct ExceptionObject;
class Tag;

// The exceptions one instance owns.
class ExceptionList {
public:
  ExceptionList() = default;
  ExceptionList(const ExceptionList &) = delete;
  ExceptionList &operator=(const ExceptionList &) = delete;
  ~ExceptionList() { clear(); }
  // Frees every object still owned.
  void clear();
  // Keeps a tag the instance neither defines nor imports alive while its
  // exceptions may exist (one a host function threw into it).
  void keepTag(const std::shared_ptr<Tag> &tag);

private:
  friend struct ExceptionObject;
  ExceptionObject *head_ = nullptr;
  std::vector<std::shared_ptr<Tag>> foreignTags_;
};

// The callbacks of abi::RuntimeCallbacks for exceptions.
void throwException(abi::VMContext *vmctx, uint32_t tagIndex, const uint8_t *payload);
void throwRef(abi::VMContext *vmctx, void *exn, uint32_t funcIndex, uint32_t wasmOffset);
void rethrowException(abi::VMContext *vmctx, void *exn);
void releaseException(abi::VMContext *vmctx, void *exn);
void captureException(abi::VMContext *vmctx, void *exn);
void holdException(abi::VMContext *vmctx, void *exn);
void unholdException(abi::VMContext *vmctx, void *exn, void *inFlight);
void uncaughtException(abi::VMContext *vmctx, void *exn);

// For host functions, after every object of theirs is gone: throws an
// exception of `tag` (payload as abi/ExceptionObject.h lays it out) from
// the host function's call site in the guest of `vmctx`.
[[noreturn]] void throwFromHost(abi::VMContext *vmctx, const std::shared_ptr<Tag> &tag,
                                const uint8_t *payload);

// What the loader stores in ModuleRecord::personality.
void *exceptionPersonality();

} // namespace lucet::rt
