// Checks and bookkeeping shared by every op that writes into an existing tensor.
#pragma once

#include <string_view>

#include "ember/tensor/tensor.h"

namespace ember {

// Whether t's elements fill a dense block, no two at one address, in some order of its dims.
bool is_non_overlapping_and_dense(const Tensor& t);
// B16: a written tensor must not have two elements at one address (expanded views).
void check_no_internal_overlap(std::string_view op, const Tensor& written);
// B17: an input may alias the written tensor exactly, or not at all.
void check_no_partial_overlap(std::string_view op, const Tensor& written, const Tensor& input);

}  // namespace ember
