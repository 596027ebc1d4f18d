// float16 and bfloat16 fields: binary frames carry their bits; NDJSON and CSV values round to
// them through float32 (as PyTorch's conversions do).
#include <gtest/gtest.h>

#include <cstring>

#include "ember/base/half.h"
#include "ember/data/streams/stream.h"

namespace ember::data::streams {
namespace {

Schema half_schema() { return Schema({{"h", kFloat16, {2}}, {"b", kBFloat16, {}}}); }

TEST(StreamHalfFields, SchemaAcceptsAndNamesThem) {
  EXPECT_EQ(stream_dtype("float16"), kFloat16);
  EXPECT_EQ(stream_dtype("bfloat16"), kBFloat16);
  EXPECT_EQ(half_schema().record_bytes(), 6u);
  EXPECT_THROW(stream_dtype("complex64"), ValueError);
}

TEST(StreamHalfFields, EveryFormatParsesToTheRoundedValues) {
  const std::vector<double> values{0.1, -65504.0, 1.00390625};
  for (Format format : {Format::kBinary, Format::kNdjson, Format::kCsv}) {
    StreamOptions options;
    options.format = format;
    Stream stream(half_schema(), options);
    const std::string frame = encode_frame(format, half_schema(), values);
    stream.push_frame(reinterpret_cast<const uint8_t*>(frame.data()), frame.size());
    const auto batch = stream.next_batch(1, 5.0);
    ASSERT_TRUE(batch.has_value()) << static_cast<int>(format);
    EXPECT_EQ(batch->fields[0].dtype(), kFloat16);
    EXPECT_EQ(batch->fields[1].dtype(), kBFloat16);
    const auto* h = static_cast<const Half*>(batch->fields[0].data_ptr());
    const auto* b = static_cast<const BFloat16*>(batch->fields[1].data_ptr());
    EXPECT_EQ(h[0].bits, Half(0.1f).bits);
    EXPECT_EQ(static_cast<float>(h[1]), -65504.0f);
    EXPECT_EQ(b[0].bits, BFloat16(1.00390625f).bits);  // a tie, rounded to even: 1.0
    EXPECT_EQ(static_cast<float>(b[0]), 1.0f);
  }
}

TEST(StreamHalfFields, OutOfRangeValuesBecomeInfinity) {
  const std::vector<uint8_t> record = pack_values(half_schema(), {1e6, 0, 0});
  Half h;
  std::memcpy(&h.bits, record.data(), 2);
  EXPECT_TRUE(std::isinf(static_cast<float>(h)));
}

}  // namespace
}  // namespace ember::data::streams
