// The large-record path: binary payloads read straight into their record's buffer, pooled
// record buffers, and a batch of one record that adopts its buffer. Malformed-frame offsets and
// the backpressure policies must stay exact on this path. Loopback only; every wait is bounded.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "ember/data/streams/stream.h"

namespace ember::data::streams {
namespace {

constexpr int64_t kFloats = 1 << 16;  // 256 KiB records: above the I/O thread's read chunk

Schema large_schema() { return Schema({{"samples", kFloat32, {kFloats}}}); }

std::string frame_of(float value) {
  return encode_frame(Format::kBinary, large_schema(), std::vector<double>(kFloats, value));
}

std::string bad_frame() {
  std::string frame(4 + 8, '\x01');
  frame[0] = 8;
  frame[1] = frame[2] = frame[3] = 0;
  return frame;
}

struct Collected {
  std::vector<std::vector<uint8_t>> records;
  std::vector<uint64_t> offsets;
  std::vector<uint64_t> malformed;
};

std::unique_ptr<Framer> binary_framer(Collected& out) {
  static const Schema schema = large_schema();
  return make_framer(
      Format::kBinary, schema, {},
      [&out](std::vector<uint8_t>&& bytes, uint64_t offset) {
        out.records.push_back(std::move(bytes));
        out.offsets.push_back(offset);
      },
      [&out](uint64_t offset, const std::string&) { out.malformed.push_back(offset); });
}

// Feeds `text` the way the I/O thread does: into direct_target() whenever the framer offers
// one, else through feed(), in reads of at most `step` bytes.
void feed_like_io_thread(Framer& framer, const std::string& text, size_t step) {
  size_t at = 0;
  while (at < text.size()) {
    const size_t take = std::min(step, text.size() - at);
    const std::span<uint8_t> direct = framer.direct_target();
    if (!direct.empty()) {
      const size_t count = std::min(take, direct.size());
      std::memcpy(direct.data(), text.data() + at, count);
      framer.commit_direct(count);
      at += count;
    } else {
      framer.feed(reinterpret_cast<const uint8_t*>(text.data()) + at, take);
      at += take;
    }
  }
}

TEST(StreamZeroCopy, DirectReadsFillRecordsAndKeepOffsets) {
  const std::string good = frame_of(1.5f);
  const std::string text = good + bad_frame() + frame_of(-2.0f);
  for (size_t step : {size_t{7}, size_t{4096}, size_t{1} << 20}) {
    Collected out;
    auto framer = binary_framer(out);
    feed_like_io_thread(*framer, text, step);
    ASSERT_EQ(out.records.size(), 2u) << "step " << step;
    EXPECT_EQ(out.offsets, (std::vector<uint64_t>{0, good.size() + bad_frame().size()}));
    EXPECT_EQ(out.malformed, (std::vector<uint64_t>{good.size()}));
    EXPECT_EQ(framer->offset(), text.size());
    float last = 0;
    std::memcpy(&last, out.records[1].data() + out.records[1].size() - 4, 4);
    EXPECT_EQ(last, -2.0f);
    EXPECT_EQ(std::memcmp(out.records[0].data(), good.data() + 4, good.size() - 4), 0);
  }
}

TEST(StreamZeroCopy, NoDirectTargetWhileSkippingOrBetweenFrames) {
  Collected out;
  auto framer = binary_framer(out);
  EXPECT_TRUE(framer->direct_target().empty());  // the header goes through feed()
  const std::string bad("\xff\xff\x00\x00", 4);
  framer->feed(reinterpret_cast<const uint8_t*>(bad.data()), bad.size());
  EXPECT_TRUE(framer->direct_target().empty());  // a wrong-length payload is skipped, not kept
  EXPECT_EQ(out.malformed, (std::vector<uint64_t>{0}));
  Collected cut;
  auto partial = binary_framer(cut);
  const std::string frame = frame_of(3.0f);
  partial->feed(reinterpret_cast<const uint8_t*>(frame.data()), 100);
  EXPECT_EQ(partial->direct_target().size(), frame.size() - 100);
  partial->end_message();  // a connection ending inside the payload: malformed, nothing kept
  EXPECT_TRUE(partial->direct_target().empty());
  EXPECT_EQ(cut.malformed, (std::vector<uint64_t>{0}));
  EXPECT_TRUE(cut.records.empty());
}

TEST(StreamZeroCopy, PoolReusesBuffersWithinItsBound) {
  EXPECT_EQ(make_record_pool(64, 1 << 20), nullptr);  // small records: malloc is as fast
  auto pool = make_record_pool(kPooledRecordBytes, 3 * kPooledRecordBytes);
  ASSERT_NE(pool, nullptr);
  std::vector<uint8_t> first = pool->acquire();
  ASSERT_EQ(first.size(), kPooledRecordBytes);
  const uint8_t* address = first.data();
  pool->release(std::move(first));
  EXPECT_EQ(pool->acquire().data(), address);
  pool->release(std::vector<uint8_t>(10));  // another size is freed
  EXPECT_EQ(pool->free_count(), 0u);
  for (int i = 0; i < 5; ++i) pool->release(std::vector<uint8_t>(kPooledRecordBytes));
  EXPECT_EQ(pool->free_count(), 3u);
}

TEST(StreamZeroCopy, BatchOfOneAdoptsItsRecordAndReturnsIt) {
  const Schema schema({{"a", kFloat32, {4096}}, {"b", kInt64, {2}}});
  auto pool = make_record_pool(schema.record_bytes(), 1 << 20);
  ASSERT_NE(pool, nullptr);
  std::vector<Record> records(1);
  records[0].bytes = pool->acquire();
  records[0].timestamp = 12.5;
  records[0].offset = 99;
  int64_t b[2] = {7, -8};
  std::memcpy(records[0].bytes.data() + schema.offset(1), b, sizeof(b));
  const uint8_t* address = records[0].bytes.data();
  {
    Batch batch = make_batch(schema, std::move(records), pool);
    EXPECT_EQ(batch.fields[0].data_ptr(), address);  // no copy
    EXPECT_EQ(batch.fields[1].sizes().vec(), (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(batch.fields[1].data_ptr<int64_t>()[1], -8);
    EXPECT_EQ(batch.timestamps.data_ptr<double>()[0], 12.5);
    EXPECT_EQ(batch.offsets.data_ptr<int64_t>()[0], 99);
    EXPECT_EQ(pool->free_count(), 0u);
  }
  EXPECT_EQ(pool->free_count(), 1u);  // freed with the batch's last tensor
  EXPECT_EQ(pool->acquire().data(), address);
}

TEST(StreamZeroCopy, MisalignedFieldsAndLargerBatchesAreCopied) {
  const Schema schema({{"flag", kInt8, {}}, {"x", kFloat32, {8192}}});
  auto pool = make_record_pool(schema.record_bytes(), 1 << 20);
  std::vector<Record> one(1);
  one[0].bytes = pool->acquire();
  const uint8_t* address = one[0].bytes.data();
  Batch batch = make_batch(schema, std::move(one), pool);
  EXPECT_NE(batch.fields[1].data_ptr(), static_cast<const void*>(address + 1));
  EXPECT_EQ(pool->free_count(), 1u);  // copied, so handed back at once
  std::vector<Record> two(2);
  for (Record& record : two) record.bytes = pool->acquire();
  EXPECT_EQ(make_batch(schema, std::move(two), pool).size(), 2);
  EXPECT_EQ(pool->free_count(), 2u);
}

int connect_tcp(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int attempt = 0; attempt < 200; ++attempt) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) return fd;
    ::close(fd);
    usleep(10000);
  }
  return -1;
}

int port_of(const Stream& stream) {
  for (int i = 0; i < 2500 && stream.port() <= 0; ++i) usleep(2000);
  return stream.port();
}

// Large frames with a malformed one between them, sent from a thread, under each policy.
void check_tcp_large_records(Backpressure policy) {
  StreamOptions options;
  options.on_disconnect = OnDisconnect::kEnd;
  options.backpressure = policy;
  options.capacity = 2;
  Stream stream(large_schema(), tcp_server("127.0.0.1", 0), options);
  const int client = connect_tcp(port_of(stream));
  ASSERT_GE(client, 0);
  std::string text = frame_of(0.0f) + bad_frame();
  for (int i = 1; i < 6; ++i) text += frame_of(static_cast<float>(i));
  std::thread sender([&] {
    size_t sent = 0;
    while (sent < text.size()) {
      const ssize_t count = ::send(client, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
      if (count <= 0) break;
      sent += static_cast<size_t>(count);
    }
    ::close(client);
  });
  if (policy != Backpressure::kBlock) {  // let the buffer overflow first
    sender.join();
    for (int i = 0; i < 2500 && stream.counters().received < 6; ++i) usleep(2000);
  }
  std::vector<float> firsts;
  std::vector<int64_t> offsets;
  while (auto batch = stream.next_batch(1, 5.0)) {
    const float* samples = batch->fields[0].data_ptr<float>();
    EXPECT_EQ(samples[0], samples[kFloats - 1]);
    firsts.push_back(samples[0]);
    offsets.push_back(batch->offsets.data_ptr<int64_t>()[0]);
  }
  if (sender.joinable()) sender.join();
  const auto frame = static_cast<int64_t>(frame_of(0).size());
  const auto bad = static_cast<int64_t>(bad_frame().size());
  const Counters counters = stream.counters();
  EXPECT_EQ(counters.malformed, 1u);
  EXPECT_EQ(counters.received, 6u);
  EXPECT_EQ(counters.bytes, text.size());
  EXPECT_EQ(stream.errors().at(0).offset, static_cast<uint64_t>(frame));
  ASSERT_FALSE(firsts.empty());
  for (size_t i = 0; i < firsts.size(); ++i) {
    const auto index = static_cast<int64_t>(firsts[i]);
    EXPECT_EQ(offsets[i], index == 0 ? 0 : index * frame + bad);
  }
  if (policy == Backpressure::kBlock) {
    EXPECT_EQ(firsts, (std::vector<float>{0, 1, 2, 3, 4, 5}));
  } else {
    EXPECT_EQ(firsts.size() + counters.dropped, 6u);
    EXPECT_EQ(firsts.size(), 2u);
    EXPECT_EQ(firsts.back(), policy == Backpressure::kDropOldest ? 5.0f : 1.0f);
  }
}

TEST(StreamZeroCopy, TcpLargeRecordsUnderEveryPolicy) {
  check_tcp_large_records(Backpressure::kBlock);
  check_tcp_large_records(Backpressure::kDropOldest);
  check_tcp_large_records(Backpressure::kDropNewest);
}

}  // namespace
}  // namespace ember::data::streams
