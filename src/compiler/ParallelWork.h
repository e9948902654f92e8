#pragma once

#include "support/Expected.h"

#include <cstddef>
#include <cstdint>
#include <functional>

namespace lucet::compiler {

// How forEachItem runs its workers.
//
// Threads share everything and suit any caller. Processes (this one and
// forked copies of it) are for a caller with no other threads, since fork
// copies the calling thread only; a copy ends with _exit, so what work()
// does there survives only in files. They are what lucetc uses: on the
// two-vCPU machines this project is measured on, two threads compiling in
// one address space each ran 25% slower than one alone, while two
// processes ran at full speed (each thread's page-table changes cost the
// other; see bench/RESULTS.md).
enum class Workers { Threads, Processes };

// Runs work(k) for every k in [0, count) on `workers` workers (this thread
// among them), each taking the next k from a counter they share, until all
// are done or one fails. Returns the error of the smallest k that failed,
// or, with processes, an error naming a copy that died. progress(done) is
// called one call at a time with the sum of weight(k) over the items done
// so far: from any worker thread, or, with processes, from this thread.
Status forEachItem(size_t count, unsigned workers, Workers kind,
                   const std::function<Status(size_t k)> &work,
                   const std::function<uint64_t(size_t k)> &weight,
                   const std::function<void(uint64_t done)> &progress);

} // namespace lucet::compiler
