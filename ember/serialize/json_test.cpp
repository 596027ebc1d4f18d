#include "ember/serialize/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "ember/base/error_testing.h"

namespace ember::json {
namespace {

using test_support::contains;
using test_support::error_of;

TEST(Json, ParsesEveryKindOfValue) {
  Value v = parse(R"( {"a": [1, -2.5, true, false, null], "b": {"c": "d\n\u00e9\ud83d\ude00"}} )");
  ASSERT_TRUE(v.is_object());
  const Array& a = v.find("a")->as_array();
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a[0].as_number().to_int64(), 1);
  EXPECT_EQ(a[1].as_number().to_double(), -2.5);
  EXPECT_TRUE(a[2].as_bool());
  EXPECT_FALSE(a[3].as_bool());
  EXPECT_TRUE(a[4].is_null());
  EXPECT_EQ(v.find("b")->find("c")->as_string(), "d\n\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(v.find("missing"), nullptr);
}

TEST(Json, KeepsMemberOrderAndDuplicates) {
  Value v = parse(R"({"z": 1, "a": 2, "z": 3})");
  const Object& members = v.as_object();
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0].first, "z");
  EXPECT_EQ(members[2].first, "z");
}

TEST(Json, IntegersAndFloatsRoundTripExactly) {
  for (double value : {0.1, 1.0 / 3.0, 1e300, -5e-324, 123456789.0, 0.0, -0.0,
                       std::numeric_limits<double>::max()}) {
    const std::string text = dump(Value(value));
    const Value parsed = parse(text);
    const Number& number = parsed.as_number();
    EXPECT_FALSE(number.is_integer()) << text;
    const double back = number.to_double();
    EXPECT_EQ(std::memcmp(&back, &value, sizeof value), 0) << text;
  }
  EXPECT_EQ(dump(Value(1.0)), "1.0");
  EXPECT_EQ(parse(dump(Value(INT64_MIN))).as_number().to_int64(), INT64_MIN);
  EXPECT_EQ(parse(dump(Value(UINT64_MAX))).as_number().to_uint64(), UINT64_MAX);
  EXPECT_TRUE(
      contains(error_of<ValueError>([] { parse("18446744073709551616").as_number().to_uint64(); }),
               "fits in uint64"));
  EXPECT_TRUE(
      contains(error_of<ValueError>([] { parse("-1").as_number().to_uint64(); }), "uint64"));
}

TEST(Json, NonFiniteNumbersOnlyWhenAllowed) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(contains(error_of<ValueError>([&] { dump(Value(inf)); }), "finite"));
  WriteOptions write;
  write.allow_nonfinite = true;
  ParseOptions read;
  read.allow_nonfinite = true;
  const std::string text = dump(Value(Array{Value(inf), Value(-inf), Value(std::nan(""))}), write);
  EXPECT_EQ(text, "[Infinity,-Infinity,NaN]");
  const Array back = parse(text, read).as_array();
  EXPECT_EQ(back[0].as_number().to_double(), inf);
  EXPECT_EQ(back[1].as_number().to_double(), -inf);
  EXPECT_TRUE(std::isnan(back[2].as_number().to_double()));
  EXPECT_THROW(parse(text), ParseError);
}

TEST(Json, StringsEscapeAndRoundTrip) {
  const std::string raw = std::string("q\"b\\s/\x01\t\xc3\xa9", 10);
  EXPECT_EQ(parse(dump(Value(raw))).as_string(), raw);
}

TEST(Json, RejectsMalformedText) {
  for (const char* bad :
       {"",         "{",           "[1,]",        "{\"a\":1,}", "01",    "1.",     "-",
        "+1",       "tru",         "'a'",         "{\"a\" 1}",  "[1 2]", "1 2",    "\"\\x\"",
        "\"\x01\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\u12\"",  "NaN",   "/*c*/1", "{1:2}"}) {
    EXPECT_THROW(parse(bad), ParseError) << bad;
  }
}

TEST(Json, RejectsInvalidUtf8) {
  for (std::string bad :
       {"\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xe2\x82\"", "\"\xf4\x90\x80\x80\""}) {
    EXPECT_FALSE(is_valid_utf8(bad));
    EXPECT_TRUE(contains(error_of<ParseError>([&] { parse(bad); }), "UTF-8"));
  }
}

TEST(Json, LimitsDepthAndSize) {
  ParseOptions options;
  options.max_depth = 3;
  EXPECT_NO_THROW(parse("[[[1]]]", options));
  EXPECT_TRUE(contains(error_of<ParseError>([&] { parse("[[[[1]]]]", options); }), "nesting"));
  // Deep input must not exhaust the stack under the default limit.
  EXPECT_THROW(parse(std::string(100000, '[')), ParseError);
  options.max_size = 4;
  EXPECT_TRUE(contains(error_of<ParseError>([&] { parse("12345", options); }), "at most 4"));
}

TEST(Json, TypedAccessNamesBothTypes) {
  EXPECT_TRUE(contains(error_of<ValueError>([] { parse("[1]").as_object(); }),
                       "expected a JSON object; got a JSON array"));
}

}  // namespace
}  // namespace ember::json
