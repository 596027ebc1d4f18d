// The synthetic vehicle feed (ember::data::streams::VehicleFeed) served over loopback TCP at a
// chosen rate: the C++ twin of `python -m ember.data.streams.simulate`. It listens on
// 127.0.0.1:PORT (0: any free port), prints "listening 127.0.0.1 PORT", and sends frames to one
// client at a time until the duration has passed. With --check N it also reads N records back
// through an ember::data::streams::Stream in the same process and checks their times.
// Usage: sensor_simulator [--rate R] [--port P] [--format binary|ndjson|csv] [--duration S]
//                         [--ranges N] [--check N]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "ember/data/streams/stream.h"
#include "ember/data/streams/vehicle_feed.h"

namespace {

namespace streams = ember::data::streams;
using Clock = std::chrono::steady_clock;

struct Options {
  double rate = 100;
  int port = 5555;
  std::string format = "binary";
  double duration = 10;
  int64_t ranges = 16;
  int64_t check = 0;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--rate")
      options.rate = std::stod(value);
    else if (name == "--port")
      options.port = std::stoi(value);
    else if (name == "--format")
      options.format = value;
    else if (name == "--duration")
      options.duration = std::stod(value);
    else if (name == "--ranges")
      options.ranges = std::stoll(value);
    else if (name == "--check")
      options.check = std::stoll(value);
    else
      throw std::invalid_argument("unknown option " + name);
  }
  return options;
}

// A listening socket on 127.0.0.1:port; its bound port in `port`.
int listen_on(int& port, double duration) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(fd, 4) != 0) {
    throw std::runtime_error("cannot listen on port " + std::to_string(port));
  }
  socklen_t size = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  port = ntohs(address.sin_port);
  // accept() gives up after the feed's duration when no client comes.
  const auto wait_us = static_cast<int64_t>(duration * 1e6);
  timeval timeout{static_cast<time_t>(wait_us / 1000000),
                  static_cast<suseconds_t>(wait_us % 1000000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  return fd;
}

// Sends the feed, paced at the rate, to one client at a time until the duration has passed.
void serve(int listener, const Options& options) {
  streams::VehicleFeed feed(options.ranges, options.rate, /*seed=*/0);
  const streams::Format format = streams::format_from_string(options.format);
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(options.duration);
  while (Clock::now() < end) {
    const int client = ::accept(listener, nullptr, nullptr);
    if (client < 0) return;
    while (Clock::now() < end) {
      std::this_thread::sleep_until(
          start +
          std::chrono::duration<double>(static_cast<double>(feed.produced()) / options.rate));
      const std::string frame = feed.next_frame(format);
      if (::send(client, frame.data(), frame.size(), MSG_NOSIGNAL) < 0) break;  // next client
    }
    ::close(client);
  }
}

// Reads `count` records back through a Stream and checks that their times step by 1 / rate.
int check(int port, const Options& options) {
  streams::StreamOptions stream_options;
  stream_options.format = streams::format_from_string(options.format);
  const streams::VehicleFeed feed(options.ranges, options.rate, 0);
  streams::Stream stream(feed.schema(), streams::tcp_client("127.0.0.1", port), stream_options);
  int64_t received = 0;
  double last_time = -1;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (received < options.check && Clock::now() < deadline) {
    const auto batch = stream.next_batch(options.check - received, 1.0);
    if (!batch) continue;
    const double* times = batch->fields[0].data_ptr<double>();
    for (int64_t i = 0; i < batch->size(); ++i) {
      if (last_time >= 0 && std::abs(times[i] - last_time - 1.0 / options.rate) > 1e-9) {
        std::cerr << "record " << received + i << ": time " << times[i] << " after " << last_time
                  << "\n";
        return 1;
      }
      last_time = times[i];
    }
    received += batch->size();
  }
  const streams::Counters counters = stream.counters();
  std::cout << "received " << received << " records; malformed " << counters.malformed
            << "; dropped " << counters.dropped << "; lag " << counters.lag * 1000 << " ms\n";
  return received == options.check && counters.malformed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  int port = options.port;
  const int listener = listen_on(port, options.duration);
  std::cout << "listening 127.0.0.1 " << port << std::endl;
  if (options.check == 0) {
    serve(listener, options);
    ::close(listener);
    return 0;
  }
  std::thread server([&] { serve(listener, options); });
  const int status = check(port, options);
  ::shutdown(listener, SHUT_RDWR);  // ends a server still waiting for a client
  server.join();
  ::close(listener);
  return status;
}
