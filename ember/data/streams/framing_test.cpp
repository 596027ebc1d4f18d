#include "ember/data/streams/framing.h"

#include <gtest/gtest.h>

#include <cstring>

#include "ember/base/error.h"
#include "ember/data/streams/record_buffer.h"
#include "ember/data/streams/vehicle_feed.h"

namespace ember::data::streams {
namespace {

Schema vehicle_schema() {
  return Schema({{"speed", kFloat32, {}}, {"gear", kInt64, {}}, {"ranges", kFloat32, {3}}});
}

struct Collected {
  std::vector<std::vector<uint8_t>> records;
  std::vector<uint64_t> record_offsets;
  std::vector<MalformedFrame> malformed;
};

std::unique_ptr<Framer> framer_for(Format format, Collected& out, FramingOptions options = {}) {
  static const Schema schema = vehicle_schema();
  return make_framer(
      format, schema, options,
      [&out](std::vector<uint8_t>&& bytes, uint64_t offset) {
        out.records.push_back(std::move(bytes));
        out.record_offsets.push_back(offset);
      },
      [&out](uint64_t offset, std::string reason) {
        out.malformed.push_back({offset, reason});
      });
}

void feed(Framer& framer, const std::string& text) {
  framer.feed(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

float float_at(const std::vector<uint8_t>& record, size_t offset) {
  float value;
  std::memcpy(&value, record.data() + offset, sizeof(value));
  return value;
}

int64_t int_at(const std::vector<uint8_t>& record, size_t offset) {
  int64_t value;
  std::memcpy(&value, record.data() + offset, sizeof(value));
  return value;
}

std::string binary_frame(uint32_t length, const std::vector<uint8_t>& payload) {
  std::string frame(4, '\0');
  for (int i = 0; i < 4; ++i) frame[i] = static_cast<char>((length >> (8 * i)) & 0xff);
  frame.append(payload.begin(), payload.end());
  return frame;
}

TEST(StreamSchema, PacksFieldsInOrder) {
  const Schema schema = vehicle_schema();
  EXPECT_EQ(schema.record_bytes(), 4u + 8u + 12u);
  EXPECT_EQ(schema.offset(2), 12u);
  EXPECT_EQ(schema.values_per_record(), 5);
  EXPECT_EQ(schema.index_of("gear"), std::optional<size_t>(1));
  EXPECT_EQ(stream_dtype("float64"), kFloat64);
}

TEST(StreamSchema, RejectsBadFields) {
  EXPECT_THROW(Schema(std::vector<Field>{}), ValueError);
  EXPECT_THROW(Schema({{"a", kFloat32, {}}, {"a", kFloat32, {}}}), ValueError);
  EXPECT_THROW(Schema({{"a", kFloat32, {-1}}}), ValueError);
  EXPECT_THROW(stream_dtype("complex64"), ValueError);
}

TEST(StreamFraming, BinaryRecordsSplitAcrossReads) {
  Collected out;
  auto framer = framer_for(Format::kBinary, out);
  const std::vector<double> values{1.5, 3, 0.25, 0.5, 0.75};
  const std::string frame = binary_frame(24, pack_values(vehicle_schema(), values));
  const std::string two = frame + frame;
  for (char byte : two) feed(*framer, std::string(1, byte));  // byte by byte
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.record_offsets, (std::vector<uint64_t>{0, 28}));
  EXPECT_EQ(float_at(out.records[1], 0), 1.5f);
  EXPECT_EQ(int_at(out.records[1], 4), 3);
  EXPECT_EQ(float_at(out.records[1], 20), 0.75f);
  EXPECT_TRUE(out.malformed.empty());
}

TEST(StreamFraming, BinaryWrongLengthIsSkippedAndReportedWithItsOffset) {
  Collected out;
  auto framer = framer_for(Format::kBinary, out);
  const std::vector<uint8_t> good = pack_values(vehicle_schema(), {1, 2, 3, 4, 5});
  feed(*framer, binary_frame(24, good) + binary_frame(5, {1, 2, 3, 4, 5}) + binary_frame(24, good));
  ASSERT_EQ(out.records.size(), 2u);
  ASSERT_EQ(out.malformed.size(), 1u);
  EXPECT_EQ(out.malformed[0].offset, 28u);
  EXPECT_NE(out.malformed[0].reason.find("expected a payload of 24 bytes"), std::string::npos);
  EXPECT_EQ(out.record_offsets[1], 28u + 9u);
}

TEST(StreamFraming, BinaryHugeDeclaredLengthDoesNotGrowMemory) {
  Collected out;
  auto framer = framer_for(Format::kBinary, out);
  feed(*framer, binary_frame(0xffffffffu, {}));
  feed(*framer, std::string(1 << 16, 'x'));  // skipped, never buffered
  framer->end_message();
  EXPECT_TRUE(out.records.empty());
  ASSERT_EQ(out.malformed.size(), 2u);  // the bad length, then the truncated frame at the end
  EXPECT_EQ(out.malformed[1].offset, 0u);
}

TEST(StreamFraming, NdjsonRecordsAndMalformedLines) {
  Collected out;
  auto framer = framer_for(Format::kNdjson, out);
  const std::string good = R"({"speed": 2.5, "gear": 4, "ranges": [1, 2, 3], "extra": "x"})";
  const std::string bad_json = R"({"speed": 2.5, "gear": )";
  const std::string missing = R"({"speed": 2.5, "ranges": [1, 2, 3]})";
  const std::string short_ranges = R"({"speed": 2.5, "gear": 1, "ranges": [1, 2]})";
  const std::string not_number = R"({"speed": "fast", "gear": 1, "ranges": [1, 2, 3]})";
  feed(*framer, good + "\n" + bad_json + "\n" + missing + "\r\n" + short_ranges + "\n" +
                    not_number + "\n\n" + good);
  framer->end_message();  // the last line has no newline: the end of the message ends it
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(float_at(out.records[0], 0), 2.5f);
  EXPECT_EQ(int_at(out.records[0], 4), 4);
  EXPECT_EQ(float_at(out.records[0], 16), 2.0f);
  ASSERT_EQ(out.malformed.size(), 4u);
  const uint64_t bad_at = good.size() + 1;
  EXPECT_GE(out.malformed[0].offset, bad_at);  // points into the bad line
  EXPECT_NE(out.malformed[0].reason.find("expected JSON"), std::string::npos);
  EXPECT_EQ(out.malformed[1].offset, bad_at + bad_json.size() + 1);
  EXPECT_NE(out.malformed[1].reason.find("'gear'"), std::string::npos);
  EXPECT_NE(out.malformed[2].reason.find("expected 3 numbers"), std::string::npos);
  EXPECT_NE(out.malformed[3].reason.find("non-number"), std::string::npos);
}

TEST(StreamFraming, CsvRecordsAndWrongFieldCounts) {
  Collected out;
  FramingOptions options;
  options.csv_header = true;
  auto framer = framer_for(Format::kCsv, out, options);
  feed(*framer, "speed,gear,r0,r1,r2\n1.5, 2, 3,4,5\n1,2,3\n1,2,3,4,5,6\n1,x,3,4,5\n");
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(float_at(out.records[0], 0), 1.5f);
  EXPECT_EQ(int_at(out.records[0], 4), 2);
  ASSERT_EQ(out.malformed.size(), 3u);
  EXPECT_EQ(out.malformed[0].offset, 34u);
  EXPECT_NE(out.malformed[0].reason.find("expected 5 comma-separated values; got 3"),
            std::string::npos);
  EXPECT_NE(out.malformed[1].reason.find("got 6"), std::string::npos);
  EXPECT_NE(out.malformed[2].reason.find("'x'"), std::string::npos);
}

TEST(StreamFraming, OverlongLinesAreReportedOnceAndSkipped) {
  Collected out;
  FramingOptions options;
  options.max_frame_bytes = 16;
  auto framer = framer_for(Format::kCsv, out, options);
  feed(*framer, std::string(100, '1'));
  feed(*framer, std::string(100, '2') + "\n1,2,3,4,5\n");
  ASSERT_EQ(out.malformed.size(), 1u);
  EXPECT_EQ(out.malformed[0].offset, 0u);
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.record_offsets[0], 201u);
}

TEST(StreamFraming, EncodedFramesParseBackInEveryFormat) {
  const std::vector<double> values{0.5, 7, 1.25, -2, 3};
  for (Format format : {Format::kBinary, Format::kNdjson, Format::kCsv}) {
    Collected out;
    auto framer = framer_for(format, out);
    feed(*framer, encode_frame(format, vehicle_schema(), values));
    ASSERT_EQ(out.records.size(), 1u);
    EXPECT_EQ(out.records[0], pack_values(vehicle_schema(), values));
    EXPECT_TRUE(out.malformed.empty());
  }
}

TEST(StreamVehicleFeed, RecordsFollowTheSchemaAndTheRate) {
  VehicleFeed feed(8, 100.0, 0);
  EXPECT_EQ(feed.schema().values_per_record(), 1 + 1 + 1 + 3 + 8);
  const std::vector<double> first = feed.next();
  const std::vector<double> second = feed.next();
  EXPECT_EQ(first[0], 0.0);
  EXPECT_DOUBLE_EQ(second[0], 0.01);
  EXPECT_DOUBLE_EQ(first[1], 10.0);                   // speed at t = 0
  EXPECT_NEAR(first[5], 9.81, 0.2);                   // vertical acceleration
  EXPECT_EQ(VehicleFeed(8, 100.0, 0).next(), first);  // seeded: reproducible
  EXPECT_THROW(VehicleFeed(0, 100.0, 0), ValueError);
  EXPECT_THROW(VehicleFeed(8, 0.0, 0), ValueError);
}

TEST(StreamFraming, BadNamesAndValueCountsAreValueErrors) {
  EXPECT_THROW(format_from_string("xml"), ValueError);
  EXPECT_THROW(pack_values(vehicle_schema(), {1, 2}), ValueError);
}

}  // namespace
}  // namespace ember::data::streams
