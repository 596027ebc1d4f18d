// What every store shares: the decimal text of add()'s counters (PyTorch's stores keep them as
// text too, so a counter reads back with get()) and the timeout error's wording.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ember/distributed/store.h"

namespace ember::distributed {

// The counter at `key` (0 when `value` is empty); ValueError when it is not a decimal integer.
int64_t parse_store_integer(const char* op, const std::string& key, const Bytes& value);
Bytes integer_store_value(int64_t value);
// DistStoreError "[op] keys 'a', 'b' not set within N ms".
[[noreturn]] void raise_store_timeout(const char* op, const std::vector<std::string>& keys,
                                      Duration timeout);

}  // namespace ember::distributed
