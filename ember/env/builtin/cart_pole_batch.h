// CartPole-v1's batched vector step (ember/env/vector_batched.h).
#pragma once

#include <memory>
#include <vector>

#include "ember/env/vector_batched.h"

namespace ember::env {

// The batch for envs that are all CartPole (each bare or in a TimeLimit); null otherwise.
std::unique_ptr<BatchedEnvs> make_cart_pole_batch(const std::vector<std::shared_ptr<Env>>& envs);

}  // namespace ember::env
