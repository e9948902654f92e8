// The C++ exception ABI for wasm32 guests built with -fwasm-exceptions, for
// the tests' own C++ guests only: Debian's libc++abi for wasm32
// (libc++abi-19-dev-wasm32) is built without exceptions and provides none
// of __cxa_allocate_exception, __cxa_throw, __cxa_begin_catch,
// __cxa_end_catch, __cxa_rethrow, _Unwind_CallPersonality or
// __wasm_lpad_context, so a program that throws does not link against it.
//
// What this supports: throwing any type, catching by its exact type (no
// conversion to a base class), catch (...), destructors during unwinding,
// and rethrowing with `throw;`. It follows how clang lowers C++ exceptions
// to wasm (legacy exception handling): `throw` raises the C++ tag with a
// pointer to the exception's header; a catch pad records its index and the
// function's LSDA in __wasm_lpad_context, asks _Unwind_CallPersonality for
// the selector of the matching catch clause, and rethrows when none
// matches.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <typeinfo>

namespace {

struct alignas(16) Header {
  const std::type_info *type;
  void (*destroy)(void *);
  int handlers;    // catch blocks running with it
  bool rethrown;   // `throw;` raised it again: the catch that ends keeps it
  Header *outer;   // the previously caught exception (a stack of them)
};

Header *caught = nullptr; // the innermost exception being handled

void *objectOf(Header *h) {
  return h + 1;
}
Header *headerOf(void *object) {
  return static_cast<Header *>(object) - 1;
}

[[noreturn]] void raise(Header *h) {
  // Tag 0 is clang's C++ tag; its value is what catch pads receive.
  __builtin_wasm_throw(0, h);
}

// A LEB128 number's low 32 bits; `shift` gets how many bits it had and
// `last` its final byte, whose bit 6 is the signed form's sign.
uint32_t readLeb(const uint8_t *&p, unsigned &shift, uint8_t &last) {
  uint32_t value = 0;
  shift = 0;
  do {
    last = *p++;
    value |= uint32_t(last & 0x7f) << shift;
    shift += 7;
  } while (last & 0x80);
  return value;
}

uint32_t readUleb(const uint8_t *&p) {
  unsigned shift;
  uint8_t last;
  return readLeb(p, shift, last);
}

int32_t readSleb(const uint8_t *&p) {
  unsigned shift;
  uint8_t last;
  auto value = int32_t(readLeb(p, shift, last));
  if (shift < 32 && (last & 0x40)) value |= -(int32_t(1) << shift);
  return value;
}

constexpr uint8_t EncodingOmit = 0xff;

} // namespace

extern "C" {

// Written by the catch pads clang generates, read back for the selector.
struct LandingPadContext {
  uintptr_t lpadIndex;
  const uint8_t *lsda;
  uintptr_t selector;
} __wasm_lpad_context;

void *__cxa_allocate_exception(size_t size) noexcept {
  auto *h = static_cast<Header *>(std::aligned_alloc(alignof(Header), sizeof(Header) + size));
  if (!h) std::abort();
  return objectOf(h);
}

void __cxa_free_exception(void *object) noexcept {
  std::free(headerOf(object));
}

[[noreturn]] void __cxa_throw(void *object, std::type_info *type, void (*destroy)(void *)) {
  Header *h = headerOf(object);
  h->type = type;
  h->destroy = destroy;
  h->handlers = 0;
  h->rethrown = false;
  h->outer = nullptr;
  raise(h);
}

// Chooses the catch clause of landing pad __wasm_lpad_context.lpadIndex
// whose type is the thrown one (or catch (...)): its type index becomes
// the selector; none leaves the selector 0 and the pad rethrows.
int _Unwind_CallPersonality(void *exception) {
  auto *h = static_cast<Header *>(exception);
  LandingPadContext &context = __wasm_lpad_context;
  context.selector = 0;
  const uint8_t *p = context.lsda;
  if (!p) return 8; // _URC_CONTINUE_UNWIND
  uint8_t lpStartEncoding = *p++;
  if (lpStartEncoding != EncodingOmit) std::abort(); // clang emits none for wasm
  uint8_t typeEncoding = *p++;
  const uint8_t *typeTable = nullptr;
  if (typeEncoding != EncodingOmit) {
    uint32_t offset = readUleb(p);
    typeTable = p + offset;
  }
  ++p; // call-site encoding: uleb128
  uint32_t callSiteLength = readUleb(p);
  const uint8_t *actions = p + callSiteLength;
  // One entry per landing pad: (landing pad, first action + 1).
  uint32_t action = 0;
  for (uintptr_t i = 0; i <= context.lpadIndex; ++i) {
    readUleb(p);
    action = readUleb(p);
  }
  if (action == 0) return 8; // cleanups only
  const uint8_t *record = actions + action - 1;
  for (;;) {
    int32_t typeIndex = readSleb(record);
    const uint8_t *next = record;
    int32_t displacement = readSleb(next);
    if (typeIndex > 0 && typeTable) {
      // Entries are 4-byte pointers, counted back from the table's end.
      uint32_t entry;
      __builtin_memcpy(&entry, typeTable - 4 * typeIndex, 4);
      auto *type = reinterpret_cast<const std::type_info *>(uintptr_t(entry));
      if (!type || *type == *h->type) {
        context.selector = uintptr_t(typeIndex);
        return 6; // _URC_HANDLER_FOUND
      }
    }
    if (displacement == 0) return 8;
    record += displacement;
  }
}

void *__cxa_begin_catch(void *exception) noexcept {
  auto *h = static_cast<Header *>(exception);
  if (h->handlers++ == 0 || h->rethrown) {
    h->rethrown = false;
    h->outer = caught;
    caught = h;
  }
  return objectOf(h);
}

void __cxa_end_catch() {
  Header *h = caught;
  if (!h) return;
  if (--h->handlers > 0) return;
  caught = h->outer;
  if (h->rethrown) return; // in flight again
  if (h->destroy) h->destroy(objectOf(h));
  std::free(h);
}

[[noreturn]] void __cxa_rethrow() {
  Header *h = caught;
  if (!h) std::abort();
  h->rethrown = true;
  raise(h);
}

void *__cxa_get_exception_ptr(void *exception) noexcept {
  return objectOf(static_cast<Header *>(exception));
}

} // extern "C"
