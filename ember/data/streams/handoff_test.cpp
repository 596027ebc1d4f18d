// The handoff from the I/O thread to a waiting consumer: a spin before the sleep, wakeups only
// when a sleeper's batch is complete, and every waiter still woken by a close or a deadline.
// Also Stream::another(), which gives a DataLoader worker its own stream. Bounded waits only.
#include <gtest/gtest.h>

#include <thread>

#include "ember/data/streams/stream.h"

namespace ember::data::streams {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

Record record_with(uint8_t value) { return Record{{value}, now_seconds(), value}; }

std::vector<uint8_t> values_of(const std::vector<Record>& records) {
  std::vector<uint8_t> values;
  for (const Record& record : records) values.push_back(record.bytes[0]);
  return values;
}

class Handoff : public ::testing::TestWithParam<int64_t> {
 protected:
  std::chrono::nanoseconds spin() const { return std::chrono::microseconds(GetParam()); }
};

TEST_P(Handoff, ABatchWaitsForAllItsRecordsAcrossSpinAndSleep) {
  RecordBuffer buffer(16, Backpressure::kBlock, 4, nullptr, spin());
  std::thread producer([&] {
    for (uint8_t i = 0; i < 5; ++i) {
      std::this_thread::sleep_for(milliseconds(2));
      buffer.push(record_with(i));
    }
  });
  std::vector<Record> out;
  buffer.pop_many(5, steady_clock::now() + std::chrono::seconds(5), out);
  producer.join();
  EXPECT_EQ(values_of(out), (std::vector<uint8_t>{0, 1, 2, 3, 4}));
}

TEST_P(Handoff, DeadlinesAndClosesEndEveryWait) {
  RecordBuffer buffer(4, Backpressure::kBlock, 4, nullptr, spin());
  const auto start = steady_clock::now();
  EXPECT_FALSE(buffer.pop(start + milliseconds(20)).has_value());
  EXPECT_GE(steady_clock::now() - start, milliseconds(20));
  std::vector<Record> out;
  std::thread closer([&] {
    std::this_thread::sleep_for(milliseconds(20));
    buffer.push(record_with(7));
    buffer.close();
  });
  // Waits for 3 records; one arrives, then the close ends the wait with what there is.
  buffer.pop_many(3, steady_clock::now() + std::chrono::seconds(5), out);
  closer.join();
  EXPECT_EQ(values_of(out), (std::vector<uint8_t>{7}));
}

TEST_P(Handoff, TwoConsumersWithDifferentBatchSizesBothGetTheirRecords) {
  RecordBuffer buffer(64, Backpressure::kBlock, 4, nullptr, spin());
  std::vector<Record> big;
  std::vector<Record> small;
  std::thread big_consumer(
      [&] { buffer.pop_many(4, steady_clock::now() + std::chrono::seconds(5), big); });
  std::thread small_consumer(
      [&] { buffer.pop_many(1, steady_clock::now() + std::chrono::seconds(5), small); });
  std::this_thread::sleep_for(milliseconds(20));  // both asleep, waiting for 4 and for 1
  for (uint8_t i = 0; i < 5; ++i) buffer.push(record_with(i));
  big_consumer.join();
  small_consumer.join();
  EXPECT_EQ(big.size() + small.size(), 5u);
  EXPECT_EQ(small.size() == 1 ? big.size() : small.size(), 4u);
}

TEST_P(Handoff, ABlockedProducerResumesWhenTheConsumerTakesRecords) {
  RecordBuffer buffer(1, Backpressure::kBlock, 4, nullptr, spin());
  buffer.push(record_with(1));
  std::thread producer([&] { buffer.push(record_with(2)); });
  std::this_thread::sleep_for(milliseconds(10));
  EXPECT_EQ(buffer.pop(steady_clock::now() + std::chrono::seconds(5))->bytes[0], 1);
  EXPECT_EQ(buffer.pop(steady_clock::now() + std::chrono::seconds(5))->bytes[0], 2);
  producer.join();
}

INSTANTIATE_TEST_SUITE_P(StreamHandoff, Handoff, ::testing::Values(0, 200, 50000));

TEST(StreamAnother, ClientsAndProcessesGiveEachReaderItsOwnStream) {
  StreamOptions options;
  options.format = Format::kCsv;
  options.on_disconnect = OnDisconnect::kEnd;
  Stream stream(Schema({{"x", kInt64, {}}}), subprocess_source({"sh", "-c", "echo 1; echo 2"}),
                options);
  const std::unique_ptr<Stream> other = stream.another();
  for (Stream* reader : {&stream, other.get()}) {
    const auto batch = reader->next_batch(2, 5.0);
    ASSERT_TRUE(batch.has_value());
    EXPECT_EQ(batch->fields[0].data_ptr<int64_t>()[1], 2);  // each process wrote both lines
  }
}

TEST(StreamAnother, SourcesThatFeedOneReaderRefuseNamingThemselves) {
  Stream push(Schema({{"x", kInt64, {}}}));
  try {
    push.another();
    FAIL() << "expected RuntimeError";
  } catch (const RuntimeError& error) {
    EXPECT_NE(std::string(error.what()).find("a push stream"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("num_workers=0"), std::string::npos);
  }
  StreamOptions options;
  options.on_disconnect = OnDisconnect::kEnd;
  Stream server(Schema({{"x", kInt64, {}}}), tcp_server("127.0.0.1", 0), options);
  try {
    server.another();
    FAIL() << "expected RuntimeError";
  } catch (const RuntimeError& error) {
    EXPECT_NE(std::string(error.what()).find("tcp server 127.0.0.1:0"), std::string::npos);
  }
  const std::string path = "/tmp/ember_handoff_test_" + std::to_string(::getpid());
  Stream tail(Schema({{"x", kInt64, {}}}), file_tail(path), options);
  EXPECT_THROW(tail.another(), RuntimeError);
}

}  // namespace
}  // namespace ember::data::streams
