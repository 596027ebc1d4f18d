// CartPole-v1 (ember/env/builtin/cart_pole.h). Compiled without FMA contraction so that every
// operation rounds as numpy's does.
#include "ember/env/builtin/cart_pole.h"

#include <cmath>

#include "ember/base/error.h"
#include "ember/env/builtin/canvas.h"
#include "ember/env/builtin/cart_pole_dynamics.h"
#include "ember/env/builtin/reset_bounds.h"
#include "ember/ops/ops.h"

namespace ember::env {

using namespace cart_pole;

CartPole::CartPole(CartPoleOptions options)
    : Env(std::move(options.render_mode)), sutton_barto_reward_(options.sutton_barto_reward) {
  float inf = std::numeric_limits<float>::infinity();
  std::array<float, 4> high{static_cast<float>(kXThreshold * 2), inf,
                            static_cast<float>(kThetaThreshold * 2), inf};
  Tensor high_tensor = from_blob_copy(high.data(), {4}, kFloat32);
  observation_space_ = std::make_shared<Box>(high_tensor.neg(), high_tensor);
  action_space_ = std::make_shared<Discrete>(2);
}

Tensor CartPole::observation() const {
  std::array<float, 4> values{};
  for (size_t i = 0; i < 4; ++i) values[i] = static_cast<float>(state_[i]);
  return from_blob_copy(values.data(), {4}, kFloat32);
}

ResetResult CartPole::reset(std::optional<uint64_t> seed, const Info& options) {
  Env::reset(seed, options);
  auto [low, high] = reset_bounds(options, kResetLow, kResetHigh, "CartPole");
  state_ = initial_state(np_random(), low, high);
  has_state_ = true;
  steps_beyond_terminated_.reset();
  return {observation(), {}};
}

StepResult CartPole::step(const Tensor& action) {
  check_action(*this, action);
  EMBER_CHECK(has_state_, "[CartPole.step] expected reset() before step()");
  auto& [x, x_dot, theta, theta_dot] = state_;
  bool terminated = advance(x, x_dot, theta, theta_dot, action.item<int64_t>());
  double step_reward = reward(terminated, steps_beyond_terminated_, sutton_barto_reward_);
  return {observation(), step_reward, terminated, false, {}};
}

std::optional<Tensor> CartPole::render() {
  if (render_mode() != "rgb_array" || !has_state_) return std::nullopt;
  constexpr double kWidth = 600;
  double scale = kWidth / (kXThreshold * 2);
  double pole_width = 10.0, pole_length = scale * (2 * kLength);
  double cart_width = 50.0, cart_height = 30.0;
  double cart_x = state_[0] * scale + kWidth / 2.0, cart_y = 100;
  double axle_offset = cart_height / 4.0;
  Canvas canvas(600, 400, {255, 255, 255});
  canvas.fill_polygon({{cart_x - cart_width / 2, cart_y - cart_height / 2},
                       {cart_x - cart_width / 2, cart_y + cart_height / 2},
                       {cart_x + cart_width / 2, cart_y + cart_height / 2},
                       {cart_x + cart_width / 2, cart_y - cart_height / 2}},
                      {0, 0, 0});
  // The pole, rotated by -theta about the axle.
  double c = std::cos(-state_[2]), s = std::sin(-state_[2]);
  std::vector<Point> pole;
  for (auto [px, py] : std::vector<Point>{{-pole_width / 2, -pole_width / 2},
                                          {-pole_width / 2, pole_length - pole_width / 2},
                                          {pole_width / 2, pole_length - pole_width / 2},
                                          {pole_width / 2, -pole_width / 2}}) {
    pole.emplace_back(px * c - py * s + cart_x, px * s + py * c + cart_y + axle_offset);
  }
  canvas.fill_polygon(pole, {202, 152, 101});
  canvas.fill_circle({cart_x, cart_y + axle_offset}, pole_width / 2, {129, 132, 203});
  canvas.polyline({{0, cart_y}, {kWidth, cart_y}}, 1, {0, 0, 0});
  return canvas.to_tensor();
}

}  // namespace ember::env
