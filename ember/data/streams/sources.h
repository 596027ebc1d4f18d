// Byte sources of a stream, each read by the stream's I/O thread with a timeout on every wait:
// TCP client and server, UDP, Unix domain socket client and server, a subprocess's stdout and a
// file being appended to (tail). Loopback and local paths work without privileges.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ember/base/error.h"

namespace ember::data::streams {

// A source's connection ended (peer closed, process exited) or could not be made, and the
// stream was told not to reconnect (or ran out of attempts). Python: ConnectionError.
class StreamDisconnected : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};

enum class ReadStatus { kData, kTimeout, kEnd };

struct ReadResult {
  ReadStatus status = ReadStatus::kTimeout;
  size_t size = 0;
};

class Source {
 public:
  virtual ~Source() = default;
  // Connects (or listens, spawns, opens); StreamDisconnected when it cannot.
  virtual void open() = 0;
  // Waits at most timeout_ms for bytes. kEnd: the connection ended (open() again to reconnect).
  virtual ReadResult read(uint8_t* buffer, size_t size, int timeout_ms) = 0;
  virtual void close() = 0;
  // True when each read returns one whole message (UDP datagrams).
  virtual bool message_based() const { return false; }
  virtual std::string describe() const = 0;
  // The bound port of a TCP server or UDP source once open (0 before); -1 for the others.
  virtual int port() const { return -1; }
  // An unopened source of the same kind and address for another reader, which then gets its
  // own stream of records: a client's own connection, its own process. Null where a second
  // reader cannot get one: a listener (one address, one reader), a file tail (it would read
  // the same records again). Reads only what construction set, so a forked process may call
  // it on its copy of a source whose I/O thread lives in the parent.
  virtual std::unique_ptr<Source> another() const { return nullptr; }
};

std::unique_ptr<Source> tcp_client(std::string host, int port, double connect_timeout = 5.0);
// Listens on host:port (port 0: any free port; port() tells which) and reads one
// client at a time; a client's disconnect ends the connection, the next client continues it.
std::unique_ptr<Source> tcp_server(std::string host, int port);
std::unique_ptr<Source> udp_source(std::string host, int port);
std::unique_ptr<Source> unix_client(std::string path, double connect_timeout = 5.0);
std::unique_ptr<Source> unix_server(std::string path);
// The stdout of `argv` (argv[0] looked up in PATH); the process is terminated on close.
std::unique_ptr<Source> subprocess_source(std::vector<std::string> argv);
// Follows a file as it grows (from its start, or its end when from_end); a truncated file is
// read again from its start.
std::unique_ptr<Source> file_tail(std::string path, bool from_end = false);

}  // namespace ember::data::streams
