#include "ember/data/streams/record_buffer.h"

#include <gtest/gtest.h>

#include <thread>

#include "ember/base/error.h"

namespace ember::data::streams {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

Record record_with(uint8_t value) { return Record{{value}, now_seconds(), value}; }

std::vector<uint8_t> drain(RecordBuffer& buffer) {
  std::vector<uint8_t> values;
  while (auto record = buffer.pop(steady_clock::now())) values.push_back(record->bytes[0]);
  return values;
}

TEST(StreamRecordBuffer, DropOldestKeepsTheFreshestRecords) {
  RecordBuffer buffer(3, Backpressure::kDropOldest, 4);
  for (uint8_t i = 0; i < 5; ++i) EXPECT_TRUE(buffer.push(record_with(i)));
  EXPECT_EQ(drain(buffer), (std::vector<uint8_t>{2, 3, 4}));
  const Counters counters = buffer.counters();
  EXPECT_EQ(counters.received, 5u);
  EXPECT_EQ(counters.dropped, 2u);
  EXPECT_EQ(counters.consumed, 3u);
  EXPECT_GE(counters.lag, 0.0);
}

TEST(StreamRecordBuffer, DropNewestKeepsTheFirstRecords) {
  RecordBuffer buffer(3, Backpressure::kDropNewest, 4);
  for (uint8_t i = 0; i < 5; ++i) EXPECT_TRUE(buffer.push(record_with(i)));
  EXPECT_EQ(drain(buffer), (std::vector<uint8_t>{0, 1, 2}));
  EXPECT_EQ(buffer.counters().dropped, 2u);
}

TEST(StreamRecordBuffer, BlockWaitsForTheConsumerAndDropsNothing) {
  RecordBuffer buffer(2, Backpressure::kBlock, 4);
  std::thread producer([&] {
    for (uint8_t i = 0; i < 20; ++i) buffer.push(record_with(i));
  });
  std::vector<uint8_t> values;
  const auto deadline = steady_clock::now() + std::chrono::seconds(10);
  while (values.size() < 20 && steady_clock::now() < deadline) {
    if (auto record = buffer.pop(steady_clock::now() + milliseconds(100))) {
      values.push_back(record->bytes[0]);
    }
  }
  producer.join();
  ASSERT_EQ(values.size(), 20u);
  for (uint8_t i = 0; i < 20; ++i) EXPECT_EQ(values[i], i);
  EXPECT_EQ(buffer.counters().dropped, 0u);
}

TEST(StreamRecordBuffer, CloseWakesABlockedProducerAndKeepsTheBufferedRecords) {
  RecordBuffer buffer(1, Backpressure::kBlock, 4);
  buffer.push(record_with(7));
  std::thread producer([&] { EXPECT_FALSE(buffer.push(record_with(8))); });
  std::this_thread::sleep_for(milliseconds(20));
  buffer.close("gone");
  producer.join();
  EXPECT_FALSE(buffer.end_error().has_value());  // not drained yet
  EXPECT_EQ(drain(buffer), (std::vector<uint8_t>{7}));
  EXPECT_EQ(buffer.end_error(), std::optional<std::string>("gone"));
}

TEST(StreamRecordBuffer, PopTimesOutWhenNothingArrives) {
  RecordBuffer buffer(4, Backpressure::kBlock, 4);
  const auto start = steady_clock::now();
  EXPECT_FALSE(buffer.pop(start + milliseconds(30)).has_value());
  EXPECT_GE(steady_clock::now() - start, milliseconds(30));
}

TEST(StreamRecordBuffer, PopManyTakesWhatArrivedByTheDeadline) {
  RecordBuffer buffer(8, Backpressure::kBlock, 4);
  buffer.push(record_with(1));
  buffer.push(record_with(2));
  std::vector<Record> out;
  buffer.pop_many(5, steady_clock::now() + milliseconds(20), out);
  EXPECT_EQ(out.size(), 2u);
}

TEST(StreamRecordBuffer, TheErrorLogIsBoundedAndTheCallbackSeesEveryFrame) {
  size_t seen = 0;
  RecordBuffer buffer(4, Backpressure::kBlock, 2, [&](const MalformedFrame&) { ++seen; });
  for (uint64_t offset = 0; offset < 5; ++offset) buffer.note_malformed({offset * 10, "bad"});
  const auto errors = buffer.errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].offset, 30u);
  EXPECT_EQ(errors[1].offset, 40u);
  EXPECT_EQ(buffer.counters().malformed, 5u);
  EXPECT_EQ(seen, 5u);
}

TEST(StreamRecordBuffer, BadPoliciesAndCapacitiesAreValueErrors) {
  EXPECT_THROW(backpressure_from_string("drop_some"), ValueError);
  EXPECT_THROW(RecordBuffer(0, Backpressure::kBlock, 1), ValueError);
}

}  // namespace
}  // namespace ember::data::streams
