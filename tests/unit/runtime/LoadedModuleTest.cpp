#include "runtime/LoadedModule.h"

#include "abi/ModuleRecord.h"

#include <fmt/format.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <elf.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <sys/stat.h>
#include <unistd.h>

using namespace lucet::rt;
namespace fs = std::filesystem;

namespace {

TEST(LoadedModule, LoadsFixtureAndDecodesMetadata) {
  auto module = LoadedModule::load(FIXTURE_BASIC);
  ASSERT_TRUE(module) << module.error().message();
  const auto &m = (*module)->metadata();
  EXPECT_EQ(m.moduleName, "basic");
  EXPECT_EQ((*module)->numFunctions(), 24u);
  EXPECT_EQ((*module)->functionName(1), "add");
  EXPECT_EQ((*module)->functionCode(0), nullptr);
  void *add = (*module)->functionCode(1);
  ASSERT_NE(add, nullptr);
  EXPECT_TRUE((*module)->containsCode(add));
  EXPECT_EQ((*module)->functionAt(add), 1u);
  EXPECT_FALSE((*module)->containsCode(reinterpret_cast<void *>(&LoadedModule::load)));
}

TEST(LoadedModule, RefusesOrdinarySharedObject) {
  auto module = LoadedModule::load(FIXTURE_NOTLUCET);
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().message(),
            std::string(FIXTURE_NOTLUCET) +
                ": not a lucetc artifact (no lucet_module_record_v1 symbol)");
}

TEST(LoadedModule, RefusesGarbageFile) {
  std::string path = testing::TempDir() + "garbage-" + std::to_string(getpid()) + ".so";
  {
    std::ofstream out(path, std::ios::binary);
    out << "this is not an ELF file at all, just some text padded out to a decent length";
  }
  auto module = LoadedModule::load(path);
  std::remove(path.c_str());
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().message(), path + ": not a lucetc artifact (not an ELF file)");
}

TEST(LoadedModule, RefusesMissingFile) {
  auto module = LoadedModule::load("/nonexistent/module.so");
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().message(),
            "/nonexistent/module.so: cannot open: No such file or directory");
}

TEST(LoadedModule, RefusesOtherAbiVersion) {
  auto module = LoadedModule::load(FIXTURE_ABI99);
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().message(),
            fmt::format("{}: compiled for ABI version 99; this runtime supports {}", FIXTURE_ABI99,
                        lucet::abi::AbiVersion));
}

TEST(LoadedModule, RefusesCodeForCpuFeaturesThisCpuLacks) {
  auto module = LoadedModule::load(FIXTURE_CPUFEATURE);
  ASSERT_FALSE(module);
  // sse4.1 may or may not be present; the unknown feature is always missing.
  EXPECT_NE(module.error().message().find("compiled for CPU features this CPU lacks"),
            std::string::npos)
      << module.error().message();
  EXPECT_NE(module.error().message().find("quantum-entanglement"), std::string::npos);
  EXPECT_NE(module.error().message().find("--target-cpu baseline"), std::string::npos);
}

TEST(LoadedModule, RefusesRecordDisagreeingWithMetadata) {
  auto module = LoadedModule::load(FIXTURE_MISSINGFUNC);
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().message(),
            std::string(FIXTURE_MISSINGFUNC) +
                ": invalid module: the record has 22 functions but the metadata defines 23");
}

// A module compiled in chunks lists its functions in segments: the loader
// joins them into one array, the same as a module's single segment.
TEST(LoadedModule, JoinsFunctionSegments) {
  auto whole = LoadedModule::load(FIXTURE_BASIC);
  auto split = LoadedModule::load(FIXTURE_SEGMENTS);
  ASSERT_TRUE(whole) << whole.error().message();
  ASSERT_TRUE(split) << split.error().message();
  ASSERT_EQ((*split)->numFunctions(), (*whole)->numFunctions());
  for (uint32_t i = 0; i < (*whole)->numFunctions(); ++i) {
    // Same code, from two copies of the fixture: compare the offsets from
    // the first function.
    auto offset = [&](const LoadedModule &m) {
      return uintptr_t(m.functionCode(i)) -
             uintptr_t(m.functionCode(m.metadata().numImportedFuncs));
    };
    if ((*whole)->functionCode(i) == nullptr) {
      EXPECT_EQ((*split)->functionCode(i), nullptr) << i;
      continue;
    }
    ASSERT_NE((*split)->functionCode(i), nullptr) << i;
    EXPECT_EQ(offset(**split), offset(**whole)) << i;
    EXPECT_EQ((*split)->callEntry(i), (*split)->functionCode(i)) << i;
  }
}

TEST(LoadedModule, RefusesSegmentsWithAGap) {
  auto module = LoadedModule::load(FIXTURE_SEGMENTGAP);
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().message(), std::string(FIXTURE_SEGMENTGAP) +
                                          ": invalid module: malformed function segment at "
                                          "function 10");
}

// A fresh directory for files made by one test.
class ScratchDir {
public:
  ScratchDir() {
    std::string pattern = testing::TempDir() + "loaded-module-XXXXXX";
    if (!::mkdtemp(pattern.data())) std::abort();
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string file(const std::string &name) const { return (path_ / name).string(); }

private:
  fs::path path_;
};

std::string contentsOf(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Before the loader read the file itself, dlopen mapped segments the file
// does not hold and died of SIGBUS on touching them.
TEST(LoadedModule, RefusesTruncatedArtifact) {
  ScratchDir dir;
  std::string whole = contentsOf(FIXTURE_BASIC);
  // The fixture's loadable segments end past 40000 bytes (the rest is debug
  // information).
  ASSERT_GT(whole.size(), 45000u);
  for (size_t size : {64, 100, 4096, 20000, 40000}) {
    std::string path = dir.file("truncated-" + std::to_string(size) + ".so");
    writeFile(path, whole.substr(0, size));
    auto module = LoadedModule::load(path);
    ASSERT_FALSE(module) << size;
    EXPECT_EQ(module.error().message().rfind(path + ": not a lucetc artifact (", 0), 0u)
        << module.error().message();
  }
  std::string path = dir.file("short.so");
  writeFile(path, whole.substr(0, 20000));
  auto module = LoadedModule::load(path);
  ASSERT_FALSE(module);
  EXPECT_NE(module.error().message().find("lies past the end of the file"), std::string::npos)
      << module.error().message();
}

TEST(LoadedModule, NeverRunsCodeOfAForeignLibrary) {
  ScratchDir dir;
  std::string marker = dir.file("marker");
  ::setenv("LUCET_TEST_CONSTRUCTOR_MARKER", marker.c_str(), 1);
  auto module = LoadedModule::load(FIXTURE_CONSTRUCTOR);
  ::unsetenv("LUCET_TEST_CONSTRUCTOR_MARKER");
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().message(),
            std::string(FIXTURE_CONSTRUCTOR) +
                ": not a lucetc artifact (no lucet_module_record_v1 symbol)");
  EXPECT_FALSE(fs::exists(marker)) << "the library's constructor ran";
}

TEST(LoadedModule, RefusesFilesThatAreNotSharedObjects) {
  ScratchDir dir;
  writeFile(dir.file("empty.so"), "");
  writeFile(dir.file("text.so"), "#!/bin/sh\necho hello\n");
  struct Case {
    std::string path, message;
  };
  for (const auto &c : {Case{dir.file(""), "is a directory, not a regular file"},
                        Case{dir.file("empty.so"), "an empty file, not an ELF shared object"},
                        Case{dir.file("text.so"), "not an ELF file"}}) {
    auto module = LoadedModule::load(c.path);
    ASSERT_FALSE(module) << c.path;
    EXPECT_NE(module.error().message().find(c.message), std::string::npos)
        << module.error().message();
    EXPECT_EQ(module.error().message().rfind(c.path + ": ", 0), 0u) << module.error().message();
  }
}

// Each header field the loader relies on, changed in a copy of a good artifact.
TEST(LoadedModule, RefusesElfHeadersForOtherTargets) {
  ScratchDir dir;
  std::string whole = contentsOf(FIXTURE_BASIC);
  struct Case {
    size_t offset;
    char value;
    const char *message;
  };
  for (const auto &c : {Case{4, 1, "not a 64-bit ELF file"}, Case{5, 2, "not a little-endian"},
                        Case{16, 2, "not a shared object (ELF type 2)"},
                        Case{18, char(183), "built for another machine (ELF machine 183)"},
                        Case{54, 32, "bad program header size"}}) {
    std::string bytes = whole;
    bytes[c.offset] = c.value;
    std::string path = dir.file("patched.so");
    writeFile(path, bytes);
    auto module = LoadedModule::load(path);
    ASSERT_FALSE(module) << c.message;
    EXPECT_NE(module.error().message().find(c.message), std::string::npos)
        << module.error().message();
  }
}

// The loader reads notes from where the segments put them in memory.
TEST(LoadedModule, RefusesNotesOutsideTheLoadedSegments) {
  ScratchDir dir;
  std::string bytes = contentsOf(FIXTURE_BASIC);
  Elf64_Ehdr header;
  std::memcpy(&header, bytes.data(), sizeof header);
  bool patched = false;
  for (size_t i = 0; i < header.e_phnum; ++i) {
    size_t at = header.e_phoff + i * sizeof(Elf64_Phdr);
    Elf64_Phdr ph;
    std::memcpy(&ph, bytes.data() + at, sizeof ph);
    if (ph.p_type != PT_NOTE) continue;
    ph.p_vaddr = ph.p_paddr = 0x7fff00000000;
    std::memcpy(bytes.data() + at, &ph, sizeof ph);
    patched = true;
  }
  ASSERT_TRUE(patched) << "the fixture has no PT_NOTE";
  std::string path = dir.file("note.so");
  writeFile(path, bytes);
  auto module = LoadedModule::load(path);
  ASSERT_FALSE(module);
  EXPECT_NE(module.error().message().find("lies outside the loadable segments"), std::string::npos)
      << module.error().message();
}

// Opening a FIFO for reading used to wait for a writer forever.
TEST(LoadedModule, RefusesFifoWithoutBlocking) {
  ScratchDir dir;
  std::string fifo = dir.file("module.so");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto result = std::async(std::launch::async, [&] { return LoadedModule::load(fifo); });
  if (result.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    ADD_FAILURE() << "LoadedModule::load blocked on a FIFO";
    // Unblock it so that the test can end.
    std::ofstream unblock(fifo);
  }
  auto module = result.get();
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().message(), fifo + ": is a FIFO, not a regular file");
}

// The same file loaded twice, and other modules loaded after one of the two
// is gone, each get their own code: the loader matches objects by name and
// descriptor numbers are reused.
TEST(LoadedModule, LoadsTheFileItWasGivenEvenAfterReuse) {
  auto first = LoadedModule::load(FIXTURE_BASIC);
  ASSERT_TRUE(first) << first.error().message();
  auto second = LoadedModule::load(FIXTURE_BASIC);
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ((*first)->functionCode(1), (*second)->functionCode(1));
  second->reset();
  auto other = LoadedModule::load(FIXTURE_OOBDATA);
  ASSERT_TRUE(other) << other.error().message();
  EXPECT_NE((*other)->functionCode(1), (*first)->functionCode(1));
  EXPECT_NE(&(*other)->record(), &(*first)->record());
}

} // namespace
