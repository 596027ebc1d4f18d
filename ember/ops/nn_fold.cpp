// pixel_shuffle, pixel_unshuffle, im2col and col2im (nn_fold.h).
#include "ember/ops/nn_fold.h"

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/nn_pad.h"
#include "ember/ops/ops.h"
#include "ember/ops/scatter.h"

namespace ember {
namespace {

void check_shuffle_input(std::string_view op, const Tensor& self, int64_t factor,
                         std::string_view factor_name) {
  EMBER_CHECK(self.dim() >= 3, "[", op,
              "] expects input to have at least 3 dimensions, but got input with ", self.dim(),
              " dimension(s) (shape ", self.shape(), ")");
  EMBER_CHECK(factor > 0, "[", op, "] expects a positive ", factor_name, ", but got ", factor);
}

// The kernel, dilation, padding and stride of one im2col / col2im call, checked.
struct Blocks {
  int64_t kernel[2], dilation[2], padding[2], stride[2];

  Blocks(std::string_view op, IntArrayRef kernel_size, IntArrayRef dilation_, IntArrayRef padding_,
         IntArrayRef stride_) {
    for (const auto& [name, values] :
         {std::pair{"kernel_size", kernel_size}, std::pair{"dilation", dilation_},
          std::pair{"padding", padding_}, std::pair{"stride", stride_}}) {
      EMBER_CHECK(values.size() == 2, "[", op, "] expected ", name,
                  " of 2 values (height, width); got ", values.size());
    }
    for (int d = 0; d < 2; ++d) {
      kernel[d] = kernel_size[d];
      dilation[d] = dilation_[d];
      padding[d] = padding_[d];
      stride[d] = stride_[d];
      EMBER_CHECK(kernel[d] > 0 && dilation[d] > 0 && stride[d] > 0 && padding[d] >= 0, "[", op,
                  "] expected positive kernel_size, dilation and stride and non-negative padding; "
                  "got kernel_size=",
                  kernel_size, ", dilation=", dilation_, ", padding=", padding_,
                  ", stride=", stride_);
    }
  }

  // Blocks along dim d of an image of `size` (before padding).
  int64_t count(int d, int64_t size) const {
    return (size + 2 * padding[d] - dilation[d] * (kernel[d] - 1) - 1) / stride[d] + 1;
  }

  // For each (kernel offset, block) pair in im2col's column order, the flat position in the
  // padded image of width padded_width.
  Tensor positions(int64_t blocks_h, int64_t blocks_w, int64_t padded_width) const {
    std::vector<int64_t> index;
    index.reserve(static_cast<size_t>(kernel[0] * kernel[1] * blocks_h * blocks_w));
    for (int64_t ki = 0; ki < kernel[0]; ++ki) {
      for (int64_t kj = 0; kj < kernel[1]; ++kj) {
        for (int64_t by = 0; by < blocks_h; ++by) {
          for (int64_t bx = 0; bx < blocks_w; ++bx) {
            index.push_back((ki * dilation[0] + by * stride[0]) * padded_width + kj * dilation[1] +
                            bx * stride[1]);
          }
        }
      }
    }
    return from_blob_copy(index.data(), {static_cast<int64_t>(index.size())}, kInt64);
  }

  std::string describe() const {
    std::ostringstream text;
    text << "kernel_size=(" << kernel[0] << ", " << kernel[1] << "), dilation=(" << dilation[0]
         << ", " << dilation[1] << "), padding=(" << padding[0] << ", " << padding[1]
         << "), stride=(" << stride[0] << ", " << stride[1] << ")";
    return text.str();
  }
};

}  // namespace

Tensor pixel_shuffle(const Tensor& self, int64_t upscale_factor) {
  check_shuffle_input("pixel_shuffle", self, upscale_factor, "upscale_factor");
  const int64_t r = upscale_factor;
  const int64_t channels = self.size(-3);
  EMBER_CHECK(channels % (r * r) == 0,
              "[pixel_shuffle] expects its input's 'channel' dimension to be divisible by the "
              "square of upscale_factor, but input.size(-3)=",
              channels, " is not divisible by ", r * r, " (input of shape ", self.shape(), ")");
  const int64_t h = self.size(-2), w = self.size(-1);
  const Shape batch(self.shape().begin(), self.shape().end() - 3);
  const auto b = static_cast<int64_t>(batch.size());
  Shape split = batch;
  for (const int64_t size : {channels / (r * r), r, r, h, w}) split.push_back(size);
  std::vector<int64_t> order;
  for (int64_t d = 0; d < b; ++d) order.push_back(d);
  for (const int64_t size : {b, b + 3, b + 1, b + 4, b + 2}) order.push_back(size);
  Shape result = batch;
  for (const int64_t size : {channels / (r * r), h * r, w * r}) result.push_back(size);
  return self.reshape(split).permute(order).reshape(result);
}

Tensor pixel_unshuffle(const Tensor& self, int64_t downscale_factor) {
  check_shuffle_input("pixel_unshuffle", self, downscale_factor, "downscale_factor");
  const int64_t r = downscale_factor;
  const int64_t channels = self.size(-3), h = self.size(-2), w = self.size(-1);
  EMBER_CHECK(h % r == 0 && w % r == 0,
              "[pixel_unshuffle] expects height and width to be divisible by downscale_factor, "
              "but input of shape ",
              self.shape(), " has height ", h, " and width ", w, " for downscale_factor=", r);
  const Shape batch(self.shape().begin(), self.shape().end() - 3);
  const auto b = static_cast<int64_t>(batch.size());
  Shape split = batch;
  for (const int64_t size : {channels, h / r, r, w / r, r}) split.push_back(size);
  std::vector<int64_t> order;
  for (int64_t d = 0; d < b; ++d) order.push_back(d);
  for (const int64_t size : {b, b + 2, b + 4, b + 1, b + 3}) order.push_back(size);
  Shape result = batch;
  for (const int64_t size : {channels * r * r, h / r, w / r}) result.push_back(size);
  return self.reshape(split).permute(order).reshape(result);
}

Tensor im2col(const Tensor& self, IntArrayRef kernel_size, IntArrayRef dilation,
              IntArrayRef padding, IntArrayRef stride) {
  const Blocks blocks("unfold", kernel_size, dilation, padding, stride);
  EMBER_CHECK(self.dim() == 3 || self.dim() == 4,
              "[unfold] Input Error: Only 3D or 4D input Tensors are supported (got ", self.dim(),
              "D, shape ", self.shape(), ")");
  EMBER_CHECK(self.size(-1) > 0 && self.size(-2) > 0 && self.size(-3) > 0,
              "[unfold] Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and "
              "other non-zero dimensions for input, but got: ",
              self.shape());
  const Tensor batched = self.dim() == 3 ? self.unsqueeze(0) : self;
  const int64_t n = batched.size(0), c = batched.size(1);
  const int64_t h = batched.size(2), w = batched.size(3);
  const int64_t blocks_h = blocks.count(0, h), blocks_w = blocks.count(1, w);
  EMBER_CHECK(blocks_h >= 1 && blocks_w >= 1, "[unfold] Given input with spatial size (", h, ", ",
              w, "), ", blocks.describe(), ", calculated shape of the array of sliding blocks as (",
              blocks_h, ", ", blocks_w, "), but its components must be at least one.");
  const Tensor padded =
      pad(batched, {blocks.padding[1], blocks.padding[1], blocks.padding[0], blocks.padding[0]});
  const int64_t padded_h = h + 2 * blocks.padding[0], padded_w = w + 2 * blocks.padding[1];
  // Sizes spelled out: with an empty batch, -1 could not be inferred.
  const Tensor flat = padded.reshape({n, c, padded_h * padded_w});
  const Tensor index = blocks.positions(blocks_h, blocks_w, padded_w).to(self.device());
  const int64_t kernel_area = blocks.kernel[0] * blocks.kernel[1];
  Tensor columns = index_select(flat, 2, index).reshape({n, c * kernel_area, blocks_h * blocks_w});
  return self.dim() == 3 ? columns.squeeze(0) : columns;
}

Tensor col2im(const Tensor& self, IntArrayRef output_size, IntArrayRef kernel_size,
              IntArrayRef dilation, IntArrayRef padding, IntArrayRef stride) {
  const Blocks blocks("fold", kernel_size, dilation, padding, stride);
  EMBER_CHECK(output_size.size() == 2,
              "[fold] expected output_size of 2 values (height, width); got ", output_size.size());
  EMBER_CHECK(self.dim() == 2 || self.dim() == 3,
              "[fold] Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported "
              "(got ",
              self.dim(), "D, shape ", self.shape(), ")");
  const Tensor batched = self.dim() == 2 ? self.unsqueeze(0) : self;
  const int64_t kernel_area = blocks.kernel[0] * blocks.kernel[1];
  const int64_t h = output_size[0], w = output_size[1];
  EMBER_CHECK(h > 0 && w > 0, "[fold] expected a positive output_size; got ", output_size);
  EMBER_CHECK(batched.size(1) % kernel_area == 0, "[fold] Expected size of input's dimension ",
              self.dim() - 2, " to be divisible by the product of kernel_size, but got input.size(",
              self.dim() - 2, ")=", batched.size(1), " and kernel_size=(", blocks.kernel[0], ", ",
              blocks.kernel[1], ")");
  const int64_t blocks_h = blocks.count(0, h), blocks_w = blocks.count(1, w);
  EMBER_CHECK(blocks_h >= 1 && blocks_w >= 1 && batched.size(2) == blocks_h * blocks_w,
              "[fold] Given output_size=(", h, ", ", w, "), ", blocks.describe(),
              ", expected size of input's dimension ", self.dim() - 1,
              " to match the calculated number of sliding blocks ", blocks_h, " * ", blocks_w,
              " = ", blocks_h * blocks_w, ", but got input.size(", self.dim() - 1,
              ")=", batched.size(2), ".");
  const int64_t n = batched.size(0), c = batched.size(1) / kernel_area;
  const int64_t padded_h = h + 2 * blocks.padding[0], padded_w = w + 2 * blocks.padding[1];
  const Tensor index = blocks.positions(blocks_h, blocks_w, padded_w).to(self.device());
  const Tensor image =
      index_add(
          zeros({n, c, padded_h * padded_w}, TensorOptions(self.dtype()).device(self.device())), 2,
          index, batched.reshape({n, c, kernel_area * blocks_h * blocks_w}))
          .reshape({n, c, padded_h, padded_w});
  const Tensor cropped =
      pad(image, {-blocks.padding[1], -blocks.padding[1], -blocks.padding[0], -blocks.padding[0]});
  return self.dim() == 2 ? cropped.squeeze(0) : cropped;
}

}  // namespace ember
