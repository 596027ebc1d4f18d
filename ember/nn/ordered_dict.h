// libtorch's torch::OrderedDict: a map that remembers insertion order, whose items have key() and
// value(). Modules keep their parameters, buffers and children in one, and named_parameters()
// returns one: `for (const auto& item : net->named_parameters()) item.key(); item.value();`.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ember/base/error.h"

namespace ember {

template <typename Key, typename Value>
class OrderedDict {
 public:
  class Item {
   public:
    Item(Key key, Value value) : pair_(std::move(key), std::move(value)) {}
    Value& operator*() { return value(); }
    const Value& operator*() const { return value(); }
    Value* operator->() { return &value(); }
    const Value* operator->() const { return &value(); }
    const Key& key() const noexcept { return pair_.first; }
    Value& value() noexcept { return pair_.second; }
    const Value& value() const noexcept { return pair_.second; }
    const std::pair<Key, Value>& pair() const noexcept { return pair_; }

   private:
    std::pair<Key, Value> pair_;
  };

  using Iterator = typename std::vector<Item>::iterator;
  using ConstIterator = typename std::vector<Item>::const_iterator;

  // key_description names keys in errors: "Parameter 'weight' already defined".
  explicit OrderedDict(std::string key_description = "Key")
      : key_description_(std::move(key_description)) {}
  OrderedDict(std::initializer_list<Item> items) {
    for (const Item& item : items) insert(item.key(), item.value());
  }

  const std::string& key_description() const noexcept { return key_description_; }

  Item& front() { return at_index(0); }
  const Item& front() const { return at_index(0); }
  Item& back() { return at_index(size() - 1); }
  const Item& back() const { return at_index(size() - 1); }
  Item& operator[](size_t index) { return at_index(index); }
  const Item& operator[](size_t index) const { return at_index(index); }

  Value& operator[](const Key& key) { return items_[index_of(key)].value(); }
  const Value& operator[](const Key& key) const { return items_[index_of(key)].value(); }
  // Null when the key is absent.
  Value* find(const Key& key) noexcept {
    const auto found = index_.find(key);
    return found == index_.end() ? nullptr : &items_[found->second].value();
  }
  const Value* find(const Key& key) const noexcept {
    const auto found = index_.find(key);
    return found == index_.end() ? nullptr : &items_[found->second].value();
  }
  bool contains(const Key& key) const noexcept { return index_.count(key) != 0; }

  Iterator begin() { return items_.begin(); }
  ConstIterator begin() const { return items_.begin(); }
  Iterator end() { return items_.end(); }
  ConstIterator end() const { return items_.end(); }
  size_t size() const noexcept { return items_.size(); }
  bool is_empty() const noexcept { return items_.empty(); }

  // Adds a new key at the end; an existing key is an error (update() overwrites).
  template <typename K, typename V>
  Value& insert(K&& key, V&& value) {
    EMBER_CHECK(index_.count(key) == 0, "[OrderedDict] ", key_description_, " '", key,
                "' already defined");
    index_.emplace(key, items_.size());
    items_.emplace_back(Key(std::forward<K>(key)), Value(std::forward<V>(value)));
    return items_.back().value();
  }
  Value& insert(Key key, Value&& value) {
    return insert<Key, Value>(std::move(key), std::move(value));
  }
  // Inserts or overwrites each of other's items, in other's order.
  void update(const OrderedDict& other) {
    for (const Item& item : other) {
      if (Value* existing = find(item.key())) {
        *existing = item.value();
      } else {
        insert(item.key(), item.value());
      }
    }
  }
  void erase(const Key& key) {
    const size_t position = index_of(key);
    items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(position));
    index_.erase(key);
    for (auto& entry : index_) {
      if (entry.second > position) --entry.second;
    }
  }
  void clear() {
    index_.clear();
    items_.clear();
  }
  void reserve(size_t capacity) {
    index_.reserve(capacity);
    items_.reserve(capacity);
  }

  const std::vector<Item>& items() const noexcept { return items_; }
  std::vector<Key> keys() const {
    std::vector<Key> result;
    result.reserve(size());
    for (const Item& item : items_) result.push_back(item.key());
    return result;
  }
  std::vector<Value> values() const {
    std::vector<Value> result;
    result.reserve(size());
    for (const Item& item : items_) result.push_back(item.value());
    return result;
  }
  std::vector<std::pair<Key, Value>> pairs() const {
    std::vector<std::pair<Key, Value>> result;
    result.reserve(size());
    for (const Item& item : items_) result.push_back(item.pair());
    return result;
  }

 private:
  size_t index_of(const Key& key) const {
    const auto found = index_.find(key);
    EMBER_CHECK(found != index_.end(), "[OrderedDict] ", key_description_, " '", key,
                "' is not defined");
    return found->second;
  }
  Item& at_index(size_t index) {
    EMBER_CHECK_INDEX(index < items_.size(), "[OrderedDict] index ", index,
                      " is out of range for a dict of ", items_.size(), " items");
    return items_[index];
  }
  const Item& at_index(size_t index) const {
    EMBER_CHECK_INDEX(index < items_.size(), "[OrderedDict] index ", index,
                      " is out of range for a dict of ", items_.size(), " items");
    return items_[index];
  }

  std::unordered_map<Key, size_t> index_;
  std::vector<Item> items_;
  std::string key_description_ = "Key";
};

}  // namespace ember
