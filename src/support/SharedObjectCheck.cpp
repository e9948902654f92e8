#include "support/SharedObjectCheck.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <elf.h>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace lucet {
namespace {

#if defined(__x86_64__)
constexpr uint16_t HostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr uint16_t HostMachine = EM_AARCH64;
#else
#error "unsupported host architecture"
#endif

// No file offset, address or size in the file is trusted: every read goes
// through here, and sums are checked for overflow before they are compared.
class FileBytes {
public:
  FileBytes(int fd, uint64_t size) : fd_(fd), size_(size) {}

  uint64_t size() const { return size_; }

  bool holds(uint64_t offset, uint64_t count) const {
    return offset <= size_ && count <= size_ - offset;
  }

  Status read(uint64_t offset, void *out, size_t count, std::string_view what) const {
    if (!holds(offset, count))
      return Error::format("{} (bytes {:#x}-{:#x}) lies past the end of the file ({:#x} bytes)",
                           what, offset, offset + count, size_);
    auto *bytes = static_cast<uint8_t *>(out);
    size_t done = 0;
    while (done < count) {
      ssize_t n = ::pread(fd_, bytes + done, count - done, off_t(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Error::format("cannot read {}: {}", what, std::strerror(errno));
      // The file shrank since fstat.
      if (n == 0) return Error::format("cannot read {}: the file is shorter than it was", what);
      done += size_t(n);
    }
    return Status::ok();
  }

  template <typename T> Expected<T> read(uint64_t offset, std::string_view what) const {
    T value;
    LUCET_TRY(read(offset, &value, sizeof value, what));
    return value;
  }

private:
  int fd_;
  uint64_t size_;
};

// The loadable segments, which say where an address of the object lies in
// the file and in memory.
class Segments {
public:
  void add(const Elf64_Phdr &ph) { loads_.push_back(ph); }
  bool empty() const { return loads_.empty(); }

  // The file offset of [address, address + count) when one segment's file
  // bytes hold all of it.
  std::optional<uint64_t> fileOffset(uint64_t address, uint64_t count) const {
    for (const auto &ph : loads_) {
      if (address < ph.p_vaddr) continue;
      uint64_t delta = address - ph.p_vaddr;
      if (delta <= ph.p_filesz && count <= ph.p_filesz - delta) return ph.p_offset + delta;
    }
    return std::nullopt;
  }

  // Whether one segment's memory (file bytes and zero fill) holds all of it.
  bool inMemory(uint64_t address, uint64_t count) const {
    for (const auto &ph : loads_) {
      if (address < ph.p_vaddr) continue;
      uint64_t delta = address - ph.p_vaddr;
      if (delta <= ph.p_memsz && count <= ph.p_memsz - delta) return true;
    }
    return false;
  }

private:
  std::vector<Elf64_Phdr> loads_;
};

struct DynamicInfo {
  uint64_t symtab = 0, strtab = 0, strsz = 0, syment = sizeof(Elf64_Sym);
  uint64_t gnuHash = 0, hash = 0;
  bool hasSymtab = false, hasStrtab = false, hasGnuHash = false, hasHash = false;
  uint64_t rela = 0, relasz = 0, jmprel = 0, pltrelsz = 0;
  bool hasRela = false, hasJmprel = false;
};

class Checker {
public:
  Checker(const FileBytes &file, std::string_view symbol, uint64_t symbolSize)
      : file_(file), symbol_(symbol), symbolSize_(symbolSize) {}

  Status run() {
    LUCET_TRY(checkHeader());
    LUCET_TRY(checkProgramHeaders());
    LUCET_TRY(readDynamic());
    LUCET_TRY(checkRelocations(info_.hasRela, info_.rela, info_.relasz, "DT_RELA"));
    LUCET_TRY(checkRelocations(info_.hasJmprel, info_.jmprel, info_.pltrelsz, "DT_JMPREL"));
    return findSymbol();
  }

private:
  Status checkHeader() {
    if (file_.size() == 0) return Error("an empty file, not an ELF shared object");
    unsigned char ident[EI_NIDENT] = {};
    size_t identSize = size_t(std::min<uint64_t>(file_.size(), EI_NIDENT));
    LUCET_TRY(file_.read(0, ident, identSize, "the ELF identification"));
    if (identSize < SELFMAG || std::memcmp(ident, ELFMAG, SELFMAG) != 0)
      return Error("not an ELF file");
    if (file_.size() < sizeof(Elf64_Ehdr))
      return Error::format("truncated: {} bytes, too short for an ELF header", file_.size());
    if (ident[EI_CLASS] != ELFCLASS64) return Error("not a 64-bit ELF file");
    if (ident[EI_DATA] != ELFDATA2LSB) return Error("not a little-endian ELF file");
    if (ident[EI_VERSION] != EV_CURRENT) return Error("unknown ELF version");
    LUCET_ASSIGN_OR_RETURN(header, file_.read<Elf64_Ehdr>(0, "the ELF header"));
    if (header.e_type != ET_DYN)
      return Error::format("not a shared object (ELF type {})", header.e_type);
    if (header.e_machine != HostMachine)
      return Error::format("built for another machine (ELF machine {})", header.e_machine);
    if (header.e_phentsize != sizeof(Elf64_Phdr))
      return Error::format("bad program header size {}", header.e_phentsize);
    if (header.e_phnum == 0 || header.e_phnum == PN_XNUM)
      return Error::format("bad program header count {}", header.e_phnum);
    header_ = header;
    return Status::ok();
  }

  Status checkProgramHeaders() {
    uint64_t tableSize = uint64_t(header_.e_phnum) * sizeof(Elf64_Phdr);
    if (!file_.holds(header_.e_phoff, tableSize))
      return Error::format("truncated: the program headers (bytes {:#x}-{:#x}) lie past the end "
                           "of the file ({:#x} bytes)",
                           header_.e_phoff, header_.e_phoff + tableSize, file_.size());
    std::vector<Elf64_Phdr> headers(header_.e_phnum);
    LUCET_TRY(file_.read(header_.e_phoff, headers.data(), tableSize, "the program headers"));
    bool haveDynamic = false;
    for (size_t i = 0; i < headers.size(); ++i) {
      const Elf64_Phdr &ph = headers[i];
      if (!file_.holds(ph.p_offset, ph.p_filesz))
        return Error::format("truncated: segment {} (bytes {:#x}-{:#x}) lies past the end of the "
                             "file ({:#x} bytes)",
                             i, ph.p_offset, ph.p_offset + ph.p_filesz, file_.size());
      if (ph.p_type == PT_LOAD) {
        if (ph.p_filesz > ph.p_memsz)
          return Error::format("segment {} has more file bytes than memory", i);
        if (ph.p_vaddr + ph.p_memsz < ph.p_vaddr)
          return Error::format("segment {} wraps around the address space", i);
        segments_.add(ph);
      } else if (ph.p_type == PT_DYNAMIC) {
        if (haveDynamic) return Error("more than one dynamic section");
        haveDynamic = true;
        dynamic_ = ph;
      }
    }
    if (segments_.empty()) return Error("no loadable segment");
    // The loader reads these from memory once the segments are mapped.
    for (size_t i = 0; i < headers.size(); ++i) {
      const Elf64_Phdr &ph = headers[i];
      bool readInMemory = ph.p_type == PT_NOTE || ph.p_type == PT_GNU_PROPERTY ||
                          ph.p_type == PT_TLS || ph.p_type == PT_DYNAMIC;
      if (readInMemory && !segments_.inMemory(ph.p_vaddr, ph.p_filesz))
        return Error::format("segment {} lies outside the loadable segments", i);
    }
    if (!haveDynamic) return Error("no dynamic section");
    return Status::ok();
  }

  Status readDynamic() {
    // The loader reads the dynamic section from memory, so it must be loaded
    // from the file.
    uint64_t count = dynamic_.p_filesz / sizeof(Elf64_Dyn);
    if (count == 0 || !segments_.fileOffset(dynamic_.p_vaddr, count * sizeof(Elf64_Dyn)))
      return Error("the dynamic section lies outside the loadable segments");
    std::vector<Elf64_Dyn> entries(static_cast<size_t>(count));
    LUCET_TRY(file_.read(dynamic_.p_offset, entries.data(), entries.size() * sizeof(Elf64_Dyn),
                         "the dynamic section"));
    struct Table {
      int64_t addressTag, sizeTag;
      const char *name;
    };
    for (const Elf64_Dyn &d : entries) {
      if (d.d_tag == DT_NULL) break;
      uint64_t v = d.d_un.d_val;
      switch (d.d_tag) {
      case DT_SYMTAB:
        info_.symtab = v, info_.hasSymtab = true;
        break;
      case DT_STRTAB:
        info_.strtab = v, info_.hasStrtab = true;
        break;
      case DT_STRSZ:
        info_.strsz = v;
        break;
      case DT_SYMENT:
        info_.syment = v;
        break;
      case DT_GNU_HASH:
        info_.gnuHash = v, info_.hasGnuHash = true;
        break;
      case DT_HASH:
        info_.hash = v, info_.hasHash = true;
        break;
      case DT_RELA:
        info_.rela = v, info_.hasRela = true;
        break;
      case DT_RELASZ:
        info_.relasz = v;
        break;
      case DT_JMPREL:
        info_.jmprel = v, info_.hasJmprel = true;
        break;
      case DT_PLTRELSZ:
        info_.pltrelsz = v;
        break;
      default:
        break;
      }
    }
    // Tables whose extent is known are checked below with their sizes; the
    // rest must at least start in the file.
    for (const Elf64_Dyn &d : entries) {
      if (d.d_tag == DT_NULL) break;
      for (const Table &t :
           {Table{DT_INIT_ARRAY, DT_INIT_ARRAYSZ, "DT_INIT_ARRAY"},
            Table{DT_FINI_ARRAY, DT_FINI_ARRAYSZ, "DT_FINI_ARRAY"},
            Table{DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ, "DT_PREINIT_ARRAY"},
            Table{DT_REL, DT_RELSZ, "DT_REL"}, Table{DT_RELR, DT_RELRSZ, "DT_RELR"},
            Table{DT_VERSYM, 0, "DT_VERSYM"}, Table{DT_VERDEF, 0, "DT_VERDEF"},
            Table{DT_VERNEED, 0, "DT_VERNEED"}}) {
        if (d.d_tag != t.addressTag) continue;
        uint64_t size = 1;
        for (const Elf64_Dyn &s : entries) {
          if (s.d_tag == DT_NULL) break;
          if (t.sizeTag != 0 && s.d_tag == t.sizeTag) size = s.d_un.d_val;
        }
        if (!segments_.inMemory(d.d_un.d_ptr, size))
          return Error::format("{} lies outside the loadable segments", t.name);
      }
    }
    if (info_.hasStrtab && !segments_.fileOffset(info_.strtab, info_.strsz))
      return Error("the dynamic string table lies outside the loadable segments");
    if (info_.syment != sizeof(Elf64_Sym))
      return Error::format("bad dynamic symbol size {}", info_.syment);
    return Status::ok();
  }

  Status checkRelocations(bool present, uint64_t address, uint64_t size, const char *name) {
    if (!present) return Status::ok();
    if (size % sizeof(Elf64_Rela) != 0)
      return Error::format("{}: size {} is not a whole number of relocations", name, size);
    auto offset = segments_.fileOffset(address, size);
    if (!offset) return Error::format("{} lies outside the loadable segments", name);
    constexpr size_t Batch = 512;
    Elf64_Rela batch[Batch];
    for (uint64_t done = 0, total = size / sizeof(Elf64_Rela); done < total;) {
      size_t n = size_t(std::min<uint64_t>(Batch, total - done));
      LUCET_TRY(file_.read(*offset + done * sizeof(Elf64_Rela), batch, n * sizeof(Elf64_Rela),
                           "the relocations"));
      for (size_t i = 0; i < n; ++i)
        if (!segments_.inMemory(batch[i].r_offset, sizeof(uint64_t)))
          return Error::format("relocation {} of {} patches memory outside the loadable segments",
                               done + i, name);
      done += n;
    }
    return Status::ok();
  }

  // Reads 32-bit words of a hash table at `address` + 4 * index.
  Expected<uint32_t> hashWord(uint64_t address, uint64_t index) {
    if (index > file_.size())
      return Error("the dynamic symbol hash table lies outside the loadable segments");
    auto offset = segments_.fileOffset(address + 4 * index, 4);
    if (!offset) return Error("the dynamic symbol hash table lies outside the loadable segments");
    return file_.read<uint32_t>(*offset, "the dynamic symbol hash table");
  }

  // Whether symbol `index` is the one we look for.
  Expected<bool> symbolMatches(uint64_t index) {
    if (index > file_.size() / sizeof(Elf64_Sym)) return Error("dynamic symbol index out of range");
    auto offset = segments_.fileOffset(info_.symtab + index * sizeof(Elf64_Sym), sizeof(Elf64_Sym));
    if (!offset) return Error("the dynamic symbol table lies outside the loadable segments");
    LUCET_ASSIGN_OR_RETURN(sym, file_.read<Elf64_Sym>(*offset, "a dynamic symbol"));
    if (sym.st_name >= info_.strsz) return Error("dynamic symbol name out of range");
    if (symbol_.size() >= info_.strsz - sym.st_name) return false;
    std::string name(symbol_.size() + 1, '\0');
    LUCET_TRY(file_.read(*segments_.fileOffset(info_.strtab, info_.strsz) + sym.st_name,
                         name.data(), name.size(), "a dynamic symbol name"));
    if (name.back() != '\0' || std::string_view(name.data(), symbol_.size()) != symbol_)
      return false;
    if (sym.st_shndx == SHN_UNDEF || sym.st_value == 0) return false;
    unsigned bind = ELF64_ST_BIND(sym.st_info);
    if (bind != STB_GLOBAL && bind != STB_WEAK) return false;
    if (!segments_.inMemory(sym.st_value, symbolSize_))
      return Error::format("the {} symbol lies outside the loadable segments", symbol_);
    return true;
  }

  // The lookup dlsym does with DT_GNU_HASH, bloom filter included, so that
  // both agree on whether the symbol is there.
  Expected<bool> findWithGnuHash() {
    uint32_t h = 5381;
    for (char c : symbol_) h = h * 33 + uint8_t(c);
    LUCET_ASSIGN_OR_RETURN(numBuckets, hashWord(info_.gnuHash, 0));
    LUCET_ASSIGN_OR_RETURN(symOffset, hashWord(info_.gnuHash, 1));
    LUCET_ASSIGN_OR_RETURN(bloomWords, hashWord(info_.gnuHash, 2));
    LUCET_ASSIGN_OR_RETURN(bloomShift, hashWord(info_.gnuHash, 3));
    if (numBuckets == 0) return false;
    // The loader masks the bloom index with bloomWords - 1.
    if (bloomWords == 0 || (bloomWords & (bloomWords - 1)) != 0)
      return Error("bad dynamic symbol hash table (bloom filter size)");
    uint64_t bloomIndex = (h / 64) & (bloomWords - 1);
    LUCET_ASSIGN_OR_RETURN(lo, hashWord(info_.gnuHash, 4 + 2 * bloomIndex));
    LUCET_ASSIGN_OR_RETURN(hi, hashWord(info_.gnuHash, 4 + 2 * bloomIndex + 1));
    uint64_t word = uint64_t(hi) << 32 | lo;
    if (((word >> (h % 64)) & (word >> ((h >> (bloomShift % 32)) % 64)) & 1) == 0) return false;
    uint64_t buckets = 4 + 2 * uint64_t(bloomWords);
    LUCET_ASSIGN_OR_RETURN(first, hashWord(info_.gnuHash, buckets + h % numBuckets));
    if (first == 0) return false;
    if (first < symOffset) return Error("bad dynamic symbol hash table (bucket)");
    uint64_t chain = buckets + numBuckets;
    for (uint64_t i = first;; ++i) {
      LUCET_ASSIGN_OR_RETURN(value, hashWord(info_.gnuHash, chain + (i - symOffset)));
      if ((value | 1) == (h | 1)) {
        LUCET_ASSIGN_OR_RETURN(match, symbolMatches(i));
        if (match) return true;
      }
      if (value & 1) return false;
    }
  }

  Expected<bool> findWithSysvHash() {
    uint32_t h = 0;
    for (char c : symbol_) {
      h = (h << 4) + uint8_t(c);
      uint32_t g = h & 0xf0000000;
      h ^= g >> 24;
      h &= ~g;
    }
    LUCET_ASSIGN_OR_RETURN(numBuckets, hashWord(info_.hash, 0));
    LUCET_ASSIGN_OR_RETURN(numChain, hashWord(info_.hash, 1));
    if (numBuckets == 0) return false;
    LUCET_ASSIGN_OR_RETURN(first, hashWord(info_.hash, 2 + h % numBuckets));
    uint64_t steps = 0;
    for (uint32_t i = first; i != STN_UNDEF;) {
      if (i >= numChain || ++steps > numChain)
        return Error("bad dynamic symbol hash table (chain)");
      LUCET_ASSIGN_OR_RETURN(match, symbolMatches(i));
      if (match) return true;
      LUCET_ASSIGN_OR_RETURN(next, hashWord(info_.hash, 2 + uint64_t(numBuckets) + i));
      i = next;
    }
    return false;
  }

  Status findSymbol() {
    auto missing = [&] { return Error::format("no {} symbol", symbol_); };
    if (!info_.hasSymtab || !info_.hasStrtab || (!info_.hasGnuHash && !info_.hasHash))
      return missing();
    // The loader prefers DT_GNU_HASH when there is one.
    Expected<bool> found = info_.hasGnuHash ? findWithGnuHash() : findWithSysvHash();
    if (!found) return found.takeError();
    if (!*found) return missing();
    return Status::ok();
  }

  const FileBytes &file_;
  std::string_view symbol_;
  uint64_t symbolSize_;
  Elf64_Ehdr header_ = {};
  Elf64_Phdr dynamic_ = {};
  Segments segments_;
  DynamicInfo info_;
};

} // namespace

Status checkSharedObject(int fd, std::string_view symbol, uint64_t symbolSize) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return Error::format("cannot stat: {}", std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return Error("not a regular file");
  FileBytes file(fd, uint64_t(st.st_size));
  return Checker(file, symbol, symbolSize).run();
}

} // namespace lucet
