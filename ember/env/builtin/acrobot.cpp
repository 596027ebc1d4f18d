// Acrobot-v1 (ember/env/builtin/acrobot.h). Every expression keeps Gymnasium's operation order,
// and the file is compiled without FMA contraction, so the float64 RK4 step rounds as numpy's.
#include "ember/env/builtin/acrobot.h"

#include <cmath>

#include "ember/base/error.h"
#include "ember/env/builtin/canvas.h"
#include "ember/env/builtin/numpy_scalar.h"
#include "ember/env/builtin/reset_bounds.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

constexpr double kDt = 0.2;
constexpr double kLinkLength1 = 1.0;
constexpr double kLinkMass1 = 1.0;
constexpr double kLinkMass2 = 1.0;
constexpr double kLinkComPos1 = 0.5;
constexpr double kLinkComPos2 = 0.5;
constexpr double kLinkMoi = 1.0;
const double kMaxVel1 = 4 * M_PI;
const double kMaxVel2 = 9 * M_PI;
constexpr std::array<double, 3> kTorques{-1.0, 0.0, 1.0};

using Vector5 = std::array<double, 5>;

// The time derivative of (theta1, theta2, dtheta1, dtheta2, torque).
Vector5 derivatives(const Vector5& s) {
  double m1 = kLinkMass1, m2 = kLinkMass2, l1 = kLinkLength1, lc1 = kLinkComPos1,
         lc2 = kLinkComPos2, i1 = kLinkMoi, i2 = kLinkMoi, g = 9.8;
  double a = s[4], theta1 = s[0], theta2 = s[1], dtheta1 = s[2], dtheta2 = s[3];
  double d1 = m1 * library_pow(lc1, 2) +
              m2 * (library_pow(l1, 2) + library_pow(lc2, 2) + 2 * l1 * lc2 * std::cos(theta2)) +
              i1 + i2;
  double d2 = m2 * (library_pow(lc2, 2) + l1 * lc2 * std::cos(theta2)) + i2;
  double phi2 = m2 * lc2 * g * std::cos(theta1 + theta2 - M_PI / 2.0);
  double phi1 = -m2 * l1 * lc2 * library_pow(dtheta2, 2) * std::sin(theta2) -
                2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * std::sin(theta2) +
                (m1 * lc1 + m2 * l1) * g * std::cos(theta1 - M_PI / 2) + phi2;
  double ddtheta2 =
      (a + d2 / d1 * phi1 - m2 * l1 * lc2 * library_pow(dtheta1, 2) * std::sin(theta2) - phi2) /
      (m2 * library_pow(lc2, 2) + i2 - library_pow(d2, 2) / d1);
  double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return {dtheta1, dtheta2, ddtheta1, ddtheta2, 0.0};
}

// y + h * k, elementwise.
Vector5 add_scaled(const Vector5& y, double h, const Vector5& k) {
  Vector5 out{};
  for (size_t i = 0; i < 5; ++i) out[i] = y[i] + h * k[i];
  return out;
}

double wrap(double x, double low, double high) {
  double span = high - low;
  while (x > high) x = x - span;
  while (x < low) x = x + span;
  return x;
}

}  // namespace

Acrobot::Acrobot(AcrobotOptions options) : Env(std::move(options.render_mode)) {
  Tensor high =
      tensor({1.0f, 1.0f, 1.0f, 1.0f, static_cast<float>(kMaxVel1), static_cast<float>(kMaxVel2)});
  observation_space_ = std::make_shared<Box>(high.neg(), high);
  action_space_ = std::make_shared<Discrete>(3);
}

void Acrobot::observe(const std::array<double, 4>& state, float* out) {
  out[0] = static_cast<float>(std::cos(state[0]));
  out[1] = static_cast<float>(std::sin(state[0]));
  out[2] = static_cast<float>(std::cos(state[1]));
  out[3] = static_cast<float>(std::sin(state[1]));
  out[4] = static_cast<float>(state[2]);
  out[5] = static_cast<float>(state[3]);
}

Tensor Acrobot::observation() const {
  std::array<float, 6> values{};
  observe(state_, values.data());
  return from_blob_copy(values.data(), {6}, kFloat32);
}

std::array<double, 4> Acrobot::initial_state(const Info& options) {
  auto [low, high] = reset_bounds(options, -0.1, 0.1, name());
  // Gymnasium draws in float64 and keeps the initial state as float32.
  std::array<double, 4> state{};
  for (double& value : state) value = static_cast<float>(np_random().uniform(low, high));
  return state;
}

ResetResult Acrobot::reset(std::optional<uint64_t> seed, const Info& options) {
  Env::reset(seed, options);
  state_ = initial_state(options);
  has_state_ = true;
  return {observation(), {}};
}

StepResult Acrobot::step(const Tensor& action) {
  check_action(*this, action);
  EMBER_CHECK(has_state_, "[Acrobot.step] expected reset() before step()");
  bool terminated = advance(state_, action.item<int64_t>());
  return {observation(), terminated ? 0.0 : -1.0, terminated, false, {}};
}

bool Acrobot::advance(std::array<double, 4>& state, int64_t action) {
  double torque = kTorques[static_cast<size_t>(action)];
  Vector5 y0{state[0], state[1], state[2], state[3], torque};
  // One RK4 step over [0, dt], as Gymnasium's rk4(derivs, y0, [0, dt]).
  double dt = kDt - 0, dt2 = dt / 2.0;
  Vector5 k1 = derivatives(y0);
  Vector5 k2 = derivatives(add_scaled(y0, dt2, k1));
  Vector5 k3 = derivatives(add_scaled(y0, dt2, k2));
  Vector5 k4 = derivatives(add_scaled(y0, dt, k3));
  std::array<double, 4> next{};
  for (size_t i = 0; i < 4; ++i) {
    next[i] = y0[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
  next[0] = wrap(next[0], -M_PI, M_PI);
  next[1] = wrap(next[1], -M_PI, M_PI);
  next[2] = std::min(std::max(next[2], -kMaxVel1), kMaxVel1);
  next[3] = std::min(std::max(next[3], -kMaxVel2), kMaxVel2);
  state = next;
  return -std::cos(state[0]) - std::cos(state[1] + state[0]) > 1.0;
}

std::optional<Tensor> Acrobot::render() {
  if (render_mode() != "rgb_array" || !has_state_) return std::nullopt;
  constexpr int64_t kSize = 500;
  double bound = kLinkLength1 * 2 + 0.2, scale = kSize / (bound * 2), center = kSize / 2.0;
  auto to_screen = [&](double x, double y) {
    return Point{center + x * scale, center + y * scale};
  };
  Canvas canvas(kSize, kSize, {255, 255, 255});
  // The bar the free end must rise above.
  canvas.polyline({to_screen(-2.2, 1), to_screen(2.2, 1)}, 1, {0, 0, 0});
  double x1 = std::sin(state_[0]), y1 = -std::cos(state_[0]);
  double x2 = x1 + std::sin(state_[0] + state_[1]), y2 = y1 - std::cos(state_[0] + state_[1]);
  canvas.polyline({to_screen(0, 0), to_screen(x1, y1)}, 0.2 * scale, {0, 204, 204});
  canvas.polyline({to_screen(x1, y1), to_screen(x2, y2)}, 0.2 * scale, {0, 204, 204});
  canvas.fill_circle(to_screen(0, 0), 0.1 * scale, {204, 204, 0});
  canvas.fill_circle(to_screen(x1, y1), 0.1 * scale, {204, 204, 0});
  return canvas.to_tensor();
}

}  // namespace ember::env
