// TCPStore (Note [Distributed: stores and rendezvous]): one server thread on the master answers
// length-prefixed requests from every client over POSIX sockets. Blocking requests (get, wait,
// the master's wait for its workers) park on the server until their keys exist or their deadline
// passes, so a client never polls; the client still bounds its own read so that a server that
// stops answering cannot hold it.
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "ember/distributed/errors.h"
#include "ember/distributed/store.h"
#include "ember/distributed/store_values.h"

namespace ember::distributed {
namespace {

using Clock = std::chrono::steady_clock;

// How long a client waits beyond a blocking request's own timeout for the server's answer
// before it gives the server up (the server answers timeouts itself; this covers a stuck one).
constexpr Duration kReplyGrace = std::chrono::seconds(5);
// Pause between connection attempts while the master is not listening yet.
constexpr Duration kConnectRetry = std::chrono::milliseconds(20);
// A frame larger than this is a corrupted stream, not a value.
constexpr uint32_t kMaxFrame = 1u << 30;

enum class Command : uint8_t {
  Hello = 1,
  Set,
  Get,
  Add,
  CompareSet,
  Delete,
  Check,
  NumKeys,
  Wait,
  WaitWorkers,
};

enum class Status : uint8_t { Ok = 0, Timeout, Failed };
// A failed request's error type, so that a client raises what a HashStore would (add on a
// value that is not a counter: ValueError).
constexpr uint8_t kStoreError = 0;
constexpr uint8_t kValueError = 1;

std::string errno_text(int error) {
  return detail::concat(std::strerror(error), " (errno ", error, ")");
}

std::string address_of(const std::string& host, uint16_t port) {
  return detail::concat(host, ":", port);
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(left, 0, 1 << 30));
}

// A request or reply under construction: fields appended after a 4-byte length that frame()
// fills in.
class Encoder {
 public:
  Encoder() : data_(4, 0) {}
  explicit Encoder(Command command) : Encoder() { u8(static_cast<uint8_t>(command)); }
  explicit Encoder(Status status) : Encoder() { u8(static_cast<uint8_t>(status)); }

  Encoder& u8(uint8_t value) {
    data_.push_back(value);
    return *this;
  }
  Encoder& i64(int64_t value) {
    const auto bits = static_cast<uint64_t>(value);
    for (int shift = 0; shift < 64; shift += 8)
      data_.push_back(static_cast<uint8_t>(bits >> shift));
    return *this;
  }
  Encoder& bytes(const uint8_t* begin, size_t size) {
    u32(static_cast<uint32_t>(size));
    data_.insert(data_.end(), begin, begin + size);
    return *this;
  }
  Encoder& bytes(const Bytes& value) { return bytes(value.data(), value.size()); }
  Encoder& text(const std::string& value) {
    return bytes(reinterpret_cast<const uint8_t*>(value.data()), value.size());
  }
  Encoder& texts(const std::vector<std::string>& values) {
    u32(static_cast<uint32_t>(values.size()));
    for (const std::string& value : values) text(value);
    return *this;
  }
  const Bytes& frame() {
    const auto size = static_cast<uint32_t>(data_.size() - 4);
    for (int i = 0; i < 4; ++i) data_[i] = static_cast<uint8_t>(size >> (8 * i));
    return data_;
  }

 private:
  void u32(uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8)
      data_.push_back(static_cast<uint8_t>(value >> shift));
  }
  Bytes data_;
};

struct MalformedFrame {};

// Reads the fields of one frame's payload; a short or inconsistent frame throws MalformedFrame.
class Decoder {
 public:
  Decoder(const uint8_t* data, size_t size) : data_(data), left_(size) {}

  uint8_t u8() { return take(1)[0]; }
  int64_t i64() {
    const uint8_t* at = take(8);
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(at[i]) << (8 * i);
    return static_cast<int64_t>(bits);
  }
  Bytes bytes() {
    const uint32_t size = u32();
    const uint8_t* at = take(size);
    return Bytes(at, at + size);
  }
  std::string text() {
    const uint32_t size = u32();
    const uint8_t* at = take(size);
    return std::string(reinterpret_cast<const char*>(at), size);
  }
  std::vector<std::string> texts() {
    const uint32_t count = u32();
    if (count > left_ / 4) throw MalformedFrame{};
    std::vector<std::string> values(count);
    for (std::string& value : values) value = text();
    return values;
  }

 private:
  uint32_t u32() {
    const uint8_t* at = take(4);
    return static_cast<uint32_t>(at[0]) | static_cast<uint32_t>(at[1]) << 8 |
           static_cast<uint32_t>(at[2]) << 16 | static_cast<uint32_t>(at[3]) << 24;
  }
  const uint8_t* take(size_t size) {
    if (size > left_) throw MalformedFrame{};
    const uint8_t* at = data_;
    data_ += size;
    left_ -= size;
    return at;
  }
  const uint8_t* data_;
  size_t left_;
};

uint32_t frame_length(const uint8_t* header) {
  return static_cast<uint32_t>(header[0]) | static_cast<uint32_t>(header[1]) << 8 |
         static_cast<uint32_t>(header[2]) << 16 | static_cast<uint32_t>(header[3]) << 24;
}

// Writes all of `data`; false when the peer is gone.
bool send_all(int fd, const Bytes& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t count = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    sent += static_cast<size_t>(count);
  }
  return true;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// ---------------------------------------------------------------------------------------------
// The server: the master's thread. It owns the keys; nothing else touches them.

class Server {
 public:
  Server(const std::string& host, uint16_t port) {
    listen_fd_ = bind_listener(host, port);
    if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
      const int error = errno;
      close_fd(listen_fd_);
      detail::raise<DistNetworkError>("[TCPStore] could not create the server's wake pipe: ",
                                      errno_text(error));
    }
    thread_ = std::thread([this] { serve(); });
  }

  ~Server() {
    const uint8_t byte = 1;
    while (::write(wake_[1], &byte, 1) < 0 && errno == EINTR) {
    }
    thread_.join();
    for (auto& [fd, client] : clients_) ::close(fd);
    close_fd(listen_fd_);
    close_fd(wake_[0]);
    close_fd(wake_[1]);
  }

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const { return port_; }

 private:
  // A request parked until its keys exist (Get, Wait) or enough workers joined (WaitWorkers).
  struct Waiter {
    Command command;
    std::vector<std::string> keys;
    int64_t workers = 0;
    Clock::time_point deadline;
  };
  struct Client {
    Bytes input;
    std::optional<Waiter> waiter;
  };

  // Listens on every interface, as PyTorch's TCPStore does, so that MASTER_ADDR may name this
  // machine by any of its addresses; dual-stack IPv6 where the kernel has it, IPv4 otherwise.
  int bind_listener(const std::string& host, uint16_t port) {
    int fd = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool ipv6 = fd >= 0;
    if (!ipv6) fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      detail::raise<DistNetworkError>("[TCPStore] could not create the server's socket for ",
                                      address_of(host, port), ": ", errno_text(errno));
    }
    const int one = 1;
    const int zero = 0;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    int status;
    if (ipv6) {
      ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
      sockaddr_in6 address{};
      address.sin6_family = AF_INET6;
      address.sin6_addr = in6addr_any;
      address.sin6_port = htons(port);
      status = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
    } else {
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_ANY);
      address.sin_port = htons(port);
      status = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
    }
    if (status != 0 || ::listen(fd, SOMAXCONN) != 0) {
      const int error = errno;
      ::close(fd);
      detail::raise<DistNetworkError>(
          "[TCPStore] the master could not listen on ", address_of(host, port), ": ",
          errno_text(error), error == EADDRINUSE ? "; another process holds the port" : "");
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof(bound);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
    port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                              : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    return fd;
  }

  void serve() {
    std::vector<pollfd> entries;
    while (true) {
      entries.clear();
      entries.push_back({wake_[0], POLLIN, 0});
      entries.push_back({listen_fd_, POLLIN, 0});
      for (const auto& [fd, client] : clients_) entries.push_back({fd, POLLIN, 0});
      int ready;
      do {
        ready = ::poll(entries.data(), entries.size(), next_timeout_ms());
      } while (ready < 0 && errno == EINTR);
      if (entries[0].revents != 0) return;
      if (entries[1].revents & POLLIN) accept_client();
      for (size_t i = 2; i < entries.size(); ++i) {
        if (entries[i].revents != 0) read_client(entries[i].fd);
      }
      expire_waiters();
    }
  }

  int next_timeout_ms() const {
    std::optional<Clock::time_point> earliest;
    for (const auto& [fd, client] : clients_) {
      if (client.waiter && (!earliest || client.waiter->deadline < *earliest)) {
        earliest = client.waiter->deadline;
      }
    }
    // Rounded up so that a wake-up never comes just before the deadline it waits for.
    return earliest ? remaining_ms(*earliest) + 1 : -1;
  }

  void accept_client() {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    // Replies are written blocking; a client that stops reading cannot stall the others long.
    timeval limit{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
    clients_[fd];
  }

  void drop(int fd) {
    ::close(fd);
    clients_.erase(fd);
  }

  void read_client(int fd) {
    uint8_t buffer[64 * 1024];
    ssize_t count;
    do {
      count = ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
    } while (count < 0 && errno == EINTR);
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (count <= 0) {
      drop(fd);
      return;
    }
    Bytes& input = clients_[fd].input;
    input.insert(input.end(), buffer, buffer + count);
    handle_frames(fd);
  }

  // Answers the client's complete requests in order; stops at a parked one (clients send one
  // request at a time, so nothing follows it until it is answered).
  void handle_frames(int fd) {
    while (true) {
      auto found = clients_.find(fd);
      if (found == clients_.end() || found->second.waiter) return;
      Bytes& input = found->second.input;
      if (input.size() < 4) return;
      const uint32_t length = frame_length(input.data());
      if (length == 0 || length > kMaxFrame) {
        drop(fd);
        return;
      }
      if (input.size() < 4 + static_cast<size_t>(length)) return;
      const Bytes frame(input.begin() + 4, input.begin() + 4 + length);
      input.erase(input.begin(), input.begin() + 4 + length);
      try {
        Decoder request(frame.data(), frame.size());
        handle(fd, request);
      } catch (const MalformedFrame&) {
        drop(fd);
        return;
      } catch (const ValueError& error) {
        reply(fd, Encoder(Status::Failed).u8(kValueError).text(error.what()));
      } catch (const std::exception& error) {
        reply(fd, Encoder(Status::Failed).u8(kStoreError).text(error.what()));
      }
    }
  }

  void reply(int fd, Encoder message) {
    if (!send_all(fd, message.frame())) drop(fd);
  }

  bool has_all(const std::vector<std::string>& keys) const {
    return std::all_of(keys.begin(), keys.end(),
                       [&](const std::string& key) { return values_.count(key) != 0; });
  }

  void handle(int fd, Decoder& request) {
    const auto command = static_cast<Command>(request.u8());
    switch (command) {
      case Command::Hello:
        ++workers_;
        reply(fd, Encoder(Status::Ok));
        resolve_waiters();
        return;
      case Command::Set: {
        std::string key = request.text();
        values_[std::move(key)] = request.bytes();
        reply(fd, Encoder(Status::Ok));
        resolve_waiters();
        return;
      }
      case Command::Get:
      case Command::Wait: {
        Waiter waiter{command, {}, 0, {}};
        waiter.keys = command == Command::Get ? std::vector{request.text()} : request.texts();
        waiter.deadline = Clock::now() + Duration(request.i64());
        park(fd, std::move(waiter));
        return;
      }
      case Command::WaitWorkers: {
        Waiter waiter{command, {}, request.i64(), {}};
        waiter.deadline = Clock::now() + Duration(request.i64());
        park(fd, std::move(waiter));
        return;
      }
      case Command::Add: {
        const std::string key = request.text();
        const int64_t amount = request.i64();
        Bytes& value = values_[key];
        const int64_t result = parse_store_integer("TCPStore.add", key, value) + amount;
        value = integer_store_value(result);
        reply(fd, Encoder(Status::Ok).i64(result));
        resolve_waiters();
        return;
      }
      case Command::CompareSet: {
        const std::string key = request.text();
        const Bytes expected = request.bytes();
        const Bytes desired = request.bytes();
        auto found = values_.find(key);
        if (found == values_.end()) {
          if (!expected.empty()) {
            reply(fd, Encoder(Status::Ok).bytes(expected));
            return;
          }
          found = values_.emplace(key, desired).first;
        } else if (found->second == expected) {
          found->second = desired;
        }
        reply(fd, Encoder(Status::Ok).bytes(found->second));
        resolve_waiters();
        return;
      }
      case Command::Delete: {
        const bool erased = values_.erase(request.text()) > 0;
        reply(fd, Encoder(Status::Ok).u8(erased ? 1 : 0));
        return;
      }
      case Command::Check: {
        const bool present = has_all(request.texts());
        reply(fd, Encoder(Status::Ok).u8(present ? 1 : 0));
        return;
      }
      case Command::NumKeys:
        reply(fd, Encoder(Status::Ok).i64(static_cast<int64_t>(values_.size())));
        return;
    }
    throw MalformedFrame{};
  }

  void park(int fd, Waiter waiter) {
    clients_[fd].waiter = std::move(waiter);
    resolve_waiters();
  }

  bool satisfied(const Waiter& waiter) const {
    return waiter.command == Command::WaitWorkers ? workers_ >= waiter.workers
                                                  : has_all(waiter.keys);
  }

  Encoder answer(const Waiter& waiter) const {
    Encoder message(Status::Ok);
    if (waiter.command == Command::Get) message.bytes(values_.at(waiter.keys[0]));
    return message;
  }

  // Answers every parked request that its keys (or workers) now satisfy, then lets those
  // clients' next requests run.
  void resolve_waiters() {
    std::vector<int> released;
    for (auto& [fd, client] : clients_) {
      if (client.waiter && satisfied(*client.waiter)) released.push_back(fd);
    }
    for (int fd : released) {
      auto found = clients_.find(fd);
      // An earlier answer's follow-up requests may have changed this client's state.
      if (found == clients_.end() || !found->second.waiter || !satisfied(*found->second.waiter)) {
        continue;
      }
      Encoder message = answer(*found->second.waiter);
      found->second.waiter.reset();
      reply(fd, std::move(message));
      handle_frames(fd);
    }
  }

  void expire_waiters() {
    const auto now = Clock::now();
    std::vector<int> expired;
    for (auto& [fd, client] : clients_) {
      if (client.waiter && client.waiter->deadline <= now) expired.push_back(fd);
    }
    for (int fd : expired) {
      auto found = clients_.find(fd);
      if (found == clients_.end() || !found->second.waiter ||
          found->second.waiter->deadline > now) {
        continue;
      }
      const int64_t workers = workers_;
      found->second.waiter.reset();
      reply(fd, Encoder(Status::Timeout).i64(workers));
      handle_frames(fd);
    }
  }

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::map<int, Client> clients_;
  std::map<std::string, Bytes> values_;
  // Clients that said hello (every TCPStore, the master's own included).
  int64_t workers_ = 0;
  std::thread thread_;
};

// A connected socket to host:port, retried until `deadline` (the master may not listen yet).
int connect_until(const std::string& host, uint16_t port, Clock::time_point deadline,
                  Duration timeout) {
  std::string last_error = "no attempt";
  const std::string service = std::to_string(port);
  while (true) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int status = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
    if (status != 0) {
      last_error = detail::concat("cannot resolve the host: ", ::gai_strerror(status));
    }
    for (addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
      const int fd =
          ::socket(entry->ai_family, entry->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      if (fd < 0) {
        last_error = errno_text(errno);
        continue;
      }
      int error = 0;
      if (::connect(fd, entry->ai_addr, entry->ai_addrlen) != 0) {
        error = errno;
        if (error == EINPROGRESS) {
          // Bounded per attempt too, so that a dead address does not use up the whole timeout
          // before the next one is tried.
          pollfd poll_entry{fd, POLLOUT, 0};
          error = ETIMEDOUT;
          if (::poll(&poll_entry, 1, std::min(remaining_ms(deadline), 2000)) > 0) {
            socklen_t size = sizeof(error);
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
          }
        }
      }
      if (error == 0) {
        ::freeaddrinfo(found);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        return fd;
      }
      last_error = errno_text(error);
      ::close(fd);
    }
    if (found != nullptr) ::freeaddrinfo(found);
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(
        std::min<Duration>(kConnectRetry, Duration(remaining_ms(deadline))));
  }
  detail::raise<DistNetworkError>("[TCPStore] could not connect to the store's server at ",
                                  address_of(host, port), " within ", timeout.count(),
                                  " ms: ", last_error,
                                  ". Hint: is the master (rank 0) running, and are MASTER_ADDR "
                                  "and MASTER_PORT the same on every rank?");
}

}  // namespace

struct TCPStore::State {
  std::string host;
  uint16_t port = 0;
  Duration timeout{};
  std::unique_ptr<Server> server;
  std::mutex mutex;
  // Idle connections to the server. A request takes one (or opens another), so that a thread
  // parked in get does not hold up the other threads that share this store.
  std::vector<int> idle;
  // Set when a connection broke; every later request raises it.
  std::string broken;

  ~State() { close_idle(); }

  void close_idle() {
    std::lock_guard lock(mutex);
    for (int& fd : idle) close_fd(fd);
    idle.clear();
  }

  int take(const char* op) {
    {
      std::lock_guard lock(mutex);
      if (!broken.empty()) detail::raise<DistStoreError>("[", op, "] ", broken);
      if (!idle.empty()) {
        const int fd = idle.back();
        idle.pop_back();
        return fd;
      }
    }
    // The server was there when this store connected first: a short wait tells whether it is
    // still, instead of the store's whole timeout.
    const Duration limit = std::min<Duration>(timeout, kReplyGrace);
    return connect_until(host, port, Clock::now() + limit, limit);
  }

  // Sends one request and returns its reply's payload; `wait` is how long the server may
  // legitimately take (a parked request's timeout), beyond which the server is given up.
  Bytes request(const char* op, Encoder& message, Duration wait) {
    const int fd = take(op);
    if (!send_all(fd, message.frame())) fail(op, "could not send to", fd);
    const auto deadline = Clock::now() + wait + kReplyGrace;
    Bytes input;
    size_t need = 4;
    bool have_length = false;
    while (input.size() < need) {
      pollfd entry{fd, POLLIN, 0};
      int ready;
      do {
        ready = ::poll(&entry, 1, remaining_ms(deadline));
      } while (ready < 0 && errno == EINTR);
      if (ready == 0) {
        fail(op,
             detail::concat("got no answer within ", (wait + kReplyGrace).count(), " ms from")
                 .c_str(),
             fd);
      }
      uint8_t buffer[64 * 1024];
      const size_t want = std::min(sizeof(buffer), need - input.size());
      ssize_t count;
      do {
        count = ::recv(fd, buffer, want, 0);
      } while (count < 0 && errno == EINTR);
      if (count <= 0) fail(op, "lost its connection to", fd);
      input.insert(input.end(), buffer, buffer + count);
      if (!have_length && input.size() == 4) {
        const uint32_t length = frame_length(input.data());
        if (length == 0 || length > kMaxFrame) fail(op, "got a corrupted answer from", fd);
        need = 4 + length;
        have_length = true;
      }
    }
    {
      std::lock_guard lock(mutex);
      idle.push_back(fd);
    }
    return Bytes(input.begin() + 4, input.end());
  }

  [[noreturn]] void fail(const char* op, const char* what, int fd) {
    ::close(fd);
    std::string message;
    {
      std::lock_guard lock(mutex);
      broken = detail::concat("the store ", what, " its server at ", address_of(host, port),
                              " (the master, rank 0, exited or failed)");
      message = broken;
    }
    detail::raise<DistStoreError>("[", op, "] ", message);
  }
};

namespace {

// The status of a reply, raising the server's error (Failed) in this process.
Status read_status(const char* op, Decoder& reply) {
  const auto status = static_cast<Status>(reply.u8());
  if (status == Status::Failed) {
    const uint8_t kind = reply.u8();
    // The server's message already names the op.
    if (kind == kValueError) throw ValueError(reply.text());
    detail::raise<DistStoreError>("[", op, "] ", reply.text());
  }
  return status;
}

template <typename Fn>
auto decode(const char* op, const Bytes& payload, Fn&& fn) {
  try {
    Decoder reply(payload.data(), payload.size());
    return fn(reply);
  } catch (const MalformedFrame&) {
    detail::raise<DistStoreError>("[", op, "] the store's server sent a malformed answer");
  }
}

}  // namespace

TCPStore::TCPStore(std::string host, const TCPStoreOptions& options)
    : Store(options.timeout), state_(std::make_unique<State>()) {
  state_->host = std::move(host);
  state_->port = options.port;
  if (options.is_master) {
    state_->server = std::make_unique<Server>(state_->host, options.port);
    state_->port = state_->server->port();
  }
  state_->timeout = options.timeout;
  const auto deadline = Clock::now() + options.timeout;
  state_->idle.push_back(connect_until(state_->host, state_->port, deadline, options.timeout));
  Encoder hello(Command::Hello);
  decode("TCPStore", state_->request("TCPStore", hello, options.timeout),
         [&](Decoder& reply) { return read_status("TCPStore", reply); });
  if (options.is_master && options.world_size > 0 && options.wait_for_workers) {
    Encoder message(Command::WaitWorkers);
    message.i64(options.world_size).i64(options.timeout.count());
    decode("TCPStore", state_->request("TCPStore", message, options.timeout), [&](Decoder& reply) {
      if (read_status("TCPStore", reply) == Status::Timeout) {
        detail::raise<DistStoreError>("[TCPStore] only ", reply.i64(), " of ", options.world_size,
                                      " workers connected to the store at ",
                                      address_of(state_->host, state_->port), " within ",
                                      options.timeout.count(), " ms");
      }
      return 0;
    });
  }
}

// The client's connections close before the server stops, so that the server's last view of
// this process is an orderly goodbye.
TCPStore::~TCPStore() {
  state_->close_idle();
  state_->server.reset();
}

void TCPStore::set(const std::string& key, const Bytes& value) {
  Encoder message(Command::Set);
  message.text(key).bytes(value);
  decode("TCPStore.set", state_->request("TCPStore.set", message, timeout()),
         [](Decoder& reply) { return read_status("TCPStore.set", reply); });
}

Bytes TCPStore::get(const std::string& key) {
  Encoder message(Command::Get);
  message.text(key).i64(timeout().count());
  return decode("TCPStore.get", state_->request("TCPStore.get", message, timeout()),
                [&](Decoder& reply) {
                  if (read_status("TCPStore.get", reply) == Status::Timeout) {
                    raise_store_timeout("TCPStore.get", {key}, timeout());
                  }
                  return reply.bytes();
                });
}

int64_t TCPStore::add(const std::string& key, int64_t amount) {
  Encoder message(Command::Add);
  message.text(key).i64(amount);
  return decode("TCPStore.add", state_->request("TCPStore.add", message, timeout()),
                [](Decoder& reply) {
                  read_status("TCPStore.add", reply);
                  return reply.i64();
                });
}

Bytes TCPStore::compare_set(const std::string& key, const Bytes& expected, const Bytes& desired) {
  Encoder message(Command::CompareSet);
  message.text(key).bytes(expected).bytes(desired);
  return decode("TCPStore.compare_set", state_->request("TCPStore.compare_set", message, timeout()),
                [](Decoder& reply) {
                  read_status("TCPStore.compare_set", reply);
                  return reply.bytes();
                });
}

bool TCPStore::delete_key(const std::string& key) {
  Encoder message(Command::Delete);
  message.text(key);
  return decode("TCPStore.delete_key", state_->request("TCPStore.delete_key", message, timeout()),
                [](Decoder& reply) {
                  read_status("TCPStore.delete_key", reply);
                  return reply.u8() != 0;
                });
}

bool TCPStore::check(const std::vector<std::string>& keys) {
  Encoder message(Command::Check);
  message.texts(keys);
  return decode("TCPStore.check", state_->request("TCPStore.check", message, timeout()),
                [](Decoder& reply) {
                  read_status("TCPStore.check", reply);
                  return reply.u8() != 0;
                });
}

int64_t TCPStore::num_keys() {
  Encoder message(Command::NumKeys);
  return decode("TCPStore.num_keys", state_->request("TCPStore.num_keys", message, timeout()),
                [](Decoder& reply) {
                  read_status("TCPStore.num_keys", reply);
                  return reply.i64();
                });
}

void TCPStore::wait(const std::vector<std::string>& keys, Duration timeout) {
  Encoder message(Command::Wait);
  message.texts(keys).i64(timeout.count());
  decode("TCPStore.wait", state_->request("TCPStore.wait", message, timeout), [&](Decoder& reply) {
    if (read_status("TCPStore.wait", reply) == Status::Timeout) {
      raise_store_timeout("TCPStore.wait", keys, timeout);
    }
    return 0;
  });
}

const std::string& TCPStore::host() const { return state_->host; }

uint16_t TCPStore::port() const { return state_->port; }

}  // namespace ember::distributed
