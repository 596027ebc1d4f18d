// The one assertion the cpp_api programs share: a failed check prints where and exits non-zero,
// which fails the program's ctest entry.
#pragma once

#include <cstdlib>
#include <iostream>

#define CHECK(condition)                                                              \
  do {                                                                                \
    if (!(condition)) {                                                               \
      std::cerr << __FILE__ << ":" << __LINE__ << ": check failed: " #condition "\n"; \
      std::exit(1);                                                                   \
    }                                                                                 \
  } while (0)
