#include "wasm/Subtyping.h"

#include <fmt/format.h>

#include <map>

namespace lucet::wasm {

namespace {

Status checkHeap(HeapType h, size_t visibleTypes) {
  if (h.isConcrete()) {
    if (h.typeIndex() >= visibleTypes) return Error::format("unknown type {}", h.typeIndex());
    return Status::ok();
  }
  switch (h.abs()) {
  case AbsHeap::Func:
  case AbsHeap::Extern:
  case AbsHeap::NoFunc:
  case AbsHeap::NoExtern:
  case AbsHeap::Exn:
  case AbsHeap::NoExn:
    return Status::ok();
  default:
    return Error::format("unsupported heap type {}: garbage collection types are not "
                         "implemented yet",
                         heapTypeName(h));
  }
}

Status checkType(ValType t, size_t visibleTypes) {
  return t.isRef() ? checkHeap(t.heap(), visibleTypes) : Status::ok();
}

// A value type inside type `self`'s key: references to earlier types by
// their class, to `self` by a marker no class number reaches.
void appendKey(std::vector<uint32_t> &key, ValType t, uint32_t self,
               const std::vector<uint32_t> &canon) {
  key.push_back(uint32_t(t.kind()) | (t.nullable() ? 0x100u : 0));
  if (!t.isRef()) return;
  HeapType h = t.heap();
  if (!h.isConcrete())
    key.push_back(0x80000000u | uint32_t(h.abs()));
  else if (h.typeIndex() == self)
    key.push_back(0x40000000u);
  else
    key.push_back(canon[h.typeIndex()]);
}

} // namespace

Expected<Subtyping> Subtyping::build(const std::vector<FuncType> &types) {
  Subtyping s;
  s.canon_.reserve(types.size());
  std::map<std::vector<uint32_t>, uint32_t> classes;
  std::vector<uint32_t> key;
  for (uint32_t i = 0; i < types.size(); ++i) {
    const FuncType &type = types[i];
    key.clear();
    for (const std::vector<ValType> *list : {&type.params, &type.results}) {
      key.push_back(uint32_t(list->size()));
      for (ValType t : *list) {
        // A type sees the types before it and itself (its recursion group).
        if (Status st = checkType(t, i + 1); !st)
          return Error::format("type {}: {}", i, st.error().message());
        appendKey(key, t, i, s.canon_);
      }
    }
    auto [it, inserted] = classes.try_emplace(key, i);
    s.canon_.push_back(it->second);
  }
  return s;
}

Status Subtyping::checkValType(ValType t) const {
  return checkType(t, canon_.size());
}

bool Subtyping::isHeapSubtype(HeapType sub, HeapType super) const {
  if (sub == super) return true;
  if (sub.isConcrete() && super.isConcrete())
    return canon_[sub.typeIndex()] == canon_[super.typeIndex()];
  if (sub.isConcrete()) return super.abs() == AbsHeap::Func; // every concrete type is a function
  switch (sub.abs()) {
  case AbsHeap::NoFunc:
    return super.isConcrete() || super.abs() == AbsHeap::Func;
  case AbsHeap::NoExtern:
    return !super.isConcrete() && super.abs() == AbsHeap::Extern;
  case AbsHeap::NoExn:
    return !super.isConcrete() && super.abs() == AbsHeap::Exn;
  default:
    return false;
  }
}

bool Subtyping::isSubtype(ValType sub, ValType super) const {
  if (!sub.isRef() || !super.isRef()) return sub == super;
  if (sub.nullable() && !super.nullable()) return false;
  return isHeapSubtype(sub.heap(), super.heap());
}

bool Subtyping::allSubtypes(const std::vector<ValType> &sub,
                            const std::vector<ValType> &super) const {
  if (sub.size() != super.size()) return false;
  for (size_t i = 0; i < sub.size(); ++i)
    if (!isSubtype(sub[i], super[i])) return false;
  return true;
}

} // namespace lucet::wasm
