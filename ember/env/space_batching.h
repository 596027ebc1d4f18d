// Gymnasium's batch_space for every space (gymnasium.vector.utils.batch_space): the space of n
// stacked elements. Box and Discrete batch as vector_env.h's batch_space does (the vector envs'
// observation_space); a MultiDiscrete becomes an int64 Box of its bounds repeated n times, a
// MultiBinary an int8 Box of 0 and 1 with a leading n (vector_env.h's keeps a MultiBinary), and
// a Tuple or Dict the Tuple or Dict of its children batched.
#pragma once

#include <cstdint>
#include <memory>

#include "ember/env/spaces.h"

namespace ember::env {

// Throws a ValueError naming the space when n < 1 (a TypeError for a space of another kind).
std::shared_ptr<Space> batch_any_space(const std::shared_ptr<Space>& space, int64_t n);

}  // namespace ember::env
