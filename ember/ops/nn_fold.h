// nn.functional's rearranging ops with libtorch's names, as composites of views and index ops:
// pixel_shuffle / pixel_unshuffle (a reshape-permute-reshape) and im2col / col2im (F.unfold /
// F.fold: one index_select / index_add over the zero-padded image, so each is the other's
// gradient).
#pragma once

#include "ember/tensor/tensor.h"

namespace ember {

// (*, C r^2, H, W) -> (*, C, H r, W r): each group of r^2 channels becomes an r x r block.
Tensor pixel_shuffle(const Tensor& self, int64_t upscale_factor);
// (*, C, H r, W r) -> (*, C r^2, H, W): the inverse of pixel_shuffle.
Tensor pixel_unshuffle(const Tensor& self, int64_t downscale_factor);

// F.unfold: the sliding kernel_size blocks of a (N, C, H, W) or (C, H, W) input as columns,
// (N, C kh kw, L) or (C kh kw, L), L the number of blocks; the input is zero-padded by `padding`
// on each side first. Each argument holds (height, width).
Tensor im2col(const Tensor& self, IntArrayRef kernel_size, IntArrayRef dilation,
              IntArrayRef padding, IntArrayRef stride);
// F.fold: sums columns (N, C kh kw, L) or (C kh kw, L) back into an image of output_size
// (H, W), the adjoint of im2col with the same block arguments.
Tensor col2im(const Tensor& self, IntArrayRef output_size, IntArrayRef kernel_size,
              IntArrayRef dilation, IntArrayRef padding, IntArrayRef stride);

}  // namespace ember
