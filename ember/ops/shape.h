// The shape family: joining, splitting and rearranging tensors, as libtorch names them
// (torch::cat, torch::split, torch::flip, ...). cat has a kernel (primitives_shape.h); the
// splits, diagonal, unfold, movedim and meshgrid are views; the rest are composites.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// libtorch's TensorList: a borrowed list of tensors, so torch::cat({a, b}, 1) and a
// std::vector<Tensor> both pass without a copy.
using TensorList = ArrayRef<Tensor>;

// ---------------------------------------------------------------- joining (shape.cpp)
// The inputs' result_type; legacy empty 1-D (0,) tensors are skipped, as in PyTorch.
Tensor cat(TensorList tensors, int64_t dim = 0);
Tensor concat(TensorList tensors, int64_t dim = 0);
Tensor concatenate(TensorList tensors, int64_t dim = 0);
Tensor stack(TensorList tensors, int64_t dim = 0);
Tensor hstack(TensorList tensors);
Tensor vstack(TensorList tensors);
Tensor dstack(TensorList tensors);
Tensor column_stack(TensorList tensors);

// ---------------------------------------------------------------- splitting (views, shape.cpp)
std::vector<Tensor> split(const Tensor& self, int64_t split_size, int64_t dim = 0);
std::vector<Tensor> split(const Tensor& self, IntArrayRef split_sizes, int64_t dim = 0);
std::vector<Tensor> split_with_sizes(const Tensor& self, IntArrayRef split_sizes, int64_t dim = 0);
std::vector<Tensor> chunk(const Tensor& self, int64_t chunks, int64_t dim = 0);
std::vector<Tensor> unbind(const Tensor& self, int64_t dim = 0);
std::vector<Tensor> tensor_split(const Tensor& self, int64_t sections, int64_t dim = 0);
std::vector<Tensor> tensor_split(const Tensor& self, IntArrayRef indices, int64_t dim = 0);
// The views these return (view.cpp): piece i is self.narrow(dim, starts[i], lengths[i]), or
// without keep_dim self.select(dim, starts[i]); one autograd node records them all, so backward
// is one cat however many pieces there are. dim must be wrapped and the pieces in bounds.
// Unless writable_pieces (tensor_split, whose pieces are slices in PyTorch), a piece that
// requires grad may not be written in place while autograd records (Note [multi-output views]).
std::vector<Tensor> split_views(std::string_view op, const Tensor& self, int64_t dim,
                                std::vector<int64_t> starts, std::vector<int64_t> lengths,
                                bool keep_dim, bool writable_pieces);

// ---------------------------------------------------------------- rearranging
// (shape_rearrange.cpp)
Tensor flip(const Tensor& self, IntArrayRef dims);
Tensor fliplr(const Tensor& self);
Tensor flipud(const Tensor& self);
// Empty dims: rolls the flattened tensor by shifts[0].
Tensor roll(const Tensor& self, IntArrayRef shifts, IntArrayRef dims = {});
Tensor rot90(const Tensor& self, int64_t k = 1, IntArrayRef dims = {0, 1});
Tensor repeat(const Tensor& self, IntArrayRef repeats);
Tensor tile(const Tensor& self, IntArrayRef dims);
// Without dim the input is flattened first.
Tensor repeat_interleave(const Tensor& self, int64_t repeats,
                         std::optional<int64_t> dim = std::nullopt,
                         std::optional<int64_t> output_size = std::nullopt);
Tensor repeat_interleave(const Tensor& self, const Tensor& repeats,
                         std::optional<int64_t> dim = std::nullopt,
                         std::optional<int64_t> output_size = std::nullopt);
// repeat_interleave(repeats): each index i repeated repeats[i] times (int64).
Tensor repeat_interleave(const Tensor& repeats, std::optional<int64_t> output_size = std::nullopt);
Tensor movedim(const Tensor& self, IntArrayRef source, IntArrayRef destination);
Tensor movedim(const Tensor& self, int64_t source, int64_t destination);
Tensor moveaxis(const Tensor& self, IntArrayRef source, IntArrayRef destination);
Tensor moveaxis(const Tensor& self, int64_t source, int64_t destination);
Tensor swapaxes(const Tensor& self, int64_t axis0, int64_t axis1);
Tensor swapdims(const Tensor& self, int64_t dim0, int64_t dim1);

// ---------------------------------------------------------------- diagonals (shape_diag.cpp)
// A view of the diagonal `offset` of the (dim1, dim2) planes, as the last dim.
Tensor diagonal(const Tensor& self, int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1);
// 1-D: the square matrix with self on diagonal `diagonal`; 2-D: a copy of that diagonal.
Tensor diag(const Tensor& self, int64_t diagonal = 0);
Tensor diag_embed(const Tensor& self, int64_t offset = 0, int64_t dim1 = -2, int64_t dim2 = -1);
Tensor tril(const Tensor& self, int64_t diagonal = 0);
Tensor triu(const Tensor& self, int64_t diagonal = 0);
Tensor& tril_(Tensor& self, int64_t diagonal = 0);
Tensor& triu_(Tensor& self, int64_t diagonal = 0);
// Windows of `size` every `step` along `dimension`, as a new last dim (a view).
Tensor unfold(const Tensor& self, int64_t dimension, int64_t size, int64_t step);

// ---------------------------------------------------------------- broadcasting (shape_diag.cpp)
// indexing: "ij" (matrix) or "xy" (Cartesian: the first two outputs' dims swapped).
std::vector<Tensor> meshgrid(TensorList tensors, std::string_view indexing = "ij");
std::vector<Tensor> broadcast_tensors(TensorList tensors);
Tensor atleast_1d(const Tensor& self);
Tensor atleast_2d(const Tensor& self);
Tensor atleast_3d(const Tensor& self);
std::vector<Tensor> atleast_1d(TensorList tensors);
std::vector<Tensor> atleast_2d(TensorList tensors);
std::vector<Tensor> atleast_3d(TensorList tensors);

}  // namespace ember
