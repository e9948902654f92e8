# Sourced by scripts/fuzz.sh (and usable by hand) for anything built with
# LUCET_SANITIZE=ON: the sanitizer options under which the runtime works.
#
# The runtime installs its own SIGSEGV/SIGBUS/SIGFPE/SIGILL handlers (guest
# traps are faults) and runs guests on stacks of its own, so ASan must not
# take those signals, must chain to a handler installed after it, and must
# not keep fake stack frames that a trap would unwind past.
export ASAN_OPTIONS="${ASAN_OPTIONS:-handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:allow_user_segv_handler=1:detect_stack_use_after_return=0:detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
