// The compiled part of {fmt} (its formatting functions), built into the
// project's libraries instead of loading libfmt.so: every shared library a
// program loads costs it start-up time, and libfmt.so also brings in
// libstdc++.so, which lucet-wasi links statically (bench/RESULTS.md,
// start-up). Debian's libfmt-dev ships the headers this needs; the header
// that defines the functions is format-inl.h, and format.h declares the
// two templates below as instantiated elsewhere.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {
template auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template auto decimal_point_impl(locale_ref) -> char;
} // namespace detail
FMT_END_NAMESPACE
