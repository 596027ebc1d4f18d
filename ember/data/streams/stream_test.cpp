// Streams over real sources on loopback, a temporary unix socket, a pipe and a file. Every wait
// is bounded: a failing test times out in seconds instead of hanging.
#include "ember/data/streams/stream.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>

namespace ember::data::streams {
namespace {

constexpr double kWait = 5.0;  // seconds: generous upper bounds, reached only on failure

Schema pair_schema() { return Schema({{"x", kFloat32, {}}, {"y", kFloat64, {2}}}); }

StreamOptions options_for(Format format, OnDisconnect on_disconnect = OnDisconnect::kReconnect) {
  StreamOptions options;
  options.format = format;
  options.on_disconnect = on_disconnect;
  options.backoff_initial = 0.01;
  options.backoff_max = 0.05;
  return options;
}

// A connected client socket of `family` to `address`.
int connect_to(const sockaddr* address, socklen_t length) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    const int fd = ::socket(address->sa_family, SOCK_STREAM, 0);
    if (::connect(fd, address, length) == 0) return fd;
    ::close(fd);
    usleep(10000);
  }
  return -1;
}

int connect_tcp(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return connect_to(reinterpret_cast<sockaddr*>(&address), sizeof(address));
}

void send_all(int fd, const std::string& text) {
  size_t sent = 0;
  while (sent < text.size()) {
    const ssize_t count = ::send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    ASSERT_GT(count, 0);
    sent += static_cast<size_t>(count);
  }
}

std::string csv_lines(int first, int count) {
  std::string text;
  for (int i = first; i < first + count; ++i) {
    text += std::to_string(i) + "," + std::to_string(i * 2) + "," + std::to_string(i * 3) + "\n";
  }
  return text;
}

// Waits for `count` records in batches; the x values in arrival order.
std::vector<float> read_xs(Stream& stream, size_t count) {
  std::vector<float> xs;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (xs.size() < count && std::chrono::steady_clock::now() < deadline) {
    auto batch = stream.next_batch(static_cast<int64_t>(count - xs.size()), 0.2);
    if (!batch) continue;
    const float* x = batch->fields[0].data_ptr<float>();
    xs.insert(xs.end(), x, x + batch->size());
  }
  return xs;
}

std::string temp_path(const std::string& name) {
  return "/tmp/ember_stream_test_" + std::to_string(::getpid()) + "_" + name;
}

TEST(Stream, TcpServerReadsCsvAndTheNextClientContinuesIt) {
  Stream stream(pair_schema(), tcp_server("127.0.0.1", 0), options_for(Format::kCsv));
  int port = 0;
  for (int i = 0; i < 500 && port == 0; ++i) {
    port = stream.port();
    usleep(2000);
  }
  ASSERT_GT(port, 0);
  int client = connect_tcp(port);
  ASSERT_GE(client, 0);
  send_all(client, csv_lines(0, 3));
  EXPECT_EQ(read_xs(stream, 3), (std::vector<float>{0, 1, 2}));
  ::close(client);
  client = connect_tcp(port);
  send_all(client, csv_lines(3, 2));
  EXPECT_EQ(read_xs(stream, 2), (std::vector<float>{3, 4}));
  ::close(client);
  const Counters counters = stream.counters();
  EXPECT_EQ(counters.received, 5u);
  EXPECT_EQ(counters.bytes, csv_lines(0, 5).size());
}

TEST(Stream, BatchesHoldEveryFieldWithItsShape) {
  Stream stream(pair_schema(), options_for(Format::kCsv));
  stream.push({1, 2, 3});
  stream.push({4, 5, 6});
  const auto batch = stream.next_batch(2, kWait);
  ASSERT_TRUE(batch.has_value());
  EXPECT_EQ(batch->fields[1].sizes().vec(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(batch->fields[1].dtype(), kFloat64);
  const double* y = batch->fields[1].data_ptr<double>();
  EXPECT_EQ(y[3], 6.0);
  EXPECT_GT(batch->timestamps.data_ptr<double>()[1], 0.0);
  EXPECT_THROW(stream.push({1}), ValueError);
  EXPECT_THROW(stream.next_batch(0, 0), ValueError);
}

TEST(Stream, TcpClientReconnectsWithBackoff) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t size = sizeof(address);
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size);
  Stream stream(pair_schema(), tcp_client("127.0.0.1", ntohs(address.sin_port)),
                options_for(Format::kCsv));
  int peer = ::accept(listener, nullptr, nullptr);
  send_all(peer, csv_lines(0, 2));
  EXPECT_EQ(read_xs(stream, 2), (std::vector<float>{0, 1}));
  ::close(peer);  // the stream reconnects
  peer = ::accept(listener, nullptr, nullptr);
  send_all(peer, csv_lines(7, 1));
  EXPECT_EQ(read_xs(stream, 1), (std::vector<float>{7}));
  EXPECT_EQ(stream.counters().reconnects, 1u);
  ::close(peer);
  ::close(listener);
}

TEST(Stream, ADisconnectRaisesOnceTheBufferIsDrained) {
  // Nothing listens on this unix path: the connection cannot be made.
  Stream refused(pair_schema(), unix_client(temp_path("nobody")),
                 options_for(Format::kCsv, OnDisconnect::kRaise));
  EXPECT_THROW(refused.next(kWait), StreamDisconnected);

  StreamOptions options = options_for(Format::kCsv);
  options.max_reconnects = 2;
  Stream gives_up(pair_schema(), unix_client(temp_path("nobody")), options);
  EXPECT_THROW(gives_up.next(kWait), StreamDisconnected);
}

TEST(Stream, UnixServerWithBinaryFrames) {
  const std::string path = temp_path("server.sock");
  Stream stream(pair_schema(), unix_server(path), options_for(Format::kBinary));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  const int client = connect_to(reinterpret_cast<sockaddr*>(&address), sizeof(address));
  ASSERT_GE(client, 0);
  const std::vector<uint8_t> payload = pack_values(pair_schema(), {9, 1, 2});
  std::string frame = {20, 0, 0, 0};
  frame.append(payload.begin(), payload.end());
  send_all(client, frame + std::string({3, 0, 0, 0, 1, 2, 3}) + frame);
  EXPECT_EQ(read_xs(stream, 2), (std::vector<float>{9, 9}));
  const auto errors = stream.errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].offset, 24u);
  ::close(client);
}

TEST(Stream, UdpDatagramsAreWholeMessages) {
  Stream stream(pair_schema(), udp_source("127.0.0.1", 0), options_for(Format::kNdjson));
  int port = 0;
  for (int i = 0; i < 500 && port == 0; ++i) {
    port = stream.port();
    usleep(2000);
  }
  ASSERT_GT(port, 0);
  const int sender = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<float> xs;
  // Datagrams may be lost: resend until one arrives (bounded).
  for (int attempt = 0; attempt < 50 && xs.empty(); ++attempt) {
    const std::string message = R"({"x": 5, "y": [1, 2]})";  // no newline: the datagram ends it
    ::sendto(sender, message.data(), message.size(), 0, reinterpret_cast<sockaddr*>(&address),
             sizeof(address));
    if (auto record = stream.next(0.1)) xs.push_back(5);
  }
  EXPECT_EQ(xs.size(), 1u);
  ::close(sender);
}

TEST(Stream, SubprocessStdoutEndsQuietlyWhenAsked) {
  Stream stream(pair_schema(),
                subprocess_source({"/bin/sh", "-c", "printf '1,2,3\\n4,5,6\\nbad\\n'"}),
                options_for(Format::kCsv, OnDisconnect::kEnd));
  EXPECT_EQ(read_xs(stream, 2), (std::vector<float>{1, 4}));
  for (int i = 0; i < 500 && !stream.finished(); ++i) usleep(2000);
  EXPECT_TRUE(stream.finished());
  EXPECT_FALSE(stream.next(0.01).has_value());
  EXPECT_EQ(stream.counters().malformed, 1u);
}

TEST(Stream, FileTailFollowsAppends) {
  const std::string path = temp_path("tail.csv");
  std::ofstream(path) << csv_lines(0, 2);
  Stream stream(pair_schema(), file_tail(path), options_for(Format::kCsv));
  EXPECT_EQ(read_xs(stream, 2), (std::vector<float>{0, 1}));
  std::ofstream(path, std::ios::app) << csv_lines(2, 1);
  EXPECT_EQ(read_xs(stream, 1), (std::vector<float>{2}));
  stream.close();
  std::remove(path.c_str());
}

TEST(Stream, CountWindowsSlideByTheirStride) {
  Stream stream(pair_schema(), options_for(Format::kCsv));
  for (int i = 0; i < 6; ++i) stream.push({double(i), 0, 0});
  auto first = stream.next_window(4, 2, kWait);
  auto second = stream.next_window(4, 2, kWait);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->fields[0].data_ptr<float>()[0], 0.0f);
  EXPECT_EQ(second->fields[0].data_ptr<float>()[0], 2.0f);
  EXPECT_EQ(second->fields[0].data_ptr<float>()[3], 5.0f);
  EXPECT_FALSE(stream.next_window(4, 2, 0.01).has_value());  // only 0 new records

  Stream filling(pair_schema(), options_for(Format::kCsv));
  filling.push({0, 0, 0});
  EXPECT_FALSE(filling.next_window(2, 1, 0.01).has_value());  // the first window is not full
  filling.push({1, 0, 0});
  auto filled = filling.next_window(2, 1, kWait);
  ASSERT_TRUE(filled.has_value());
  EXPECT_EQ(filled->fields[0].data_ptr<float>()[1], 1.0f);
}

TEST(Stream, ASubprocessIgnoringSigtermIsKilledOnClose) {
  Stream stream(pair_schema(),
                subprocess_source({"/bin/sh", "-c", "trap '' TERM; echo 1,2,3; exec sleep 30"}),
                options_for(Format::kCsv));
  EXPECT_TRUE(stream.next(kWait).has_value());
  const auto start = std::chrono::steady_clock::now();
  stream.close();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(Stream, TimeWindowsCollectWhatArrivedInThem) {
  Stream stream(pair_schema(), options_for(Format::kCsv));
  stream.push({1, 0, 0});
  stream.push({2, 0, 0});
  const Batch window = stream.next_time_window(0.05);
  EXPECT_EQ(window.size(), 2);
  EXPECT_EQ(stream.next_time_window(0.02).size(), 0);
}

TEST(Stream, PushFramesGoThroughTheFraming) {
  Stream stream(pair_schema(), options_for(Format::kNdjson));
  const std::string lines = "{\"x\": 1, \"y\": [0, 0]}\n{oops}\n";
  stream.push_frame(reinterpret_cast<const uint8_t*>(lines.data()), lines.size());
  EXPECT_TRUE(stream.next(kWait).has_value());
  EXPECT_EQ(stream.counters().malformed, 1u);
  Stream sourced(pair_schema(), file_tail("/nonexistent"), options_for(Format::kCsv));
  EXPECT_THROW(sourced.push_frame(nullptr, 0), ValueError);
}

}  // namespace
}  // namespace ember::data::streams
