// The batched vector step of the built-in environments (ember/env/vector_batched.h): CartPole,
// MountainCar, MountainCarContinuous, Pendulum and Acrobot.
#pragma once

#include <memory>
#include <vector>

#include "ember/env/vector_batched.h"

namespace ember::env {

// The batch for envs that are all one built-in env type (each bare or in a TimeLimit); null
// otherwise.
std::unique_ptr<BatchedEnvs> make_builtin_batch(const std::vector<std::shared_ptr<Env>>& envs);

}  // namespace ember::env
