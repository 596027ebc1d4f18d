// nn.functional's padding, embedding, pixel-shuffle and fold ops (ember/ops/nn_pad.h,
// nn_embedding.h, nn_fold.h) into ember._C._nn, and pixel_shuffle/pixel_unshuffle also at the
// top level (torch.pixel_shuffle).
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <string>
#include <vector>

#include "convert.h"
#include "ember/ops/nn_pad.h"
#include "nn.h"

namespace ember::python {

void init_nn_shape(nb::module_& nn, nb::module_& /*module*/) {
  nn.def(
      "pad",
      [](const Tensor& input, const std::vector<int64_t>& pad, const std::string& mode,
         std::optional<double> value) { return ember::pad(input, pad, mode, value); },
      nb::arg("input"), nb::arg("pad"), nb::arg("mode") = "constant",
      nb::arg("value") = nb::none(),
      nb::sig("def pad(input, pad, mode='constant', value=None) -> Tensor"),
      "Pads the trailing dims of input by the (left, right) pairs of pad, last dim first; mode "
      "'constant' (value, default 0), 'reflect', 'replicate' or 'circular'.");
}

}  // namespace ember::python
