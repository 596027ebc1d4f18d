#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "ember/distributed/errors.h"
#include "ember/distributed/store.h"
#include "ember/distributed/store_values.h"

namespace ember::distributed {

struct HashStore::State {
  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::string, Bytes> values;
};

HashStore::HashStore(Duration timeout) : Store(timeout), state_(std::make_unique<State>()) {}

HashStore::~HashStore() = default;

void HashStore::set(const std::string& key, const Bytes& value) {
  {
    std::lock_guard lock(state_->mutex);
    state_->values[key] = value;
  }
  state_->changed.notify_all();
}

Bytes HashStore::get(const std::string& key) {
  wait({key});
  std::lock_guard lock(state_->mutex);
  return state_->values.at(key);
}

int64_t HashStore::add(const std::string& key, int64_t amount) {
  int64_t result = 0;
  {
    std::lock_guard lock(state_->mutex);
    Bytes& value = state_->values[key];
    result = parse_store_integer("HashStore.add", key, value) + amount;
    value = integer_store_value(result);
  }
  state_->changed.notify_all();
  return result;
}

Bytes HashStore::compare_set(const std::string& key, const Bytes& expected, const Bytes& desired) {
  Bytes result;
  {
    std::lock_guard lock(state_->mutex);
    auto found = state_->values.find(key);
    if (found == state_->values.end()) {
      if (!expected.empty()) return expected;
      state_->values[key] = desired;
      result = desired;
    } else {
      if (found->second == expected) found->second = desired;
      result = found->second;
    }
  }
  state_->changed.notify_all();
  return result;
}

bool HashStore::delete_key(const std::string& key) {
  std::lock_guard lock(state_->mutex);
  return state_->values.erase(key) > 0;
}

bool HashStore::check(const std::vector<std::string>& keys) {
  std::lock_guard lock(state_->mutex);
  for (const std::string& key : keys) {
    if (state_->values.count(key) == 0) return false;
  }
  return true;
}

int64_t HashStore::num_keys() {
  std::lock_guard lock(state_->mutex);
  return static_cast<int64_t>(state_->values.size());
}

void HashStore::wait(const std::vector<std::string>& keys, Duration timeout) {
  std::unique_lock lock(state_->mutex);
  const bool present = state_->changed.wait_for(lock, timeout, [&] {
    for (const std::string& key : keys) {
      if (state_->values.count(key) == 0) return false;
    }
    return true;
  });
  if (!present) raise_store_timeout("HashStore.wait", keys, timeout);
}

}  // namespace ember::distributed
