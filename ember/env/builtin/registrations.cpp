// The built-in environments under Gymnasium's ids, with Gymnasium's episode limits, reward
// thresholds and keyword arguments (ember::env::make reads them; ember/env/registry.cpp).
#include <memory>
#include <vector>

#include "ember/env/builtin/cart_pole.h"
#include "ember/env/registry.h"

namespace ember::env {

std::vector<EnvRegistration> builtin_env_registrations() {
  std::vector<EnvRegistration> entries;
  entries.push_back(
      {{"CartPole-v1", "ember.env:CartPoleEnv", 500, {}}, 475.0, [](const EnvKwargs& kwargs) {
         CartPoleOptions options;
         options.sutton_barto_reward =
             kwarg_or<bool>(kwargs, "CartPole-v1", "sutton_barto_reward", false);
         options.render_mode = kwarg_or<std::string>(kwargs, "CartPole-v1", "render_mode", "");
         return std::make_shared<CartPole>(options);
       }});
  return entries;
}

}  // namespace ember::env
