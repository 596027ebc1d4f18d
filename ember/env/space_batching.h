// Gymnasium's batch_space for every space (gymnasium.vector.utils.batch_space), checked:
// vector_env.h's batch_space, with a typed error for a missing space, n < 1 or a space kind
// without a batch.
#pragma once

#include <cstdint>
#include <memory>

#include "ember/env/spaces.h"

namespace ember::env {

// Throws a ValueError naming the space when n < 1 (a TypeError for a space of another kind).
std::shared_ptr<Space> batch_any_space(const std::shared_ptr<Space>& space, int64_t n);

}  // namespace ember::env
