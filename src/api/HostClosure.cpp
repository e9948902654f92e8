// Thunks with the guest calling convention that forward to HostCallbacks.
//
// One thunk shape serves every supported signature: declared with five
// integer and eight floating-point parameters after the VMContext, it
// receives exactly the argument registers of the System V x86-64 convention
// (rsi, rdx, rcx, r8, r9 and xmm0-xmm7), so whatever the guest passed is in
// them in order of class. A wasm function with more parameters of a class
// would pass some on the stack, which is why such types are refused. The
// result goes back in rax (integer thunk) or xmm0 (floating-point thunk); an
// f32 travels in the low half of the double.
#include "api/HostClosure.h"

#include "abi/ExceptionObject.h"
#include "api/ApiImpl.h"
#include "runtime/Exceptions.h"
#include "runtime/Instance.h"

#include <array>
#include <atomic>
#include <cstring>
#include <exception>
#include <mutex>
#include <vector>

#if !defined(__x86_64__)
#error "host function thunks assume the System V x86-64 calling convention"
#endif

namespace lucet::api {
namespace {

constexpr unsigned MaxHostClosures = 512;
constexpr unsigned IntRegisters = 5;
constexpr unsigned FloatRegisters = 8;

std::array<std::atomic<HostClosure *>, MaxHostClosures> closures;

struct SlotAllocator {
  std::mutex mutex;
  std::vector<unsigned> free;
  unsigned next = 0;
};
SlotAllocator &slotAllocator() {
  static SlotAllocator allocator;
  return allocator;
}

struct Registers {
  uint64_t ints[IntRegisters];
  double floats[FloatRegisters];
};

bool isFloat(ValType t) {
  return t == ValType::F32 || t == ValType::F64;
}

struct Completion {
  Caller::Pending pending = Caller::Pending::None;
  uint64_t resultBits = 0;
  uint32_t exitCode = 0;
};

// Outlive the host call so that trapFromHost and throwFromHost can read them
// after every other object of the call is gone.
thread_local std::string pendingTrapMessage;
struct PendingThrow {
  std::shared_ptr<rt::Tag> tag;
  std::vector<uint8_t> payload; // abi/ExceptionObject.h's slots
};
thread_local PendingThrow pendingThrow;

// Caller::throwException's request as the runtime takes it, or false (and
// the trap message) when its values do not fit the tag.
bool prepareThrow(const Tag &tag, const std::vector<Val> &args) {
  bool fits = args.size() == tag.params().size();
  for (size_t i = 0; fits && i < args.size(); ++i) fits = args[i].type() == tag.params()[i];
  if (!fits) {
    FuncType given, expected{tag.params(), {}};
    for (const Val &v : args) given.params.push_back(v.type());
    pendingTrapMessage = "throwException: tag \"" + tag.name() + "\" takes " + expected.describe() +
                         ", not " + given.describe();
    return false;
  }
  pendingThrow.tag = tag.impl().tag;
  pendingThrow.payload.assign(args.size() * abi::ExceptionSlotSize, 0);
  for (size_t i = 0; i < args.size(); ++i) {
    uint64_t bits = args[i].bits(); // little-endian: the value's bytes come first
    std::memcpy(pendingThrow.payload.data() + i * abi::ExceptionSlotSize, &bits, 8);
  }
  return true;
}

// Every object with a destructor lives here, so that none is live when the
// guest is ended by unwinding past the thunk.
[[gnu::noinline]] Completion invoke(unsigned slot, abi::VMContext *vmctx,
                                    const Registers &regs) noexcept {
  Completion done;
  HostClosure *closure = closures[slot].load(std::memory_order_acquire);
  const FuncType &type = closure->type();
  std::array<Val, IntRegisters + FloatRegisters> args;
  unsigned nextInt = 0, nextFloat = 0;
  for (size_t i = 0; i < type.params.size(); ++i) {
    ValType t = type.params[i];
    uint64_t bits;
    if (isFloat(t))
      std::memcpy(&bits, &regs.floats[nextFloat++], 8);
    else
      bits = regs.ints[nextInt++];
    // The unused upper halves of 32-bit values are unspecified.
    if (t == ValType::I32 || t == ValType::F32) bits &= 0xffffffffu;
    args[i] = Val::fromBits(t, bits);
  }
  std::array<Val, 1> results;
  if (!type.results.empty()) results[0] = Val::fromBits(type.results[0], 0);

  rt::GuestMemory memory = rt::GuestMemory::fromVMContext(vmctx);
  Caller caller(memory.base(), memory.size());
  try {
    closure->callback()(caller, std::span<const Val>(args.data(), type.params.size()),
                        std::span<Val>(results.data(), type.results.size()));
  } catch (const std::exception &e) {
    caller.trap(std::string("host function threw: ") + e.what());
  } catch (...) {
    caller.trap("host function threw");
  }
  done.pending = caller.pending();
  if (done.pending == Caller::Pending::Trap) pendingTrapMessage = caller.trapMessage();
  if (done.pending == Caller::Pending::Throw &&
      !prepareThrow(caller.thrown()->first, caller.thrown()->second))
    done.pending = Caller::Pending::Trap;
  done.exitCode = caller.exitCode();
  if (!type.results.empty() && results[0].type() == type.results[0])
    done.resultBits = results[0].bits();
  else if (!type.results.empty() && done.pending == Caller::Pending::None) {
    done.pending = Caller::Pending::Trap;
    pendingTrapMessage = "host function returned a value of the wrong type";
  }
  return done;
}

uint64_t dispatch(unsigned slot, abi::VMContext *vmctx, const Registers &regs) {
  rt::Instance::ensureHostStackHeadroom();
  Completion done = invoke(slot, vmctx, regs);
  if (done.pending == Caller::Pending::Trap)
    rt::Instance::trapFromHost(vmctx, abi::TrapCode::HostError, pendingTrapMessage.c_str());
  if (done.pending == Caller::Pending::Exit) rt::Instance::exitFromHost(vmctx, done.exitCode);
  if (done.pending == Caller::Pending::Throw)
    rt::throwFromHost(vmctx, pendingThrow.tag, pendingThrow.payload.data());
  rt::Instance::stopIfInterrupted();
  return done.resultBits;
}

template <unsigned Slot>
uint64_t intThunk(abi::VMContext *vmctx, uint64_t i0, uint64_t i1, uint64_t i2, uint64_t i3,
                  uint64_t i4, double f0, double f1, double f2, double f3, double f4, double f5,
                  double f6, double f7) {
  Registers regs{{i0, i1, i2, i3, i4}, {f0, f1, f2, f3, f4, f5, f6, f7}};
  return dispatch(Slot, vmctx, regs);
}

template <unsigned Slot>
double floatThunk(abi::VMContext *vmctx, uint64_t i0, uint64_t i1, uint64_t i2, uint64_t i3,
                  uint64_t i4, double f0, double f1, double f2, double f3, double f4, double f5,
                  double f6, double f7) {
  Registers regs{{i0, i1, i2, i3, i4}, {f0, f1, f2, f3, f4, f5, f6, f7}};
  uint64_t bits = dispatch(Slot, vmctx, regs);
  double result;
  std::memcpy(&result, &bits, 8);
  return result;
}

struct ThunkTable {
  std::array<void *, MaxHostClosures> ints, floats;
};
template <size_t... I> ThunkTable makeThunks(std::index_sequence<I...>) {
  return {{reinterpret_cast<void *>(&intThunk<I>)...},
          {reinterpret_cast<void *>(&floatThunk<I>)...}};
}
const ThunkTable thunks = makeThunks(std::make_index_sequence<MaxHostClosures>());

} // namespace

Expected<std::shared_ptr<HostClosure>> HostClosure::create(FuncType type, HostCallback callback) {
  if (type.results.size() > 1)
    return Error::format("host function type {}: at most one result is supported", type.describe());
  unsigned ints = 0, floats = 0;
  for (ValType t : type.params) ++(isFloat(t) ? floats : ints);
  if (ints > IntRegisters || floats > FloatRegisters)
    return Error::format("host function type {}: at most {} integer and {} floating-point "
                         "parameters are supported",
                         type.describe(), IntRegisters, FloatRegisters);
  if (!callback) return Error("host function without a callback");
  SlotAllocator &alloc = slotAllocator();
  unsigned slot;
  {
    std::lock_guard lock(alloc.mutex);
    if (!alloc.free.empty()) {
      slot = alloc.free.back();
      alloc.free.pop_back();
    } else if (alloc.next < MaxHostClosures) {
      slot = alloc.next++;
    } else {
      return Error::format("too many host functions: at most {} may exist at once",
                           MaxHostClosures);
    }
  }
  std::shared_ptr<HostClosure> closure(new HostClosure(std::move(type), std::move(callback), slot));
  closures[slot].store(closure.get(), std::memory_order_release);
  return closure;
}

HostClosure::HostClosure(FuncType type, HostCallback callback, unsigned slot)
    : type_(std::move(type)), callback_(std::move(callback)), slot_(slot) {
  for (ValType t : type_.params) hostFunction_.type.params.push_back(uint8_t(t));
  for (ValType t : type_.results) hostFunction_.type.results.push_back(uint8_t(t));
  bool floatResult = !type_.results.empty() && isFloat(type_.results[0]);
  hostFunction_.code = floatResult ? thunks.floats[slot] : thunks.ints[slot];
}

HostClosure::~HostClosure() {
  closures[slot_].store(nullptr, std::memory_order_release);
  SlotAllocator &alloc = slotAllocator();
  std::lock_guard lock(alloc.mutex);
  alloc.free.push_back(slot_);
}

} // namespace lucet::api
