#include "ember/env/space_batching.h"

#include "ember/base/error.h"
#include "ember/env/vector_env.h"

namespace ember::env {

std::shared_ptr<Space> batch_any_space(const std::shared_ptr<Space>& space, int64_t n) {
  EMBER_CHECK_VALUE(space != nullptr, "[batch_space] expected a space; received None");
  EMBER_CHECK_VALUE(n >= 1, "[batch_space] expected n >= 1 copies of ", space->repr(),
                    "; received n = ", n);
  std::shared_ptr<Space> batched = batch_space(space, n);
  EMBER_CHECK_TYPE(batched != nullptr,
                   "[batch_space] expected a Box, Discrete, MultiDiscrete, MultiBinary, Tuple or "
                   "Dict space; received ",
                   space->repr());
  return batched;
}

}  // namespace ember::env
