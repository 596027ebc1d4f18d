// Pendulum-v1 (ember/env/builtin/pendulum.h).
#include "ember/env/builtin/pendulum.h"

#include <cmath>

#include "ember/base/error.h"
#include "ember/env/builtin/canvas.h"
#include "ember/env/builtin/numpy_scalar.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

constexpr double kMaxSpeed = 8;
constexpr double kMaxTorque = 2.0;
constexpr double kDt = 0.05;
constexpr double kMass = 1.0;
constexpr double kLength = 1.0;

// numpy's float remainder: fmod, moved into the divisor's sign.
double python_remainder(double a, double b) {
  double mod = std::fmod(a, b);
  if (mod != 0) {
    if ((b < 0) != (mod < 0)) mod += b;
  } else {
    mod = std::copysign(0.0, b);
  }
  return mod;
}

double angle_normalize(double x) { return python_remainder(x + M_PI, 2 * M_PI) - M_PI; }

}  // namespace

Pendulum::Pendulum(PendulumOptions options) : Env(std::move(options.render_mode)), g_(options.g) {
  Tensor high = tensor({1.0f, 1.0f, static_cast<float>(kMaxSpeed)});
  observation_space_ = std::make_shared<Box>(high.neg(), high);
  action_space_ = std::make_shared<Box>(-kMaxTorque, kMaxTorque, std::vector<int64_t>{1});
}

void Pendulum::observe(const std::array<double, 2>& state, float* out) {
  out[0] = static_cast<float>(std::cos(state[0]));
  out[1] = static_cast<float>(std::sin(state[0]));
  out[2] = static_cast<float>(state[1]);
}

Tensor Pendulum::observation() const {
  std::array<float, 3> values{};
  observe(state_, values.data());
  return from_blob_copy(values.data(), {3}, kFloat32);
}

std::array<double, 2> Pendulum::initial_state(const Info& options) {
  double x = option_or(options, "x_init", M_PI);
  double y = option_or(options, "y_init", 1.0);
  double theta = np_random().uniform(-x, x);
  return {theta, np_random().uniform(-y, y)};
}

ResetResult Pendulum::reset(std::optional<uint64_t> seed, const Info& options) {
  Env::reset(seed, options);
  state_ = initial_state(options);
  has_state_ = true;
  return {observation(), {}};
}

StepResult Pendulum::step(const Tensor& action) {
  double action_value = box_action_values(*this, action)[0];
  EMBER_CHECK(has_state_, "[Pendulum.step] expected reset() before step()");
  double reward = advance(state_, action_value, action.dtype() == kFloat32);
  return {observation(), reward, false, false, {}};
}

double Pendulum::advance(std::array<double, 2>& state, double action, bool float32_action) const {
  using S = NpScalar;
  auto [th, thdot] = state;
  // u = np.clip(u, -2, 2)[0] keeps the action's dtype: float32 actions compute in float32.
  double clipped = std::min(std::max(action, -kMaxTorque), kMaxTorque);
  S u = float32_action ? S::float32(clipped) : S::float64(clipped);
  S costs = S::float64(library_pow(angle_normalize(th), 2) + 0.1 * library_pow(thdot, 2)) +
            S::python(0.001) * pow(u, 2);
  S acceleration = S::float64(3 * g_ / (2 * kLength) * std::sin(th)) +
                   S::python(3.0 / (kMass * kLength * kLength)) * u;
  double newthdot = thdot + (acceleration * S::python(kDt)).value();
  newthdot = std::min(std::max(newthdot, -kMaxSpeed), kMaxSpeed);
  double newth = th + newthdot * kDt;
  state = {newth, newthdot};
  return -costs.value();
}

std::optional<Tensor> Pendulum::render() {
  if (render_mode() != "rgb_array" || !has_state_) return std::nullopt;
  constexpr int64_t kSize = 500;
  double scale = kSize / 4.4, center = kSize / 2.0;
  double rod_length = 1 * scale, rod_width = 0.2 * scale;
  double angle = state_[0] + M_PI / 2, c = std::cos(angle), s = std::sin(angle);
  auto place = [&](double x, double y) {
    return Point{center + x * c - y * s, center + x * s + y * c};
  };
  Canvas canvas(kSize, kSize, {255, 255, 255});
  canvas.fill_polygon({place(0, -rod_width / 2), place(0, rod_width / 2),
                       place(rod_length, rod_width / 2), place(rod_length, -rod_width / 2)},
                      {204, 77, 77});
  canvas.fill_circle(place(0, 0), rod_width / 2, {204, 77, 77});
  canvas.fill_circle(place(rod_length, 0), rod_width / 2, {204, 77, 77});
  canvas.fill_circle({center, center}, 0.05 * scale, {0, 0, 0});
  return canvas.to_tensor();
}

}  // namespace ember::env
