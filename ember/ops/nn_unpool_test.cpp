// Max unpooling: values placed at their pool's indices in zero planes, PyTorch's default and
// requested output sizes, unbatched and empty-batch inputs, and each error naming the op and the
// shapes, never writing out of bounds (gradients: python/tests/gradcheck_nn_unpool.py).
#include "ember/ops/nn_unpool.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/nn_pool.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::tensor_of;
using testing::values;

// The message of the error of type E that fn raises ("" when it raises none or another type).
template <typename E, typename Fn>
std::string typed_message(Fn&& fn) {
  try {
    fn();
  } catch (const E& error) {
    return error.what();
  } catch (const Error&) {
    return "";
  }
  return "";
}

Tensor int64_of(const std::vector<double>& data, IntArrayRef shape) {
  return tensor_of(data, shape).to(kInt64);
}

TEST(MaxUnpool, PlacesEachValueAtItsIndexInZeros) {
  const Tensor x = tensor_of({3, 1, 4, 9, 2, 6, 9, 3, 5, 8, 9, 7, 9, 3, 2, 3}, {1, 1, 4, 4});
  const auto [y, indices] = max_pool2d_with_indices(x, 2);
  const Tensor unpooled = max_unpool2d_functional(y, indices, 2);
  EXPECT_EQ(unpooled.shape(), Shape({1, 1, 4, 4}));
  EXPECT_EQ(values(unpooled),
            std::vector<double>({0, 0, 0, 9, 0, 6, 0, 0, 0, 0, 9, 0, 9, 0, 0, 0}));
  EXPECT_EQ(values(max_unpool2d(y, indices, {4, 4})), values(unpooled));
}

TEST(MaxUnpool, OneAndThreeDimsAndUnbatched) {
  const Tensor x = tensor_of({1, 5, 2, 4, 3}, {1, 5});  // unbatched (C, L)
  const Tensor indices = int64_of({1, 3}, {1, 2});
  const Tensor y = tensor_of({5, 4}, {1, 2});
  // Default length (2 - 1) * 2 + 2 = 4; output_size may ask for 5 (between 2 and 6).
  EXPECT_EQ(values(max_unpool1d_functional(y, indices, 2)), std::vector<double>({0, 5, 0, 4}));
  EXPECT_EQ(values(max_unpool1d_functional(y, indices, 2, {}, 0, std::vector<int64_t>{5})),
            std::vector<double>({0, 5, 0, 4, 0}));
  EXPECT_EQ(x.dim(), 2);
  const Tensor volume = tensor_of({7}, {1, 1, 1, 1, 1});
  const Tensor at = int64_of({5}, {1, 1, 1, 1, 1});
  const Tensor unpooled = max_unpool3d_functional(volume, at, 2);
  EXPECT_EQ(unpooled.shape(), Shape({1, 1, 2, 2, 2}));
  EXPECT_EQ(values(unpooled), std::vector<double>({0, 0, 0, 0, 0, 7, 0, 0}));
  EXPECT_EQ(values(max_unpool3d(volume, at, {2, 2, 2}, {2, 2, 2}, {0, 0, 0})), values(unpooled));
}

TEST(MaxUnpool, OutputSizeWithBatchDimsAndEmptyBatch) {
  const Tensor y = tensor_of({1, 2, 3, 4}, {1, 1, 2, 2});
  const Tensor indices = int64_of({0, 2, 10, 12}, {1, 1, 2, 2});
  // kernel 2, stride 2, padding 0: default 4 x 4, and (1, 1, 5, 5) asks for 5 x 5.
  const Tensor out =
      max_unpool2d_functional(y, indices, 2, {}, 0, std::vector<int64_t>{1, 1, 5, 5});
  EXPECT_EQ(out.shape(), Shape({1, 1, 5, 5}));
  EXPECT_EQ(values(out)[10], 3.0);
  const Tensor empty_batch = zeros({0, 2, 2, 2}, TensorOptions(kFloat32));
  const Tensor empty_indices = zeros({0, 2, 2, 2}, TensorOptions(kInt64));
  EXPECT_EQ(max_unpool2d_functional(empty_batch, empty_indices, 2).shape(), Shape({0, 2, 4, 4}));
}

TEST(MaxUnpool, BadInputsNameTheOpAndShapes) {
  const Tensor y = tensor_of({1, 2, 3, 4}, {1, 1, 2, 2});
  const Tensor indices = int64_of({0, 2, 10, 12}, {1, 1, 2, 2});
  // An index outside the 4 x 4 plane: an error, nothing written.
  const std::string message = typed_message<RuntimeError>([&] {
    max_unpool2d_functional(y, int64_of({0, 2, 10, 16}, {1, 1, 2, 2}), 2);
  });
  EXPECT_NE(message.find("[max_unpool2d] found an invalid max index: 16"), std::string::npos);
  EXPECT_NE(message.find("4x4"), std::string::npos);
  EXPECT_NE(typed_message<RuntimeError>([&] {
              max_unpool2d_functional(y, int64_of({-1, 2, 10, 12}, {1, 1, 2, 2}), 2);
            }).find("invalid max index: -1"),
            std::string::npos);
  EXPECT_NE(typed_message<TypeError>([&] {
              max_unpool2d_functional(y, indices.to(kInt32), 2);
            }).find("int64"),
            std::string::npos);
  EXPECT_NE(typed_message<RuntimeError>([&] {
              max_unpool2d_functional(y, int64_of({0, 2}, {1, 1, 2, 1}), 2);
            }).find("[1, 1, 2, 1]"),
            std::string::npos);
  EXPECT_NE(typed_message<ValueError>([&] {
              max_unpool2d_functional(y, indices, 2, {}, 0, std::vector<int64_t>{6, 6});
            }).find("dim 0 must be between 2 and 6"),
            std::string::npos);
  EXPECT_NE(typed_message<ValueError>([&] {
              max_unpool2d_functional(y, indices, 2, {}, 0, std::vector<int64_t>{4, 4, 4});
            }).find("2 or 4 elements"),
            std::string::npos);
  EXPECT_NE(typed_message<RuntimeError>([&] {
              max_unpool3d_functional(y[0], indices[0], 2);
            }).find("4-d"),
            std::string::npos);
  EXPECT_NE(typed_message<RuntimeError>([&] {
              max_unpool2d_functional(zeros({1, 0, 2, 2}), zeros({1, 0, 2, 2}, kInt64), 2);
            }).find("non-empty channel"),
            std::string::npos);
  EXPECT_NE(typed_message<TypeError>([&] {
              max_unpool2d_functional(y.to(kInt64), indices, 2);
            }).find("floating point"),
            std::string::npos);
  EXPECT_NE(typed_message<RuntimeError>([&] {
              max_unpool2d_functional(y, indices, 2, 0);
            }).find("stride greater than zero"),
            std::string::npos);
  EXPECT_NE(typed_message<RuntimeError>([&] {
              max_unpool3d(y.unsqueeze(0), indices.unsqueeze(0), {2, 4, 4}, {2, 2}, {0, 0, 0});
            }).find("stride and padding"),
            std::string::npos);
}

}  // namespace
}  // namespace ember
