// pad: each mode's values against hand-written rows, negative pads cropping, and every error
// path naming the op and the shapes.
#include "ember/ops/nn_pad.h"

#include <gtest/gtest.h>

#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

// [[[0, 1, 2], [3, 4, 5]]]
Tensor rows() { return arange(0, 6, TensorOptions(kFloat64)).reshape({1, 2, 3}); }

TEST(Pad, EachModeFillsAsPyTorch) {
  EXPECT_EQ(values(pad(rows(), {2, 2}, "reflect")),
            (std::vector<double>{2, 1, 0, 1, 2, 1, 0, 5, 4, 3, 4, 5, 4, 3}));
  EXPECT_EQ(values(pad(rows(), {1, 2}, "replicate")),
            (std::vector<double>{0, 0, 1, 2, 2, 2, 3, 3, 4, 5, 5, 5}));
  EXPECT_EQ(values(pad(rows(), {3, 0}, "circular")),
            (std::vector<double>{0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}));
  EXPECT_EQ(values(pad(rows(), {1, 0, 0, 1}, "constant", 7.0)),
            (std::vector<double>{7, 0, 1, 2, 7, 3, 4, 5, 7, 7, 7, 7}));
}

TEST(Pad, NegativePadsCrop) {
  EXPECT_EQ(pad(rows(), {-1, -1}).shape(), (Shape{1, 2, 1}));
  EXPECT_EQ(values(pad(rows(), {-1, 1}, "constant", 9.0)), (std::vector<double>{1, 2, 9, 4, 5, 9}));
  EXPECT_EQ(values(pad(rows(), {-1, 2}, "reflect")), (std::vector<double>{1, 2, 1, 0, 4, 5, 4, 3}));
  EXPECT_EQ(pad(rows(), {1, 1, 1, 1, 1, 1}).shape(), (Shape{3, 4, 5}));
}

TEST(Pad, ErrorsNameTheOpAndShapes) {
  EXPECT_THROW(pad(rows(), {1}), RuntimeError);
  EXPECT_NE(message_of([] { pad(rows(), {1}); }).find("[pad] Padding length must be divisible"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              pad(rows(), {1, 1, 1, 1, 1, 1, 1, 1});
            }).find("too large"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              pad(rows(), {3, 3}, "reflect");
            }).find("[1, 2, 3]"),
            std::string::npos);
  EXPECT_THROW(pad(rows(), {4, 0}, "circular"), RuntimeError);
  EXPECT_THROW(pad(rows(), {1, 1}, "reflect", 1.0), RuntimeError);
  EXPECT_THROW(pad(rows(), {1, 1}, "wrap"), NotImplementedError);
  EXPECT_THROW(pad(rows().reshape({6}), {1, 1}, "reflect"), NotImplementedError);
  EXPECT_THROW(pad(zeros({1, 2, 0}), {1, 1}, "replicate"), RuntimeError);
  EXPECT_NE(message_of([] {
              pad(rows(), {-2, -2});
            }).find("negative output size"),
            std::string::npos);
}

}  // namespace
}  // namespace ember
