#include "ember/serialize/safetensors.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "ember/base/error_testing.h"
#include "ember/ops/ops.h"

namespace ember::safetensors {
namespace {

using test_support::contains;

// The bytes of a tensor, for exact comparisons of any dtype.
std::string bytes_of(const Tensor& t) {
  Tensor packed = t.contiguous();
  return std::string(static_cast<const char*>(packed.data_ptr()), packed.nbytes());
}

// A file from a header text and a data section, with the 8-byte little-endian length.
std::string file_of(const std::string& header, const std::string& data = "") {
  const uint64_t length = header.size();
  std::string bytes(8, '\0');
  std::memcpy(bytes.data(), &length, 8);
  return bytes + header + data;
}

// The kind of SafetensorError that loading `bytes` raises, and its message.
std::pair<ErrorKind, std::string> failure_of(const std::string& bytes) {
  try {
    load(bytes);
  } catch (const SafetensorError& error) {
    return {error.kind(), error.what()};
  }
  ADD_FAILURE() << "no error";
  return {ErrorKind::Io, ""};
}

#define EXPECT_FAILS(bytes, expected_kind, text)                                 \
  do {                                                                           \
    auto [kind, message] = failure_of(bytes);                                    \
    EXPECT_EQ(error_kind_name(kind), error_kind_name(expected_kind)) << message; \
    EXPECT_TRUE(contains(message, text)) << message;                             \
  } while (0)

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("ember_st_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

TensorMap every_dtype() {
  TensorMap tensors;
  for (ScalarType dtype :
       {kBool, kUInt8, kInt8, kInt16, kInt32, kInt64, kFloat16, kBFloat16, kFloat32, kFloat64}) {
    tensors.emplace(std::string(dtype_to_string(dtype)),
                    arange(6, TensorOptions(kFloat64)).reshape({2, 3}).to(dtype));
  }
  return tensors;
}

TEST(Safetensors, RoundTripsEveryDtypeThroughBytesFilesAndMappings) {
  const TensorMap tensors = every_dtype();
  const Metadata metadata{{"format", "pt"}, {"note", "\xc3\xa9"}};
  const std::string bytes = save(tensors, metadata);
  const std::string path = temp_path("all.safetensors");
  save_file(tensors, path, metadata);
  for (int source = 0; source < 3; ++source) {
    Contents back = source == 0 ? load_contents(bytes) : load_file_contents(path, source == 2);
    ASSERT_EQ(back.tensors.size(), tensors.size());
    EXPECT_EQ(back.metadata, metadata);
    for (const auto& [name, tensor] : tensors) {
      const Tensor& loaded = back.tensors.at(name);
      EXPECT_EQ(loaded.dtype(), tensor.dtype()) << name;
      EXPECT_EQ(loaded.shape(), tensor.shape()) << name;
      EXPECT_EQ(bytes_of(loaded), bytes_of(tensor)) << name;
    }
  }
  std::filesystem::remove(path);
}

TEST(Safetensors, LoadedTensorsHaveStoragesOfTheirOwn) {
  const std::string path = temp_path("storages.safetensors");
  save_file({{"a", ones({2}, kFloat32)}, {"b", ones({3}, kInt64)}}, path);
  for (bool mmap : {false, true}) {
    const TensorMap loaded = load_file(path, mmap);
    EXPECT_NE(loaded.at("a").storage().get(), loaded.at("b").storage().get());
    EXPECT_EQ(loaded.at("b").storage()->nbytes(), 24u);
  }
  std::filesystem::remove(path);
}

TEST(Safetensors, WritesAlignedSortedPaddedHeaders) {
  const std::string bytes =
      save({{"b", ones({3}, kInt8)}, {"a", ones({1}, kFloat64)}, {"c", ones({2}, kFloat64)}});
  uint64_t length = 0;
  std::memcpy(&length, bytes.data(), 8);
  EXPECT_EQ(length % 8, 0u);
  const Header header = parse_header(bytes, bytes.size());
  ASSERT_EQ(header.tensors.size(), 3u);
  EXPECT_EQ(header.tensors[0].name, "a");  // W1: 8-byte elements first, then by name
  EXPECT_EQ(header.tensors[1].name, "c");
  EXPECT_EQ(header.tensors[2].name, "b");
  EXPECT_FALSE(header.metadata.has_value());
  EXPECT_EQ(bytes.substr(8, 2), "{\"");
}

TEST(Safetensors, PacksNonContiguousAndKeepsEmptyAndScalarTensors) {
  Tensor matrix = arange(6, TensorOptions(kFloat32)).reshape({2, 3});
  const TensorMap back = load(
      save({{"t", matrix.t()}, {"empty", zeros({0, 4}, kFloat32)}, {"scalar", ones({}, kInt64)}}));
  EXPECT_EQ(bytes_of(back.at("t")), bytes_of(matrix.t()));
  EXPECT_EQ(back.at("empty").shape(), Shape({0, 4}));
  EXPECT_EQ(back.at("scalar").dim(), 0);
  EXPECT_EQ(back.at("scalar").item<int64_t>(), 1);
}

TEST(Safetensors, MappedTensorsOutliveTheirLoaderAndWriteCopyOnWrite) {
  const std::string path = temp_path("mapped.safetensors");
  save_file({{"x", arange(4, TensorOptions(kFloat32))}}, path);
  Tensor x;
  {
    SafeOpen file(path);
    x = file.get_view("x");
    EXPECT_EQ(file.keys(), std::vector<std::string>{"x"});
  }
  std::filesystem::remove(path);  // the mapping keeps the bytes reachable
  x.add_(1);                      // private mapping: the change stays in this process
  EXPECT_EQ(x.sum().item<float>(), 10.0f);
}

TEST(Safetensors, SafeOpenReadsOneTensorAndNamesMissingOnes) {
  const std::string path = temp_path("open.safetensors");
  save_file(every_dtype(), path, Metadata{{"k", "v"}});
  SafeOpen file(path);
  EXPECT_EQ(file.keys().size(), 10u);
  EXPECT_EQ(file.metadata()->at("k"), "v");
  EXPECT_EQ(bytes_of(file.get_tensor("I16")), bytes_of(every_dtype().at("I16")));
  try {
    file.get_tensor("nope");
    ADD_FAILURE() << "no error";
  } catch (const SafetensorError& error) {
    EXPECT_EQ(error.kind(), ErrorKind::TensorNotFound);
    EXPECT_TRUE(contains(error.what(), "'nope'"));
  }
  std::filesystem::remove(path);
}

TEST(Safetensors, SaveFileReplacesAtomically) {
  const std::string path = temp_path("atomic.safetensors");
  save_file({{"a", ones({2}, kFloat32)}}, path);
  save_file({{"b", zeros({3}, kFloat32)}}, path);
  EXPECT_EQ(load_file(path).count("b"), 1u);
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(path).parent_path())) {
    EXPECT_FALSE(contains(entry.path().filename().string(), "atomic.safetensors.tmp"));
  }
  std::filesystem::remove(path);
  EXPECT_THROW(save_file({{"a", ones({1})}}, "/nonexistent-dir/x.safetensors"), SafetensorError);
  EXPECT_THROW(load_file("/nonexistent-dir/x.safetensors"), SafetensorError);
}

// A save killed before its rename leaves its temporary file; the next save to the same path
// removes the temporaries of processes that no longer exist, and keeps a live process's.
TEST(Safetensors, SaveFileRemovesTheTemporariesOfDeadProcesses) {
  const std::string path = temp_path("stale.safetensors");
  const std::filesystem::path directory = std::filesystem::path(path).parent_path();
  const std::string name = std::filesystem::path(path).filename().string();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);  // reaped: its pid now names no process
  const auto temporary = [&](pid_t pid) {
    // A counter value this process's saves do not reach (7 did, when the whole suite ran).
    return directory / ("." + name + ".tmp-" + std::to_string(pid) + "-999999");
  };
  std::ofstream(temporary(child)) << "torn";
  std::ofstream(temporary(::getpid())) << "in progress";
  save_file({{"a", ones({2}, kFloat32)}}, path);
  EXPECT_FALSE(std::filesystem::exists(temporary(child)));
  EXPECT_TRUE(std::filesystem::exists(temporary(::getpid())));
  EXPECT_EQ(load_file(path).count("a"), 1u);
  std::filesystem::remove(temporary(::getpid()));
  std::filesystem::remove(path);
}

TEST(Safetensors, RefusesWhatCannotBeWritten) {
  EXPECT_THROW(save({{"", ones({1})}}), SafetensorError);
  EXPECT_THROW(save({{"__metadata__", ones({1})}}), SafetensorError);
  EXPECT_THROW(save({{"a", Tensor()}}), SafetensorError);
}

const std::string kEntry = R"("dtype":"F32","shape":[2],"data_offsets":[0,8])";

// L1-L13, one by one.
TEST(SafetensorsValidation, L1TooShort) {
  EXPECT_FAILS(std::string(7, '\0'), ErrorKind::HeaderTooSmall, "at least 8 bytes");
  EXPECT_FAILS("", ErrorKind::HeaderTooSmall, "got 0");
}

TEST(SafetensorsValidation, L2HeaderLength) {
  std::string huge(8, '\0');
  const uint64_t too_large = kMaxHeaderSize + 1;
  std::memcpy(huge.data(), &too_large, 8);
  EXPECT_FAILS(huge, ErrorKind::HeaderTooLarge, "100000001");
  std::string past_end(8, '\xff');  // 2^64 - 1: must not overflow 8 + N
  EXPECT_FAILS(past_end, ErrorKind::HeaderTooLarge, "18446744073709551615");
  std::string truncated = file_of("{}");
  truncated.pop_back();
  EXPECT_FAILS(truncated, ErrorKind::InvalidHeaderLength, "past the end");
}

TEST(SafetensorsValidation, L3Utf8AndObject) {
  EXPECT_FAILS(file_of("{\"\xff\":1}"), ErrorKind::InvalidHeader, "UTF-8");
  EXPECT_FAILS(file_of("[]"), ErrorKind::InvalidHeader, "JSON object");
  EXPECT_FAILS(file_of("x{}"), ErrorKind::InvalidHeader, "JSON object");
  EXPECT_FAILS(file_of("{\"a\":"), ErrorKind::InvalidHeaderDeserialization, "expected");
  EXPECT_FAILS(file_of("{} x"), ErrorKind::InvalidHeaderDeserialization, "end of the text");
  EXPECT_NO_THROW(load(file_of("  {}   ")));  // leading and trailing whitespace are fine
  EXPECT_FAILS(file_of(std::string("\0{}", 3)), ErrorKind::InvalidHeader, "JSON object");
}

TEST(SafetensorsValidation, L4DuplicateKeys) {
  EXPECT_FAILS(file_of("{\"a\":{" + kEntry + "},\"a\":{" + kEntry + "}}", std::string(8, '\0')),
               ErrorKind::DuplicateKey, "'a' twice");
  EXPECT_FAILS(file_of(R"({"a":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                       std::string(8, '\0')),
               ErrorKind::DuplicateKey, "'dtype' twice");
}

TEST(SafetensorsValidation, L5MetadataStringsOnly) {
  EXPECT_FAILS(file_of(R"({"__metadata__":{"a":1}})"), ErrorKind::InvalidMetadata, "'a'");
  EXPECT_FAILS(file_of(R"({"__metadata__":{"a":{"b":"c"}}})"), ErrorKind::InvalidMetadata, "'a'");
  EXPECT_FAILS(file_of(R"({"__metadata__":{"a":{"b":{"c":"d"}}}})"),
               ErrorKind::InvalidHeaderDeserialization, "nesting");
  EXPECT_FAILS(file_of(R"({"__metadata__":[]})"), ErrorKind::InvalidMetadata, "JSON object");
}

TEST(SafetensorsValidation, L6ExactFields) {
  EXPECT_FAILS(file_of("{\"a\":{" + kEntry + ",\"extra\":1}}", std::string(8, '\0')),
               ErrorKind::InvalidHeaderDeserialization, "'extra'");
  EXPECT_FAILS(file_of(R"({"a":{"dtype":"F32","shape":[2]}})"),
               ErrorKind::InvalidHeaderDeserialization, "no data_offsets");
  EXPECT_FAILS(file_of(R"({"a":[]})"), ErrorKind::InvalidHeaderDeserialization, "'a'");
}

TEST(SafetensorsValidation, L7Dtypes) {
  EXPECT_FAILS(
      file_of(R"({"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}})", std::string(16, '\0')),
      ErrorKind::UnsupportedDtype, "'F128'");
  // Known to safetensors, not to ember: the header is valid, loading the tensor is not.
  const std::string u16 =
      file_of(R"({"a":{"dtype":"U16","shape":[1],"data_offsets":[0,2]}})", std::string(2, '\0'));
  EXPECT_NO_THROW(parse_header(u16, u16.size()));
  EXPECT_FAILS(u16, ErrorKind::UnsupportedDtype, "U16");
}

TEST(SafetensorsValidation, L8Shapes) {
  EXPECT_FAILS(file_of(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}})"),
               ErrorKind::InvalidShape, "non-negative");
  EXPECT_FAILS(file_of(R"({"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,0]}})"),
               ErrorKind::InvalidShape, "[1.5]");
  std::string deep = "[1";
  for (int i = 0; i < 64; ++i) deep += ",1";
  deep += "]";
  EXPECT_FAILS(file_of(R"({"a":{"dtype":"F32","shape":)" + deep + R"(,"data_offsets":[0,4]}})",
                       std::string(4, '\0')),
               ErrorKind::InvalidShape, "at most 64");
}

TEST(SafetensorsValidation, L9Overflow) {
  EXPECT_FAILS(
      file_of(R"({"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,0]}})"),
      ErrorKind::ValidationOverflow, "'a'");
  EXPECT_FAILS(
      file_of(R"({"a":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,0]}})"),
      ErrorKind::ValidationOverflow, "'a'");
  EXPECT_FAILS(
      file_of(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,99999999999999999999]}})"),
      ErrorKind::ValidationOverflow, "'a'");
  // Empty (a zero size) but with strides past int64: the fuzzer's find.
  EXPECT_FAILS(file_of(R"({"a":{"dtype":"U8","shape":[0,9223372036854775807,3],)"
                       R"("data_offsets":[0,0]}})"),
               ErrorKind::ValidationOverflow, "strides");
}

TEST(SafetensorsValidation, L10SubByteDtypesFillBytes) {
  EXPECT_FAILS(file_of(R"({"a":{"dtype":"F4","shape":[3],"data_offsets":[0,1]}})", "x"),
               ErrorKind::MisalignedSlice, "whole bytes");
  const std::string f4 = file_of(R"({"a":{"dtype":"F4","shape":[4],"data_offsets":[0,2]}})", "xy");
  EXPECT_NO_THROW(parse_header(f4, f4.size()));
}

TEST(SafetensorsValidation, L11OffsetsCoverTheDataExactly) {
  const std::string two = R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},)";
  EXPECT_FAILS(file_of(two + R"("b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}})", "xyz"),
               ErrorKind::InvalidOffset, "overlaps");
  EXPECT_FAILS(file_of(two + R"("b":{"dtype":"U8","shape":[2],"data_offsets":[3,5]}})", "xyzuv"),
               ErrorKind::InvalidOffset, "gap");
  EXPECT_FAILS(file_of(R"({"a":{"dtype":"U8","shape":[0],"data_offsets":[2,1]}})", "x"),
               ErrorKind::InvalidOffset, "before it begins");
  EXPECT_FAILS(file_of(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", "xxxx"),
               ErrorKind::TensorInvalidInfo, "needs 8 bytes");
  // Entries in any order in the header; the data order is what must be contiguous.
  const std::string reversed = file_of(
      R"({"b":{"dtype":"U8","shape":[1],"data_offsets":[1,2]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}})",
      "xy");
  EXPECT_EQ(load(reversed).at("b").item<uint8_t>(), 'y');
}

TEST(SafetensorsValidation, L12NoHiddenOrMissingBytes) {
  EXPECT_FAILS(file_of("{\"a\":{" + kEntry + "}}", std::string(9, '\0')),
               ErrorKind::MetadataIncompleteBuffer, "the file has");
  EXPECT_FAILS(file_of("{\"a\":{" + kEntry + "}}", std::string(7, '\0')),
               ErrorKind::MetadataIncompleteBuffer, "8 bytes of data");
  EXPECT_FAILS(file_of("{}", "x"), ErrorKind::MetadataIncompleteBuffer, "0 bytes of data");
}

TEST(SafetensorsValidation, L13Names) {
  EXPECT_FAILS(file_of("{\"\":{" + kEntry + "}}", std::string(8, '\0')),
               ErrorKind::InvalidTensorName, "non-empty");
  EXPECT_FAILS(file_of("{\"" + std::string(kMaxNameLength + 1, 'n') + "\":{" + kEntry + "}}",
                       std::string(8, '\0')),
               ErrorKind::InvalidTensorName, "at most");
}

TEST(SafetensorsValidation, UnalignedDataIsCopiedNotMisread) {
  // A header whose length is not a multiple of 8 leaves F64 data unaligned.
  const std::string header = R"({"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}})";
  ASSERT_NE(header.size() % 8, 0u);
  double value = 2.5;
  const std::string bytes = file_of(header, std::string(reinterpret_cast<char*>(&value), 8));
  const std::string path = temp_path("unaligned.safetensors");
  std::ofstream(path, std::ios::binary) << bytes;
  for (bool mmap : {false, true}) {
    EXPECT_EQ(load_file(path, mmap).at("a").item<double>(), 2.5);
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ember::safetensors
