// The key-value stores that rendezvous and process groups coordinate through (torch.distributed's
// Store, TCPStore, FileStore, HashStore, PrefixStore). Every blocking call honours the store's
// timeout and raises DistStoreError naming the keys it waited for.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ember/distributed/types.h"

namespace ember::distributed {

using Bytes = std::vector<uint8_t>;

class Store {
 public:
  explicit Store(Duration timeout = kDefaultTimeout) : timeout_(timeout) {}
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  virtual void set(const std::string& key, const Bytes& value) = 0;
  // Blocks until the key exists (up to timeout()), then returns its value.
  virtual Bytes get(const std::string& key) = 0;
  // Adds `amount` to the integer stored at key (0 when absent) and returns the new value.
  virtual int64_t add(const std::string& key, int64_t amount) = 0;
  // Sets key to `desired` if its value is `expected` (or if it is absent and `expected` is
  // empty); returns the value now stored.
  virtual Bytes compare_set(const std::string& key, const Bytes& expected,
                            const Bytes& desired) = 0;
  virtual bool delete_key(const std::string& key) = 0;
  // True when every key exists; never blocks.
  virtual bool check(const std::vector<std::string>& keys) = 0;
  virtual int64_t num_keys() = 0;
  // Blocks until every key exists, up to `timeout`.
  virtual void wait(const std::vector<std::string>& keys, Duration timeout) = 0;
  void wait(const std::vector<std::string>& keys) { wait(keys, timeout_); }

  void set(const std::string& key, const std::string& value) {
    set(key, Bytes(value.begin(), value.end()));
  }
  std::string get_string(const std::string& key) {
    const Bytes value = get(key);
    return std::string(value.begin(), value.end());
  }

  Duration timeout() const { return timeout_; }
  void set_timeout(Duration timeout) { timeout_ = timeout; }

 private:
  Duration timeout_;
};

struct TCPStoreOptions {
  // Port 0 on the master binds any free port (port() tells which).
  uint16_t port = 29500;
  bool is_master = false;
  // When set, the master's constructor waits until this many clients (itself included) joined.
  int world_size = -1;
  bool wait_for_workers = true;
  Duration timeout = kDefaultTimeout;
};

// A store served over TCP by one process (the master, rank 0 in rendezvous) to every other;
// the master is a client of its own server too. The server runs on a thread of the master and
// stops when the master's TCPStore is destroyed.
class TCPStore : public Store {
 public:
  TCPStore(std::string host, const TCPStoreOptions& options);
  ~TCPStore() override;

  void set(const std::string& key, const Bytes& value) override;
  Bytes get(const std::string& key) override;
  int64_t add(const std::string& key, int64_t amount) override;
  Bytes compare_set(const std::string& key, const Bytes& expected, const Bytes& desired) override;
  bool delete_key(const std::string& key) override;
  bool check(const std::vector<std::string>& keys) override;
  int64_t num_keys() override;
  void wait(const std::vector<std::string>& keys, Duration timeout) override;
  using Store::set;
  using Store::wait;

  const std::string& host() const;
  uint16_t port() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A store in one file that every process opens (file:// rendezvous on a shared filesystem).
// Writes append records under an advisory lock; the file is removed when the last of
// `world_size` users destroys its store.
class FileStore : public Store {
 public:
  FileStore(std::string path, int world_size, Duration timeout = kDefaultTimeout);
  ~FileStore() override;

  void set(const std::string& key, const Bytes& value) override;
  Bytes get(const std::string& key) override;
  int64_t add(const std::string& key, int64_t amount) override;
  Bytes compare_set(const std::string& key, const Bytes& expected, const Bytes& desired) override;
  bool delete_key(const std::string& key) override;
  bool check(const std::vector<std::string>& keys) override;
  int64_t num_keys() override;
  void wait(const std::vector<std::string>& keys, Duration timeout) override;
  using Store::set;
  using Store::wait;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A store in this process's memory (threads as ranks, tests).
class HashStore : public Store {
 public:
  explicit HashStore(Duration timeout = kDefaultTimeout);
  ~HashStore() override;

  void set(const std::string& key, const Bytes& value) override;
  Bytes get(const std::string& key) override;
  int64_t add(const std::string& key, int64_t amount) override;
  Bytes compare_set(const std::string& key, const Bytes& expected, const Bytes& desired) override;
  bool delete_key(const std::string& key) override;
  bool check(const std::vector<std::string>& keys) override;
  int64_t num_keys() override;
  void wait(const std::vector<std::string>& keys, Duration timeout) override;
  using Store::set;
  using Store::wait;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Every key of `base` prefixed with "<prefix>/": one store serves several groups.
class PrefixStore : public Store {
 public:
  PrefixStore(std::string prefix, std::shared_ptr<Store> base);

  void set(const std::string& key, const Bytes& value) override;
  Bytes get(const std::string& key) override;
  int64_t add(const std::string& key, int64_t amount) override;
  Bytes compare_set(const std::string& key, const Bytes& expected, const Bytes& desired) override;
  bool delete_key(const std::string& key) override;
  bool check(const std::vector<std::string>& keys) override;
  int64_t num_keys() override;
  void wait(const std::vector<std::string>& keys, Duration timeout) override;
  using Store::set;
  using Store::wait;

  const std::shared_ptr<Store>& underlying() const { return base_; }

 private:
  std::string prefixed(const std::string& key) const;
  std::string prefix_;
  std::shared_ptr<Store> base_;
};

}  // namespace ember::distributed
