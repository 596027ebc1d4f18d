#include <utility>

#include "ember/base/error.h"
#include "ember/distributed/store.h"

namespace ember::distributed {

PrefixStore::PrefixStore(std::string prefix, std::shared_ptr<Store> base)
    : Store(base ? base->timeout() : kDefaultTimeout),
      prefix_(std::move(prefix)),
      base_(std::move(base)) {
  EMBER_CHECK_VALUE(base_ != nullptr, "[PrefixStore] needs a store to prefix; got none");
}

std::string PrefixStore::prefixed(const std::string& key) const { return prefix_ + "/" + key; }

void PrefixStore::set(const std::string& key, const Bytes& value) {
  base_->set(prefixed(key), value);
}

Bytes PrefixStore::get(const std::string& key) {
  // The prefix store's own timeout, which may differ from the base's.
  base_->wait({prefixed(key)}, timeout());
  return base_->get(prefixed(key));
}

int64_t PrefixStore::add(const std::string& key, int64_t amount) {
  return base_->add(prefixed(key), amount);
}

Bytes PrefixStore::compare_set(const std::string& key, const Bytes& expected,
                               const Bytes& desired) {
  return base_->compare_set(prefixed(key), expected, desired);
}

bool PrefixStore::delete_key(const std::string& key) { return base_->delete_key(prefixed(key)); }

bool PrefixStore::check(const std::vector<std::string>& keys) {
  std::vector<std::string> full;
  full.reserve(keys.size());
  for (const std::string& key : keys) full.push_back(prefixed(key));
  return base_->check(full);
}

int64_t PrefixStore::num_keys() { return base_->num_keys(); }

void PrefixStore::wait(const std::vector<std::string>& keys, Duration timeout) {
  std::vector<std::string> full;
  full.reserve(keys.size());
  for (const std::string& key : keys) full.push_back(prefixed(key));
  base_->wait(full, timeout);
}

}  // namespace ember::distributed
