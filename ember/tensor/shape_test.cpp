// Shape arithmetic: numel overflow (B10), negative sizes (B8), dim wrapping (B6), broadcasting
// (B1), view-size inference, contiguity.
#include "ember/tensor/shape.h"
#include "tests/test_support.h"

#include <gtest/gtest.h>

#include <string>

#include "ember/base/error.h"

namespace ember {
namespace {

using testing::message_of;

TEST(Shape, NumelAndContiguousStrides) {
  EXPECT_EQ(checked_numel({2, 3, 4}, "t"), 24);
  EXPECT_EQ(checked_numel({}, "t"), 1);
  EXPECT_EQ(checked_numel({3, 0}, "t"), 0);
  EXPECT_EQ(contiguous_strides({2, 3, 4}), Strides({12, 4, 1}));
  EXPECT_TRUE(is_contiguous_layout({2, 3}, {3, 1}));
  EXPECT_FALSE(is_contiguous_layout({2, 3}, {1, 2}));
  EXPECT_TRUE(is_contiguous_layout({1, 3}, {99, 1}));  // size-1 dims never matter
}

TEST(Shape, NegativeAndOverflowingSizesAreRejected) {
  EXPECT_NE(message_of([] {
              checked_numel({2, -1, 3}, "empty");
            }).find("Trying to create tensor with negative dimension -1: [2, -1, 3]"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              checked_numel({int64_t{1} << 62, int64_t{1} << 62}, "empty");
            }).find("overflowed"),
            std::string::npos);
}

TEST(Shape, WrapDim) {
  EXPECT_EQ(wrap_dim(-1, 3, "sum"), 2);
  EXPECT_EQ(wrap_dim(0, 0, "sum"), 0);  // 0-d tensors accept 0 and -1
  EXPECT_THROW(wrap_dim(3, 3, "sum"), IndexError);
  EXPECT_NE(message_of([] {
              wrap_dim(5, 1, "sum");
            }).find("Dimension out of range (expected to be in range of [-1, 0], but got 5)"),
            std::string::npos);
}

TEST(Shape, Broadcasting) {
  EXPECT_EQ(broadcast_shapes({3, 1}, {4}, "add"), Shape({3, 4}));
  EXPECT_EQ(broadcast_shapes({}, {2, 2}, "add"), Shape({2, 2}));
  EXPECT_EQ(broadcast_shapes({0, 1}, {1, 5}, "add"), Shape({0, 5}));
  EXPECT_NE(message_of([] {
              broadcast_shapes({2, 3}, {2, 4}, "add");
            })
                .find("The size of tensor a (3) must match the size of tensor b (4) at "
                      "non-singleton dimension 1"),
            std::string::npos);
}

TEST(Shape, InferSize) {
  EXPECT_EQ(infer_size({-1, 4}, 12, "view"), Shape({3, 4}));
  EXPECT_THROW(infer_size({-1, -1}, 12, "view"), RuntimeError);
  EXPECT_NE(message_of([] {
              infer_size({5}, 12, "view");
            }).find("shape '[5]' is invalid for input of size 12"),
            std::string::npos);
  EXPECT_THROW(infer_size({-1, 0}, 12, "view"), RuntimeError);
}

}  // namespace
}  // namespace ember
