// The math of gradient scaling (torch.amp.GradScaler's two ops; Note [autocast and GradScaler] in
// docs/architecture.md). Both work on one-element state tensors on the gradients' device without
// reading them on the host, and neither records history.
#pragma once

#include <cstdint>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// Multiplies every gradient by inv_scale in place and sets found_inf to 1.0 when any of them holds
// an inf or a NaN (found_inf is never reset here: several optimizers' grads accumulate into one).
// found_inf and inv_scale: one-element float32 tensors; grads: floating tensors on their device.
void _amp_foreach_non_finite_check_and_unscale_(const std::vector<Tensor>& grads,
                                                const Tensor& found_inf, const Tensor& inv_scale);

// Updates the loss scale in place and returns it. With found_inf > 0: scale *= backoff_factor and
// growth_tracker = 0. Otherwise growth_tracker += 1, and once it reaches growth_interval:
// scale *= growth_factor (kept only if finite) and growth_tracker = 0.
// scale: one-element float32; growth_tracker: one-element int32; found_inf: one-element float32.
Tensor _amp_update_scale_(const Tensor& scale, const Tensor& growth_tracker,
                          const Tensor& found_inf, double growth_factor, double backoff_factor,
                          int64_t growth_interval);

}  // namespace ember
