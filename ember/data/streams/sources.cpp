#include "ember/data/streams/sources.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

extern char** environ;

namespace ember::data::streams {
namespace {

[[noreturn]] void raise_disconnected(const std::string& what, const std::string& source) {
  detail::raise<StreamDisconnected>("[streams] ", what, " (", source, "): ", std::strerror(errno));
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Waits until fd is readable; false on timeout.
bool wait_readable(int fd, int timeout_ms) {
  pollfd entry{fd, POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&entry, 1, timeout_ms);
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

// Reads what a stream-like fd holds after waiting for it.
ReadResult read_fd(int fd, uint8_t* buffer, size_t size, int timeout_ms) {
  if (!wait_readable(fd, timeout_ms)) return {ReadStatus::kTimeout, 0};
  ssize_t count;
  do {
    count = ::read(fd, buffer, size);
  } while (count < 0 && errno == EINTR);
  if (count > 0) return {ReadStatus::kData, static_cast<size_t>(count)};
  if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return {ReadStatus::kTimeout, 0};
  return {ReadStatus::kEnd, 0};
}

// An address for host:port (numeric or resolvable names; loopback in the tests).
sockaddr_storage resolve(const std::string& host, int port, int socktype, socklen_t& length,
                         const std::string& source) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = socktype;
  addrinfo* found = nullptr;
  const int status = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (status != 0 || found == nullptr) {
    detail::raise<StreamDisconnected>("[streams] expected a resolvable host (", source,
                                      "); got: ", ::gai_strerror(status));
  }
  sockaddr_storage address{};
  std::memcpy(&address, found->ai_addr, found->ai_addrlen);
  length = found->ai_addrlen;
  ::freeaddrinfo(found);
  return address;
}

sockaddr_storage unix_address(const std::string& path, socklen_t& length) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  EMBER_CHECK_VALUE(path.size() < sizeof(address.sun_path),
                    "[streams] expected a unix socket path of at most ",
                    sizeof(address.sun_path) - 1, " bytes; got ", path.size());
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  sockaddr_storage storage{};
  std::memcpy(&storage, &address, sizeof(address));
  length = sizeof(address);
  return storage;
}

// Connects with a deadline (a non-blocking connect and a poll), so an unreachable peer cannot
// hold the I/O thread.
int connect_with_timeout(const sockaddr_storage& address, socklen_t length, double timeout,
                         const std::string& source) {
  const int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) raise_disconnected("cannot create a socket", source);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), length) != 0) {
    if (errno != EINPROGRESS) {
      const int error = errno;
      ::close(fd);
      errno = error;
      raise_disconnected("cannot connect", source);
    }
    pollfd entry{fd, POLLOUT, 0};
    int error = ETIMEDOUT;
    if (::poll(&entry, 1, static_cast<int>(timeout * 1000)) > 0) {
      socklen_t size = sizeof(error);
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
    }
    if (error != 0) {
      ::close(fd);
      errno = error;
      raise_disconnected("cannot connect", source);
    }
  }
  return fd;
}

class SocketClient : public Source {
 public:
  SocketClient(sockaddr_storage address, socklen_t length, double timeout, std::string name)
      : address_(address), length_(length), timeout_(timeout), name_(std::move(name)) {}
  ~SocketClient() override { SocketClient::close(); }

  void open() override {
    close_fd(fd_);
    fd_ = connect_with_timeout(address_, length_, timeout_, name_);
  }
  ReadResult read(uint8_t* buffer, size_t size, int timeout_ms) override {
    if (fd_ < 0) return {ReadStatus::kEnd, 0};
    return read_fd(fd_, buffer, size, timeout_ms);
  }
  void close() override { close_fd(fd_); }
  std::string describe() const override { return name_; }
  std::unique_ptr<Source> another() const override {
    return std::make_unique<SocketClient>(address_, length_, timeout_, name_);
  }

 private:
  sockaddr_storage address_;
  socklen_t length_;
  double timeout_;
  std::string name_;
  int fd_ = -1;
};

// Listens once; each open() after the first drops the current client and waits for the next in
// read() (a read that accepts returns kTimeout, so the I/O thread keeps checking for a stop).
class SocketServer : public Source {
 public:
  SocketServer(sockaddr_storage address, socklen_t length, std::string name,
               std::string unlink_path)
      : address_(address), length_(length), name_(std::move(name)), path_(std::move(unlink_path)) {}
  ~SocketServer() override {
    SocketServer::close();
    close_fd(listen_fd_);
    remove_stale_socket();
  }

  void open() override {
    close_fd(client_fd_);
    if (listen_fd_ >= 0) return;
    remove_stale_socket();
    listen_fd_ = ::socket(address_.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (listen_fd_ < 0) raise_disconnected("cannot create a socket", name_);
    const int yes = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address_), length_) != 0 ||
        ::listen(listen_fd_, 8) != 0) {
      const int error = errno;
      close_fd(listen_fd_);
      errno = error;
      raise_disconnected("cannot listen", name_);
    }
    sockaddr_storage bound{};
    socklen_t size = sizeof(bound);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &size);
    if (bound.ss_family == AF_INET) port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    if (bound.ss_family == AF_INET6) {
      port_ = ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
    }
  }
  ReadResult read(uint8_t* buffer, size_t size, int timeout_ms) override {
    if (listen_fd_ < 0) return {ReadStatus::kEnd, 0};
    if (client_fd_ < 0) {
      if (wait_readable(listen_fd_, timeout_ms)) {
        client_fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      }
      return {ReadStatus::kTimeout, 0};
    }
    return read_fd(client_fd_, buffer, size, timeout_ms);
  }
  void close() override { close_fd(client_fd_); }
  std::string describe() const override { return name_; }
  int port() const override { return port_; }

 private:
  // A socket file left by an earlier server blocks bind(); any other file is the user's.
  void remove_stale_socket() const {
    struct stat info {};
    if (!path_.empty() && ::lstat(path_.c_str(), &info) == 0 && S_ISSOCK(info.st_mode)) {
      ::unlink(path_.c_str());
    }
  }

  sockaddr_storage address_;
  socklen_t length_;
  std::string name_;
  std::string path_;
  int listen_fd_ = -1;
  int client_fd_ = -1;
  std::atomic<int> port_{0};  // set by the I/O thread, read by the consumer
};

class UdpSource : public Source {
 public:
  UdpSource(sockaddr_storage address, socklen_t length, std::string name)
      : address_(address), length_(length), name_(std::move(name)) {}
  ~UdpSource() override { UdpSource::close(); }

  void open() override {
    if (fd_ >= 0) return;
    fd_ = ::socket(address_.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0) raise_disconnected("cannot create a socket", name_);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address_), length_) != 0) {
      const int error = errno;
      close_fd(fd_);
      errno = error;
      raise_disconnected("cannot bind", name_);
    }
    sockaddr_storage bound{};
    socklen_t size = sizeof(bound);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &size);
    if (bound.ss_family == AF_INET) port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    if (bound.ss_family == AF_INET6) {
      port_ = ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
    }
  }
  // One datagram per read; datagrams have no end of connection.
  ReadResult read(uint8_t* buffer, size_t size, int timeout_ms) override {
    if (fd_ < 0) return {ReadStatus::kEnd, 0};
    const ReadResult result = read_fd(fd_, buffer, size, timeout_ms);
    return result.status == ReadStatus::kEnd ? ReadResult{ReadStatus::kTimeout, 0} : result;
  }
  void close() override { close_fd(fd_); }
  bool message_based() const override { return true; }
  std::string describe() const override { return name_; }
  int port() const override { return port_; }

 private:
  sockaddr_storage address_;
  socklen_t length_;
  std::string name_;
  int fd_ = -1;
  std::atomic<int> port_{0};  // set by the I/O thread, read by the consumer
};

class SubprocessSource : public Source {
 public:
  explicit SubprocessSource(std::vector<std::string> argv) : argv_(std::move(argv)) {
    EMBER_CHECK_VALUE(!argv_.empty(), "[streams.Subprocess] expected a command; got an empty argv");
    name_ = "subprocess " + argv_[0];
  }
  ~SubprocessSource() override { SubprocessSource::close(); }

  void open() override {
    close();
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) raise_disconnected("cannot create a pipe", name_);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    std::vector<char*> args;
    for (std::string& arg : argv_) args.push_back(arg.data());
    args.push_back(nullptr);
    const int status = ::posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (status != 0) {
      ::close(pipe_fds[0]);
      pid_ = -1;
      errno = status;
      raise_disconnected("cannot start the process", name_);
    }
    fd_ = pipe_fds[0];
  }
  ReadResult read(uint8_t* buffer, size_t size, int timeout_ms) override {
    if (fd_ < 0) return {ReadStatus::kEnd, 0};
    return read_fd(fd_, buffer, size, timeout_ms);
  }
  void close() override {
    close_fd(fd_);
    if (pid_ > 0) {
      // SIGTERM first; a process that ignores it for a second is killed.
      ::kill(pid_, SIGTERM);
      const auto kill_at = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      bool killed = false;
      while (::waitpid(pid_, nullptr, WNOHANG) == 0) {
        if (!killed && std::chrono::steady_clock::now() >= kill_at) {
          ::kill(pid_, SIGKILL);
          killed = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      pid_ = -1;
    }
  }
  std::string describe() const override { return name_; }
  std::unique_ptr<Source> another() const override {
    return std::make_unique<SubprocessSource>(argv_);
  }

 private:
  std::vector<std::string> argv_;
  std::string name_;
  pid_t pid_ = -1;
  int fd_ = -1;
};

class FileTail : public Source {
 public:
  FileTail(std::string path, bool from_end) : path_(std::move(path)), from_end_(from_end) {}
  ~FileTail() override { FileTail::close(); }

  void open() override {
    close();
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) raise_disconnected("cannot open the file", "tail " + path_);
    position_ = from_end_ ? ::lseek(fd_, 0, SEEK_END) : 0;
  }
  // Regular files are always readable, so the wait for more data is a short sleep (at most
  // 10 ms per step, within the timeout).
  ReadResult read(uint8_t* buffer, size_t size, int timeout_ms) override {
    if (fd_ < 0) return {ReadStatus::kEnd, 0};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      struct stat info {};
      if (::fstat(fd_, &info) == 0 && info.st_size < position_) position_ = 0;  // truncated
      const ssize_t count = ::pread(fd_, buffer, size, position_);
      if (count > 0) {
        position_ += count;
        return {ReadStatus::kData, static_cast<size_t>(count)};
      }
      if (count < 0 && errno != EINTR) return {ReadStatus::kEnd, 0};
      if (std::chrono::steady_clock::now() >= deadline) return {ReadStatus::kTimeout, 0};
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(timeout_ms, 10)));
    }
  }
  void close() override { close_fd(fd_); }
  std::string describe() const override { return "tail " + path_; }

 private:
  std::string path_;
  bool from_end_;
  int fd_ = -1;
  off_t position_ = 0;
};

std::string endpoint(const std::string& kind, const std::string& host, int port) {
  return kind + " " + host + ":" + std::to_string(port);
}

}  // namespace

std::unique_ptr<Source> tcp_client(std::string host, int port, double connect_timeout) {
  socklen_t length = 0;
  const std::string name = endpoint("tcp client", host, port);
  const sockaddr_storage address = resolve(host, port, SOCK_STREAM, length, name);
  return std::make_unique<SocketClient>(address, length, connect_timeout, name);
}

std::unique_ptr<Source> tcp_server(std::string host, int port) {
  socklen_t length = 0;
  const std::string name = endpoint("tcp server", host, port);
  const sockaddr_storage address = resolve(host, port, SOCK_STREAM, length, name);
  return std::make_unique<SocketServer>(address, length, name, "");
}

std::unique_ptr<Source> udp_source(std::string host, int port) {
  socklen_t length = 0;
  const std::string name = endpoint("udp", host, port);
  const sockaddr_storage address = resolve(host, port, SOCK_DGRAM, length, name);
  return std::make_unique<UdpSource>(address, length, name);
}

std::unique_ptr<Source> unix_client(std::string path, double connect_timeout) {
  socklen_t length = 0;
  const sockaddr_storage address = unix_address(path, length);
  return std::make_unique<SocketClient>(address, length, connect_timeout, "unix client " + path);
}

std::unique_ptr<Source> unix_server(std::string path) {
  socklen_t length = 0;
  const sockaddr_storage address = unix_address(path, length);
  return std::make_unique<SocketServer>(address, length, "unix server " + path, path);
}

std::unique_ptr<Source> subprocess_source(std::vector<std::string> argv) {
  return std::make_unique<SubprocessSource>(std::move(argv));
}

std::unique_ptr<Source> file_tail(std::string path, bool from_end) {
  return std::make_unique<FileTail>(std::move(path), from_end);
}

}  // namespace ember::data::streams
