#include "ember/distributed/store_values.h"

#include <charconv>
#include <sstream>

#include "ember/distributed/errors.h"

namespace ember::distributed {

int64_t parse_store_integer(const char* op, const std::string& key, const Bytes& value) {
  if (value.empty()) return 0;
  const char* begin = reinterpret_cast<const char*>(value.data());
  const char* end = begin + value.size();
  int64_t parsed = 0;
  const auto [stop, error] = std::from_chars(begin, end, parsed);
  EMBER_CHECK_VALUE(error == std::errc() && stop == end, "[", op, "] the value of key '", key,
                    "' is not an integer counter (", value.size(), " bytes)");
  return parsed;
}

Bytes integer_store_value(int64_t value) {
  const std::string text = std::to_string(value);
  return Bytes(text.begin(), text.end());
}

void raise_store_timeout(const char* op, const std::vector<std::string>& keys, Duration timeout) {
  std::ostringstream names;
  for (size_t i = 0; i < keys.size(); ++i) names << (i ? ", '" : "'") << keys[i] << "'";
  detail::raise<DistStoreError>("[", op, "] ", keys.size() == 1 ? "key " : "keys ", names.str(),
                                " not set within ", timeout.count(), " ms (the store's timeout)");
}

}  // namespace ember::distributed
