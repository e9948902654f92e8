// Compiles small modules written in the text format and checks the artifact:
// it links, exports exactly one module record, and its metadata describes the
// module. Execution semantics are covered by the runtime and spec tests.
#include "compiler/Compiler.h"
#include "abi/CpuFeatures.h"
#include "abi/Metadata.h"
#include "abi/ModuleRecord.h"
#include "compiler/MetadataBuilder.h"
#include "compiler/TargetFeatures.h"
#include "support/FileIO.h"
#include "text/WatParser.h"
#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include "TestDirectory.h"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <elf.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <link.h>
#include <sys/stat.h>

using namespace lucet;
namespace fs = std::filesystem;

namespace {

class CompilerTest : public ::testing::Test {
protected:
  // The LLVM IR lucetc emits for `bytes` (after its optimisation pipeline).
  std::string irOf(const std::vector<uint8_t> &bytes, compiler::CompileOptions options) {
    options.emit = compiler::EmitKind::LlvmIr;
    auto ll = (dir_ / "m.ll").string();
    auto status = compiler::compileBytes(bytes, "m.wasm", ll, options);
    EXPECT_TRUE(status) << (status ? "" : status.error().message());
    auto text = readFile(ll);
    return text ? std::string(text->begin(), text->end()) : std::string();
  }

  std::vector<uint8_t> wat(const std::string &text) {
    auto bytes = text::parseWat(text);
    EXPECT_TRUE(bytes) << (bytes ? "" : bytes.error().message());
    return bytes ? *bytes : std::vector<uint8_t>{};
  }

  lucet::testing::TestDirectory dir_{"lucet-compiler-test"};
};

TEST_F(CompilerTest, SharedObjectCarriesRecordAndMetadata) {
  auto bytes = wat(R"((module
    (type $t (func (param i32 i32) (result i32)))
    (import "env" "f" (func $f (param i32) (result i32)))
    (memory 2 10)
    (global $g (mut i32) (i32.const 42))
    (table 3 funcref)
    (elem (i32.const 1) $add)
    (data (i32.const 16) "hello")
    (func $add (export "add") (type $t) local.get 0 local.get 1 i32.add)
    (func (export "two") (result i32 i64) i32.const 1 i64.const 2)))");
  auto so = (dir_ / "m.so").string();
  auto status = compiler::compileBytes(bytes, "m.wasm", so, {});
  ASSERT_TRUE(status) << status.error().message();

  void *handle = ::dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << ::dlerror();
  auto *record = static_cast<const lucet::abi::ModuleRecord *>(
      ::dlsym(handle, lucet::abi::ModuleRecordSymbol));
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->magic, lucet::abi::ModuleMagic);
  EXPECT_EQ(record->abiVersion, lucet::abi::AbiVersion);
  EXPECT_EQ(record->numFunctions, 2u);
  auto metadata = lucet::abi::deserializeMetadata({record->metadata, record->metadataSize});
  ASSERT_TRUE(metadata) << metadata.error().message();
  EXPECT_EQ(metadata->imports.size(), 1u);
  EXPECT_EQ(metadata->imports[0].name, "f");
  EXPECT_EQ(metadata->memories.size(), 1u);
  EXPECT_EQ(metadata->memories[0].min, 2u);
  EXPECT_EQ(metadata->memories[0].max, 10u);
  ASSERT_EQ(metadata->datas.size(), 1u);
  EXPECT_EQ(std::string(metadata->datas[0].bytes.begin(), metadata->datas[0].bytes.end()), "hello");
  EXPECT_EQ(metadata->globals[0].init.bits, 42u);
  EXPECT_EQ(record->numTrampolines, metadata->types.size());
  EXPECT_FALSE(metadata->heap.boundsChecked);
  EXPECT_EQ(metadata->functionNames[1], "add");
  // The code pointers' relocations are packed (DT_RELR), not 24-byte RELA
  // entries, and the segment lists both functions.
  link_map *map = nullptr;
  ASSERT_EQ(::dlinfo(handle, RTLD_DI_LINKMAP, &map), 0);
  bool packed = false;
  for (const ElfW(Dyn) *d = map->l_ld; d->d_tag != DT_NULL; ++d) packed |= d->d_tag == DT_RELR;
  EXPECT_TRUE(packed);
  ASSERT_EQ(record->numSegments, 1u);
  EXPECT_EQ(record->segments[0].count, 2u);
  ::dlclose(handle);
}

// What lucetc writes is what the loader's decoder reads: the artifact's
// metadata bytes are the encoding of buildMetadata's record, they decode to
// that record, and re-encoding gives the same bytes.
TEST_F(CompilerTest, MetadataRoundTripsThroughTheArtifact) {
  auto bytes = wat(R"((module
    (type $t (func (param i32 i64) (result f32)))
    (import "env" "f" (func $f (type $t)))
    (import "env" "g" (global $gi i64))
    (import "env" "t" (table 1 5 externref))
    (memory 1 3)
    (global $g (mut i32) (i32.const 42))
    (global $h i64 (global.get $gi))
    (global $v v128 (v128.const i32x4 1 2 3 4))
    (table $tab 3 funcref)
    (elem (table $tab) (i32.const 1) func $run $helper)
    (elem declare func $helper)
    (data (i32.const 16) "hello")
    (data "passive")
    (start $helper)
    (func $run (export "run") (param i32) (result i32) local.get 0)
    (func $helper)
    (export "mem" (memory 0))
    (export "g" (global $g))))");
  compiler::CompileOptions options;
  options.reservedSize = 1ull << 30;
  options.guardSize = 64 * 1024;
  auto so = (dir_ / "m.so").string();
  auto status = compiler::compileBytes(bytes, "m.wasm", so, options);
  ASSERT_TRUE(status) << status.error().message();

  auto module = wasm::readModule(bytes);
  ASSERT_TRUE(module) << module.error().message();
  ASSERT_TRUE(wasm::validateModule(*module));
  lucet::abi::Metadata built =
      compiler::buildMetadata(*module, options, compiler::selectCpuFeatures(options.cpuTarget));
  auto encoded = lucet::abi::serializeMetadata(built);

  void *handle = ::dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << ::dlerror();
  auto *record = static_cast<const lucet::abi::ModuleRecord *>(
      ::dlsym(handle, lucet::abi::ModuleRecordSymbol));
  ASSERT_NE(record, nullptr);
  std::vector<uint8_t> stored(record->metadata, record->metadata + record->metadataSize);
  ::dlclose(handle);
  EXPECT_EQ(stored, encoded);

  auto decoded = lucet::abi::deserializeMetadata(stored);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_TRUE(*decoded == built);
  EXPECT_EQ(lucet::abi::serializeMetadata(*decoded), stored);
  EXPECT_EQ(decoded->imports.size(), 3u);
  EXPECT_EQ(decoded->elems.size(), 2u);
  EXPECT_EQ(decoded->datas.size(), 2u);
  EXPECT_EQ(decoded->start, 2u);
  EXPECT_TRUE(decoded->heap.boundsChecked);
  EXPECT_EQ(decoded->functionNames[1], "run");
}

TEST_F(CompilerTest, SmallReservationMeansBoundsChecks) {
  auto bytes = wat("(module (memory 1) (func (export \"f\") (param i32) (result i32) local.get 0 "
                   "i32.load))");
  compiler::CompileOptions options;
  options.reservedSize = 1ull << 30;
  options.guardSize = 64 * 1024;
  // The bounds check calls the trap callback; without checks there is none.
  std::string ir = irOf(bytes, options);
  EXPECT_NE(ir.find("icmp ugt i64"), std::string::npos) << ir;

  options.reservedSize = 4ull << 30;
  options.guardSize = 4ull << 30;
  std::string unchecked = irOf(bytes, options);
  EXPECT_EQ(unchecked.find("icmp ugt i64"), std::string::npos) << unchecked;
}

// BoundsCheckVersioning: a counted loop over memory gets a copy without
// checks, run when an up-front test shows every iteration in bounds.
TEST_F(CompilerTest, CheckedLoopsGetACopyWithoutChecks) {
  auto bytes = wat(R"((module (memory 1)
    (func (export "fill") (param $p i32) (param $n i32) (local $i i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
                   (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))))");
  compiler::CompileOptions options;
  options.reservedSize = 1ull << 30;
  options.guardSize = 64 * 1024;
  std::string ir = irOf(bytes, options);
  EXPECT_NE(ir.find(".inbounds"), std::string::npos) << ir;
  // Unoptimised code is left alone.
  options.optLevel = 0;
  EXPECT_EQ(irOf(bytes, options).find(".inbounds"), std::string::npos);
}

// Under the guard-page model heap accesses and global writes are volatile,
// so that the optimizer keeps, and keeps in order, every access that can
// fault and every effect before it.
TEST_F(CompilerTest, GuardPageCodeKeepsGuestStateAccessesVolatile) {
  auto bytes = wat(R"((module (memory 1) (global $g (mut i32) (i32.const 0))
    (func (export "f") (param $p i32)
      (global.set $g (i32.const 1))
      (drop (i32.load (local.get $p)))
      (i32.store (local.get $p) (i32.const 2)))))");
  std::string ir = irOf(bytes, {});
  EXPECT_NE(ir.find("store volatile i32 1"), std::string::npos) << ir;
  EXPECT_NE(ir.find("load volatile i32"), std::string::npos) << ir;
  EXPECT_NE(ir.find("store volatile i32 2"), std::string::npos) << ir;
}

// HeapLoopVersioning under guard pages: a loop whose accesses are affine
// gets a copy in which they are not volatile, their addresses are 64-bit
// recurrences and the source and destination are declared apart, so LLVM
// vectorizes it; a loop that calls into the runtime keeps only the
// volatile original.
TEST_F(CompilerTest, GuardPageLoopsGetACopyThatLlvmVectorizes) {
  auto add = wat(R"((module (memory 1)
    (func (export "add") (param $dst i32) (param $src i32) (param $n i32) (local $i i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
          (i32.add (i32.load (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2))))
                   (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))))");
  auto grows = wat(R"((module (memory 1)
    (func (export "grows") (param $p i32) (param $n i32) (local $i i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
        (drop (memory.grow (i32.const 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))))");
  compiler::CompileOptions options;
  options.cpuTarget = compiler::CpuTarget::Baseline;
  std::string ir = irOf(add, options);
  // The copy: vector loads and stores, declared apart; the original stays.
  EXPECT_NE(ir.find(".inbounds"), std::string::npos) << ir;
  EXPECT_NE(ir.find("load <4 x i32>"), std::string::npos) << ir;
  EXPECT_NE(ir.find("store <4 x i32>"), std::string::npos) << ir;
  EXPECT_NE(ir.find("lucet.heap.loop"), std::string::npos) << ir;
  EXPECT_NE(ir.find("store volatile i32"), std::string::npos) << ir;
  std::string calls = irOf(grows, options);
  EXPECT_EQ(calls.find(".inbounds"), std::string::npos) << calls;
  EXPECT_NE(calls.find("store volatile i32"), std::string::npos) << calls;
  // Unoptimised code is left alone.
  options.optLevel = 0;
  EXPECT_EQ(irOf(add, options).find(".inbounds"), std::string::npos);
}

// `lucetc -o /dev/null` (or a pipe) writes the shared object into the
// device or FIFO; renaming the linker's output over it would have replaced
// /dev/null with a regular file.
TEST_F(CompilerTest, SharedObjectGoesIntoAFifo) {
  auto bytes = wat("(module (func (export \"f\") (result i32) i32.const 7))");
  auto fifo = dir_ / "out.pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto reader = std::async(std::launch::async, [&] {
    std::ifstream in(fifo, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  });
  auto status = compiler::compileBytes(bytes, "m.wasm", fifo.string(), {});
  ASSERT_TRUE(status) << status.error().message();
  std::string so = reader.get();
  ASSERT_GT(so.size(), 1000u);
  EXPECT_EQ(so.substr(0, 4), "\x7f"
                             "ELF");
  struct stat st {};
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST_F(CompilerTest, RecordsTheCpuFeaturesItUses) {
  auto bytes = wat("(module (func (export \"f\") (param f32) (result f32) local.get 0 f32.floor))");
  auto so = (dir_ / "m.so").string();
  compiler::CompileOptions options;
  options.cpuTarget = compiler::CpuTarget::Baseline;
  ASSERT_TRUE(compiler::compileBytes(bytes, "m.wasm", so, options));
  void *handle = ::dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << ::dlerror();
  auto *record = static_cast<const lucet::abi::ModuleRecord *>(
      ::dlsym(handle, lucet::abi::ModuleRecordSymbol));
  ASSERT_NE(record, nullptr);
  auto metadata = lucet::abi::deserializeMetadata({record->metadata, record->metadataSize});
  ASSERT_TRUE(metadata);
  EXPECT_TRUE(metadata->requiredCpuFeatures.empty());
  ::dlclose(handle);

  // Native code records exactly the features it was allowed to use, all of
  // which this machine has.
  auto native = (dir_ / "n.so").string();
  ASSERT_TRUE(compiler::compileBytes(bytes, "m.wasm", native, {}));
  handle = ::dlopen(native.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << ::dlerror();
  record = static_cast<const lucet::abi::ModuleRecord *>(
      ::dlsym(handle, lucet::abi::ModuleRecordSymbol));
  metadata = lucet::abi::deserializeMetadata({record->metadata, record->metadataSize});
  ASSERT_TRUE(metadata);
  for (const auto &feature : metadata->requiredCpuFeatures)
    EXPECT_NE(std::find(lucet::abi::CheckableCpuFeatures.begin(),
                        lucet::abi::CheckableCpuFeatures.end(), feature),
              lucet::abi::CheckableCpuFeatures.end())
        << feature;
  ::dlclose(handle);
}

TEST_F(CompilerTest, InvalidModuleIsRefusedWithOffset) {
  auto bytes = wat("(module (func (result i32) i32.const 1))");
  // Corrupt the i32.const opcode into i64.const: the body no longer validates.
  for (size_t i = bytes.size(); i-- > 0;)
    if (bytes[i] == 0x41) {
      bytes[i] = 0x42;
      break;
    }
  auto status = compiler::compileBytes(bytes, "bad.wasm", (dir_ / "bad.so").string(), {});
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message().find("bad.wasm"), std::string::npos);
  EXPECT_NE(status.error().message().find("at offset 0x"), std::string::npos)
      << status.error().message();
  EXPECT_FALSE(fs::exists(dir_ / "bad.so"));
}

TEST_F(CompilerTest, GarbageIsRefused) {
  std::vector<uint8_t> garbage = {'n', 'o', 't', ' ', 'w', 'a', 's', 'm'};
  auto status = compiler::compileBytes(garbage, "garbage.wasm", (dir_ / "g.so").string(), {});
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message().find("magic"), std::string::npos) << status.error().message();
}

} // namespace
