#pragma once

#include "support/Expected.h"

#include <cstddef>
#include <cstdint>
#include <functional>

namespace lucet::compiler {

// Runs work(k) for every k in [0, count) on `workers` processes: this one
// and workers - 1 forked copies of it, each taking the next k from a counter
// they share, until all are done or one fails. work() leaves its results in
// files; a forked copy ends with _exit, so nothing else it does survives it.
// Returns the error of the smallest k that failed (as its message), or an
// error naming a copy that died. progress(done) is called in this process,
// from this thread, with the sum of weight(k) over the items done so far,
// as they finish.
//
// Separate processes rather than threads: on the two-vCPU machines this
// project is measured on, two threads compiling in one address space each
// ran 25% slower than one alone, while two processes ran at full speed (each
// thread's page-table changes cost the other; see bench/RESULTS.md). Only
// for a caller with no other threads: fork copies the calling thread only.
Status forEachInWorkerProcesses(size_t count, unsigned workers,
                                const std::function<Status(size_t k)> &work,
                                const std::function<uint64_t(size_t k)> &weight,
                                const std::function<void(uint64_t done)> &progress);

} // namespace lucet::compiler
