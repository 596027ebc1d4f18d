// FileStore (Note [Distributed: stores and rendezvous]): an append-only file of records ("set
// key to value", "delete key") that every process replays into its own copy of the keys. Writers
// append under an exclusive flock, readers replay under a shared one, so a record is only ever
// read whole. Blocking reads poll the file, since a file cannot wake its readers.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "ember/distributed/errors.h"
#include "ember/distributed/store.h"
#include "ember/distributed/store_values.h"

namespace ember::distributed {
namespace {

// How often a blocked get/wait looks at the file again.
constexpr Duration kPollInterval = std::chrono::milliseconds(5);
// The store's own counters (who uses the file, who is done with it): hidden from num_keys.
const std::string kInternalPrefix = "__ember_file_store/";
const std::string kUsersKey = kInternalPrefix + "users";
const std::string kFinishedKey = kInternalPrefix + "finished";

enum class Record : uint8_t { Set = 1, Delete = 2 };

void append_u32(Bytes& out, uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

uint32_t read_u32(const uint8_t* at) {
  return static_cast<uint32_t>(at[0]) | static_cast<uint32_t>(at[1]) << 8 |
         static_cast<uint32_t>(at[2]) << 16 | static_cast<uint32_t>(at[3]) << 24;
}

std::string errno_text(int error) {
  return detail::concat(std::strerror(error), " (errno ", error, ")");
}

}  // namespace

struct FileStore::State {
  std::string path;
  int world_size = -1;
  int fd = -1;
  // Threads of one process share the fd, and flock does not order them: this mutex does.
  std::mutex mutex;
  // The keys as of the file's first `offset` bytes.
  std::map<std::string, Bytes> values;
  off_t offset = 0;

  [[noreturn]] void fail(const char* op, const char* what, int error) const {
    detail::raise<DistStoreError>("[", op, "] could not ", what, " the store's file '", path,
                                  "': ", errno_text(error));
  }

  // Holds the file's lock for one operation (the process's mutex must be held already).
  class Lock {
   public:
    Lock(State& state, const char* op, int kind) : state_(state) {
      while (::flock(state_.fd, kind) != 0) {
        if (errno != EINTR) state_.fail(op, "lock", errno);
      }
    }
    ~Lock() { ::flock(state_.fd, LOCK_UN); }
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

   private:
    State& state_;
  };

  // Applies the records other processes appended since the last look.
  void replay(const char* op) {
    Bytes data;
    uint8_t buffer[64 * 1024];
    while (true) {
      const ssize_t count =
          ::pread(fd, buffer, sizeof(buffer), offset + static_cast<off_t>(data.size()));
      if (count < 0 && errno == EINTR) continue;
      if (count < 0) fail(op, "read", errno);
      if (count == 0) break;
      data.insert(data.end(), buffer, buffer + count);
    }
    size_t at = 0;
    // A record is whole unless its writer died mid-append; such a tail is left unread.
    while (data.size() - at >= 5) {
      const auto kind = static_cast<Record>(data[at]);
      const uint32_t key_size = read_u32(&data[at + 1]);
      if (data.size() - at - 5 < key_size) break;
      std::string key(reinterpret_cast<const char*>(&data[at + 5]), key_size);
      size_t next = at + 5 + key_size;
      if (kind == Record::Delete) {
        values.erase(key);
      } else {
        if (data.size() - next < 4) break;
        const uint32_t value_size = read_u32(&data[next]);
        if (data.size() - next - 4 < value_size) break;
        values[std::move(key)] =
            Bytes(data.begin() + static_cast<ptrdiff_t>(next + 4),
                  data.begin() + static_cast<ptrdiff_t>(next + 4 + value_size));
        next += 4 + value_size;
      }
      at = next;
    }
    offset += static_cast<off_t>(at);
  }

  // Appends one record at the file's end (after replay, under the exclusive lock) and applies it.
  void append(const char* op, Record kind, const std::string& key, const Bytes* value) {
    Bytes record;
    record.push_back(static_cast<uint8_t>(kind));
    append_u32(record, static_cast<uint32_t>(key.size()));
    record.insert(record.end(), key.begin(), key.end());
    if (value != nullptr) {
      append_u32(record, static_cast<uint32_t>(value->size()));
      record.insert(record.end(), value->begin(), value->end());
    }
    size_t written = 0;
    while (written < record.size()) {
      const ssize_t count = ::pwrite(fd, record.data() + written, record.size() - written,
                                     offset + static_cast<off_t>(written));
      if (count < 0 && errno == EINTR) continue;
      if (count <= 0) fail(op, "write", errno);
      written += static_cast<size_t>(count);
    }
    offset += static_cast<off_t>(record.size());
    if (kind == Record::Delete) {
      values.erase(key);
    } else {
      values[key] = *value;
    }
  }

  int64_t add(const char* op, const std::string& key, int64_t amount) {
    std::lock_guard guard(mutex);
    Lock lock(*this, op, LOCK_EX);
    replay(op);
    auto found = values.find(key);
    const int64_t result =
        (found == values.end() ? 0 : parse_store_integer(op, key, found->second)) + amount;
    const Bytes value = integer_store_value(result);
    append(op, Record::Set, key, &value);
    return result;
  }

  bool has_all(const std::vector<std::string>& keys) const {
    return std::all_of(keys.begin(), keys.end(),
                       [&](const std::string& key) { return values.count(key) != 0; });
  }

  // Waits until every key exists; returns the first key's value (get) when asked.
  Bytes wait(const char* op, const std::vector<std::string>& keys, Duration timeout,
             bool want_value) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      {
        std::lock_guard guard(mutex);
        Lock lock(*this, op, LOCK_SH);
        replay(op);
        if (has_all(keys)) return want_value ? values.at(keys[0]) : Bytes{};
      }
      if (std::chrono::steady_clock::now() >= deadline) raise_store_timeout(op, keys, timeout);
      std::this_thread::sleep_for(kPollInterval);
    }
  }
};

FileStore::FileStore(std::string path, int world_size, Duration timeout)
    : Store(timeout), state_(std::make_unique<State>()) {
  state_->path = std::move(path);
  state_->world_size = world_size;
  EMBER_CHECK_VALUE(!state_->path.empty(), "[FileStore] expected a file path; got an empty one");
  state_->fd = ::open(state_->path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (state_->fd < 0) state_->fail("FileStore", "open", errno);
  state_->add("FileStore", kUsersKey, 1);
}

// The last of world_size users (or, without a world size, the last one open) removes the file,
// so that the next job on the same path starts empty.
FileStore::~FileStore() {
  try {
    const int64_t finished = state_->add("FileStore", kFinishedKey, 1);
    const int64_t users = state_->add("FileStore", kUsersKey, -1);
    const bool last = state_->world_size > 0 ? finished >= state_->world_size : users <= 0;
    if (last) ::unlink(state_->path.c_str());
  } catch (const Error&) {
    // The file went away (another job removed it): nothing is left to clean up.
  }
  ::close(state_->fd);
}

void FileStore::set(const std::string& key, const Bytes& value) {
  std::lock_guard guard(state_->mutex);
  State::Lock lock(*state_, "FileStore.set", LOCK_EX);
  state_->replay("FileStore.set");
  state_->append("FileStore.set", Record::Set, key, &value);
}

Bytes FileStore::get(const std::string& key) {
  return state_->wait("FileStore.get", {key}, timeout(), true);
}

int64_t FileStore::add(const std::string& key, int64_t amount) {
  return state_->add("FileStore.add", key, amount);
}

Bytes FileStore::compare_set(const std::string& key, const Bytes& expected, const Bytes& desired) {
  std::lock_guard guard(state_->mutex);
  State::Lock lock(*state_, "FileStore.compare_set", LOCK_EX);
  state_->replay("FileStore.compare_set");
  auto found = state_->values.find(key);
  if (found == state_->values.end()) {
    if (!expected.empty()) return expected;
  } else if (found->second != expected) {
    return found->second;
  }
  state_->append("FileStore.compare_set", Record::Set, key, &desired);
  return desired;
}

bool FileStore::delete_key(const std::string& key) {
  std::lock_guard guard(state_->mutex);
  State::Lock lock(*state_, "FileStore.delete_key", LOCK_EX);
  state_->replay("FileStore.delete_key");
  if (state_->values.count(key) == 0) return false;
  state_->append("FileStore.delete_key", Record::Delete, key, nullptr);
  return true;
}

bool FileStore::check(const std::vector<std::string>& keys) {
  std::lock_guard guard(state_->mutex);
  State::Lock lock(*state_, "FileStore.check", LOCK_SH);
  state_->replay("FileStore.check");
  return state_->has_all(keys);
}

int64_t FileStore::num_keys() {
  std::lock_guard guard(state_->mutex);
  State::Lock lock(*state_, "FileStore.num_keys", LOCK_SH);
  state_->replay("FileStore.num_keys");
  return std::count_if(state_->values.begin(), state_->values.end(), [](const auto& entry) {
    return entry.first.compare(0, kInternalPrefix.size(), kInternalPrefix) != 0;
  });
}

void FileStore::wait(const std::vector<std::string>& keys, Duration timeout) {
  state_->wait("FileStore.wait", keys, timeout, false);
}

}  // namespace ember::distributed
