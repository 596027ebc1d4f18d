// The built-in environments under Gymnasium's ids, with Gymnasium's episode limits, reward
// thresholds and keyword arguments (ember::env::make reads them; ember/env/registry.cpp).
#include <memory>
#include <string>
#include <vector>

#include "ember/env/builtin/acrobot.h"
#include "ember/env/builtin/cart_pole.h"
#include "ember/env/builtin/mountain_car.h"
#include "ember/env/builtin/pendulum.h"
#include "ember/env/registry.h"

namespace ember::env {

namespace {

std::string render_mode(const EnvKwargs& kwargs, const std::string& id) {
  return kwarg_or<std::string>(kwargs, id, "render_mode", "");
}

}  // namespace

std::vector<EnvRegistration> builtin_env_registrations() {
  std::vector<EnvRegistration> entries;
  entries.push_back(
      {{"CartPole-v1", "ember.env:CartPoleEnv", 500, {}}, 475.0, [](const EnvKwargs& kwargs) {
         const std::string id = "CartPole-v1";
         return std::make_shared<CartPole>(CartPoleOptions{
             kwarg_or<bool>(kwargs, id, "sutton_barto_reward", false), render_mode(kwargs, id)});
       }});
  entries.push_back({{"MountainCar-v0", "ember.env:MountainCarEnv", 200, {}},
                     -110.0,
                     [](const EnvKwargs& kwargs) {
                       const std::string id = "MountainCar-v0";
                       return std::make_shared<MountainCar>(
                           MountainCarOptions{kwarg_or<double>(kwargs, id, "goal_velocity", 0.0),
                                              render_mode(kwargs, id)});
                     }});
  entries.push_back({{"MountainCarContinuous-v0", "ember.env:Continuous_MountainCarEnv", 999, {}},
                     90.0,
                     [](const EnvKwargs& kwargs) {
                       const std::string id = "MountainCarContinuous-v0";
                       return std::make_shared<MountainCarContinuous>(
                           MountainCarOptions{kwarg_or<double>(kwargs, id, "goal_velocity", 0.0),
                                              render_mode(kwargs, id)});
                     }});
  entries.push_back({{"Pendulum-v1", "ember.env:PendulumEnv", 200, {}},
                     std::nullopt,
                     [](const EnvKwargs& kwargs) {
                       const std::string id = "Pendulum-v1";
                       return std::make_shared<Pendulum>(PendulumOptions{
                           kwarg_or<double>(kwargs, id, "g", 10.0), render_mode(kwargs, id)});
                     }});
  entries.push_back(
      {{"Acrobot-v1", "ember.env:AcrobotEnv", 500, {}}, -100.0, [](const EnvKwargs& kwargs) {
         return std::make_shared<Acrobot>(AcrobotOptions{render_mode(kwargs, "Acrobot-v1")});
       }});
  return entries;
}

}  // namespace ember::env
