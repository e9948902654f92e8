/* Symbol visibility for the public libraries: internals are hidden, and only
 * what is marked LUCET_API is part of the ABI of liblucet.so. Usable from C
 * and C++. */
#ifndef LUCET_EXPORT_H
#define LUCET_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define LUCET_API __attribute__((visibility("default")))
#else
#define LUCET_API
#endif

#endif
