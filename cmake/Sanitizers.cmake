# Sanitized and fuzzing builds of the project's own C and C++ code.
#
# LUCET_SANITIZE: AddressSanitizer + UndefinedBehaviorSanitizer everywhere
# (compile and link), with UB made fatal so that a fuzzer stops on it. The
# wasm guests are compiled by custom commands that never see these options,
# and the code lucetc generates is LLVM IR of our own making, so neither is
# instrumented: only the compiler, runtime and WASI C++ is.
#
# LUCET_FUZZ: additionally -fsanitize=fuzzer-no-link for coverage feedback,
# and the libFuzzer targets of fuzz/ are built (they link -fsanitize=fuzzer).
#
# The runtime owns SIGSEGV/SIGBUS/SIGFPE/SIGILL and runs guests on its own
# stacks: ASan must be told to leave those alone (docs/fuzzing.md,
# scripts/fuzz.sh give the ASAN_OPTIONS).

option(LUCET_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(LUCET_FUZZ "Build the libFuzzer targets (needs LUCET_SANITIZE and clang)" OFF)

if(LUCET_FUZZ)
  if(NOT LUCET_SANITIZE)
    message(FATAL_ERROR "LUCET_FUZZ=ON needs LUCET_SANITIZE=ON")
  endif()
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "LUCET_FUZZ=ON needs clang (libFuzzer), not ${CMAKE_CXX_COMPILER_ID}")
  endif()
endif()

if(LUCET_SANITIZE)
  set(LUCET_SANITIZER_FLAGS
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_compile_options(
    "$<$<COMPILE_LANGUAGE:C,CXX>:${LUCET_SANITIZER_FLAGS}>")
  add_link_options(${LUCET_SANITIZER_FLAGS})
  # The public shared libraries link with --no-undefined, but the sanitizer
  # runtimes come with the executable: fuzz/CMakeLists.txt (read after
  # src/api) drops that flag from them in this configuration.
endif()

if(LUCET_FUZZ)
  add_compile_options("$<$<COMPILE_LANGUAGE:C,CXX>:-fsanitize=fuzzer-no-link>")
endif()

# For code that stands in for lucetc's output (the runtime tests' hand-made
# fixture modules): it faults and divides by zero on purpose, as generated
# code does, so it must not be instrumented.
function(lucet_unsanitized target)
  if(LUCET_SANITIZE)
    target_compile_options(${target} PRIVATE -fno-sanitize=all)
  endif()
endfunction()
