#include "compiler/MemoryInstanceLoads.h"

#include "abi/InstanceContext.h"

namespace lucet::compiler {

llvm::Value *loadMemoryInstance(llvm::IRBuilder<> &builder, llvm::Value *vmctx, uint32_t index,
                                llvm::function_ref<void(llvm::LoadInst *)> mark) {
  auto *ptrType = builder.getPtrTy();
  auto load = [&](llvm::Value *at) {
    auto *value = builder.CreateLoad(ptrType, at);
    mark(value);
    return value;
  };
  if (index == 0)
    return load(builder.CreateConstInBoundsGEP1_64(builder.getInt8Ty(), vmctx, abi::OffsetMemory));
  auto *memories =
      load(builder.CreateConstInBoundsGEP1_64(builder.getInt8Ty(), vmctx, abi::OffsetMemories));
  return load(builder.CreateConstInBoundsGEP1_64(ptrType, memories, index));
}

llvm::LoadInst *loadMemorySize(llvm::IRBuilder<> &builder, llvm::Value *instance) {
  return builder.CreateLoad(builder.getInt64Ty(), builder.CreateConstInBoundsGEP1_64(
                                                      builder.getInt8Ty(), instance,
                                                      offsetof(abi::MemoryInstance, size)));
}

} // namespace lucet::compiler
