#include "runtime/Exceptions.h"

#include "abi/ExceptionObject.h"
#include "runtime/GuestCall.h"
#include "runtime/InstanceState.h"

#include <fmt/format.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <new>
#include <unwind.h>

extern "C" _Unwind_Reason_Code __gxx_personality_v0(int version, _Unwind_Action actions,
                                                    _Unwind_Exception_Class exceptionClass,
                                                    _Unwind_Exception *exception,
                                                    _Unwind_Context *context);

namespace lucet::rt {

struct alignas(16) ExceptionObject {
  _Unwind_Exception header;
  const Tag *tag;
  ExceptionList *owner;
  ExceptionObject *prev;
  ExceptionObject *next;
  uint32_t payloadSlots;
  uint32_t holds; // legacy catches running with it (holdException)
  bool captured;

  uint8_t *payload() { return reinterpret_cast<uint8_t *>(this) + abi::ExceptionPayloadOffset; }

  static ExceptionObject *create(ExceptionList &owner, const Tag *tag, uint32_t slots) {
    size_t size = abi::ExceptionPayloadOffset + size_t(slots) * abi::ExceptionSlotSize;
    void *memory = std::aligned_alloc(alignof(ExceptionObject), (size + 15) & ~size_t(15));
    if (!memory) return nullptr;
    auto *e = new (memory) ExceptionObject{};
    e->header.exception_class = abi::WasmExceptionClass;
    e->header.exception_cleanup = &cleanup;
    e->tag = tag;
    e->payloadSlots = slots;
    e->owner = &owner;
    e->next = owner.head_;
    if (owner.head_) owner.head_->prev = e;
    owner.head_ = e;
    return e;
  }

  void destroy() {
    if (prev)
      prev->next = next;
    else
      owner->head_ = next;
    if (next) next->prev = prev;
    std::free(this);
  }

  // When host C++ code catches one with catch (...) and ends the catch.
  static void cleanup(_Unwind_Reason_Code, _Unwind_Exception *header) {
    reinterpret_cast<ExceptionObject *>(header)->destroy();
  }
};
static_assert(offsetof(ExceptionObject, header) == abi::ExceptionClassOffset);
static_assert(offsetof(ExceptionObject, tag) == abi::ExceptionTagOffset);
static_assert(sizeof(ExceptionObject) <= abi::ExceptionPayloadOffset);

void ExceptionList::clear() {
  while (head_) head_->destroy();
  foreignTags_.clear();
}

void ExceptionList::keepTag(const std::shared_ptr<Tag> &tag) {
  for (const auto &kept : foreignTags_)
    if (kept == tag) return;
  foreignTags_.push_back(tag);
}

namespace {

Instance::State &stateOf(abi::VMContext *vmctx) {
  return Instance::fromVMContext(vmctx)->state();
}

bool isWasmException(const void *exn) {
  return static_cast<const _Unwind_Exception *>(exn)->exception_class == abi::WasmExceptionClass;
}

// Ends the innermost call because `exn` found no handler in the guest.
[[noreturn]] void endWithUncaught(abi::VMContext *vmctx, void *exn) {
  Instance::State &s = stateOf(vmctx);
  auto *header = static_cast<_Unwind_Exception *>(exn);
  if (!isWasmException(exn)) {
    // A C++ exception a host function let out: ended here, as a host error.
    s.trapMessage = "a host function threw a C++ exception into the guest";
    __cxxabiv1::__cxa_begin_catch(header);
    __cxxabiv1::__cxa_end_catch();
    unwindWithTrap(abi::TrapCode::HostError, UINT32_MAX, 0, false);
  }
  auto *e = reinterpret_cast<ExceptionObject *>(header);
  s.trapMessage = fmt::format("tag {}", e->tag->name());
  if (!e->captured && e->holds == 0) e->destroy();
  unwindWithTrap(abi::TrapCode::UncaughtException, UINT32_MAX, 0, false);
}

// Raises `exn`; returns only when no frame on the way has a handler, which
// cannot happen below a trampoline unless some frame lacks unwind tables.
[[noreturn]] void raise(abi::VMContext *vmctx, void *exn) {
  _Unwind_RaiseException(static_cast<_Unwind_Exception *>(exn));
  endWithUncaught(vmctx, exn);
}

// Allocates an exception of `tag` owned by the instance of `vmctx` and
// raises it.
[[noreturn]] void throwNew(abi::VMContext *vmctx, const Tag *tag, const uint8_t *payload) {
  Instance::State &s = stateOf(vmctx);
  auto slots = uint32_t(tag->type().params.size());
  ExceptionObject *e = ExceptionObject::create(s.exceptions, tag, slots);
  if (!e) {
    s.trapMessage = "out of memory for an exception";
    unwindWithTrap(abi::TrapCode::HostError, UINT32_MAX, 0, false);
  }
  if (slots) std::memcpy(e->payload(), payload, size_t(slots) * abi::ExceptionSlotSize);
  raise(vmctx, e);
}

} // namespace

void throwException(abi::VMContext *vmctx, uint32_t tagIndex, const uint8_t *payload) {
  ensureHostStackHeadroom();
  throwNew(vmctx, stateOf(vmctx).tags[tagIndex].get(), payload);
}

void throwFromHost(abi::VMContext *vmctx, const std::shared_ptr<Tag> &tag, const uint8_t *payload) {
  Instance::State &s = stateOf(vmctx);
  bool known = false;
  for (const auto &own : s.tags) known = known || own == tag;
  if (!known) s.exceptions.keepTag(tag);
  throwNew(vmctx, tag.get(), payload);
}

void throwRef(abi::VMContext *vmctx, void *exn, uint32_t funcIndex, uint32_t wasmOffset) {
  ensureHostStackHeadroom();
  if (!exn)
    unwindWithTrap(abi::TrapCode::NullReference, funcIndex, wasmOffset, wasmOffset != UINT32_MAX);
  raise(vmctx, exn);
}

void rethrowException(abi::VMContext *vmctx, void *exn) {
  ensureHostStackHeadroom();
  raise(vmctx, exn);
}

void releaseException(abi::VMContext *, void *exn) {
  auto *e = static_cast<ExceptionObject *>(exn);
  if (!e->captured && e->holds == 0) e->destroy();
}

void holdException(abi::VMContext *, void *exn) {
  ++static_cast<ExceptionObject *>(exn)->holds;
}

void unholdException(abi::VMContext *, void *exn, void *inFlight) {
  auto *e = static_cast<ExceptionObject *>(exn);
  if (e->holds > 0) --e->holds;
  if (e->holds == 0 && !e->captured && exn != inFlight) e->destroy();
}

void captureException(abi::VMContext *, void *exn) {
  static_cast<ExceptionObject *>(exn)->captured = true;
}

void uncaughtException(abi::VMContext *vmctx, void *exn) {
  endWithUncaught(vmctx, exn);
}

void *exceptionPersonality() {
  return reinterpret_cast<void *>(&__gxx_personality_v0);
}

} // namespace lucet::rt
