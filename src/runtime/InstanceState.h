#pragma once

// The inside of an Instance, shared by the files that implement it (creation,
// running, runtime callbacks). Not part of the public interface.

#include "abi/InstanceContext.h"
#include "platform/GuestStack.h"
#include "runtime/Exceptions.h"
#include "runtime/Extern.h"
#include "runtime/Instance.h"
#include "runtime/InterruptState.h"
#include "runtime/Region.h"

#include <memory>
#include <string>
#include <vector>

namespace lucet::rt {

struct alignas(16) GlobalSlot {
  uint8_t bytes[abi::GlobalSlotSize] = {};
};

struct Instance::State {
  std::shared_ptr<const LoadedModule> module;
  InstanceLimits limits;

  // Per memory index, imports first; memoryPointers is what the VMContext
  // hands to generated code.
  std::vector<std::shared_ptr<Memory>> memories;
  std::vector<abi::MemoryInstance *> memoryPointers;
  // Per index space entry, imports first; the pointer arrays are what the
  // VMContext hands to generated code.
  std::vector<std::shared_ptr<Global>> globals;
  std::vector<uint8_t *> globalPointers;
  std::vector<std::shared_ptr<Table>> tables;
  std::vector<abi::TableInstance *> tablePointers;
  std::vector<std::shared_ptr<Tag>> tags;  // imported, then this instance's own
  std::vector<const void *> tagIdentities; // what VMContext::tags hands to generated code
  ExceptionList exceptions;                // thrown by this instance (Exceptions.h)

  // This instance's FuncRefs, one per function index. Functions imported
  // from another instance are copies: funcRefPointers points at the
  // exporter's own FuncRef so that references to it stay one reference.
  std::vector<abi::FuncRef> funcRefs;
  std::vector<const abi::FuncRef *> funcRefPointers;
  std::vector<uint32_t> typeIds;

  // Passive segments stay until dropped; active and declarative ones are
  // dropped after instantiation.
  std::vector<bool> dataDropped;
  std::vector<std::vector<void *>> elemItems; // evaluated references; empty once dropped

  // The region slot holding the memory and stack, when there is one.
  std::shared_ptr<RegionSlot> slot;
  bool memoryFromImage = false; // memory 0 was created with its data in place
  platform::GuestStack stack;
  std::shared_ptr<InterruptState> interrupt = std::make_shared<InterruptState>();
  abi::VMContext vmctx = {};
  bool running = false;
  std::string trapMessage; // set by trapFromHost before unwinding

  const abi::Metadata &metadata() const { return module->metadata(); }
  Memory *memory0() const { return memories.empty() ? nullptr : memories[0].get(); }
};

// The runtime callbacks every instance's VMContext points at.
extern const abi::RuntimeCallbacks runtimeCallbacks;

} // namespace lucet::rt
