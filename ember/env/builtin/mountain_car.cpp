// MountainCar-v0 and MountainCarContinuous-v0 (ember/env/builtin/mountain_car.h).
#include "ember/env/builtin/mountain_car.h"

#include <cmath>

#include "ember/base/error.h"
#include "ember/env/builtin/canvas.h"
#include "ember/env/builtin/numpy_scalar.h"
#include "ember/env/builtin/reset_bounds.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

constexpr double kMinPosition = -1.2;
constexpr double kMaxPosition = 0.6;
constexpr double kMaxSpeed = 0.07;
constexpr double kGoalPosition = 0.5;
constexpr double kContinuousGoalPosition = 0.45;
constexpr double kForce = 0.001;
constexpr double kGravity = 0.0025;
constexpr double kPower = 0.0015;

std::shared_ptr<Space> position_velocity_box() {
  Tensor low = tensor({static_cast<float>(kMinPosition), static_cast<float>(-kMaxSpeed)});
  Tensor high = tensor({static_cast<float>(kMaxPosition), static_cast<float>(kMaxSpeed)});
  return std::make_shared<Box>(low, high);
}

Tensor float32_observation(const std::array<double, 2>& state) {
  std::array<float, 2> values{};
  mountain_car_observation(state, values.data());
  return from_blob_copy(values.data(), {2}, kFloat32);
}

std::array<double, 2> initial_car_state(NpRandom& random, const Info& options,
                                        const std::string& env) {
  auto [low, high] = reset_bounds(options, -0.6, -0.4, env);
  return {random.uniform(low, high), 0.0};
}

double hill_height(double x) { return std::sin(3 * x) * 0.45 + 0.55; }

}  // namespace

void mountain_car_observation(const std::array<double, 2>& state, float* out) {
  out[0] = static_cast<float>(state[0]);
  out[1] = static_cast<float>(state[1]);
}

Tensor render_mountain_car(double position, double goal_position) {
  constexpr int64_t kWidth = 600, kHeight = 400;
  double scale = kWidth / (kMaxPosition - kMinPosition);
  auto to_screen = [&](double x, double y) { return Point{(x - kMinPosition) * scale, y * scale}; };
  Canvas canvas(kWidth, kHeight, {255, 255, 255});
  std::vector<Point> hill;
  for (int i = 0; i < 100; ++i) {
    double x = kMinPosition + (kMaxPosition - kMinPosition) * i / 99.0;
    hill.push_back(to_screen(x, hill_height(x)));
  }
  canvas.polyline(hill, 2, {0, 0, 0});
  // The car: a 40x20 body tilted with the slope, 10 pixels above the track, and two wheels.
  double angle = std::cos(3 * position), c = std::cos(angle), s = std::sin(angle);
  Point base = to_screen(position, hill_height(position));
  auto place = [&](double x, double y) {
    return Point{base.first + x * c - y * s, base.second + x * s + y * c};
  };
  canvas.fill_polygon({place(-20, 10), place(-20, 30), place(20, 30), place(20, 10)}, {0, 0, 0});
  canvas.fill_circle(place(10, 10), 5, {128, 128, 128});
  canvas.fill_circle(place(-10, 10), 5, {128, 128, 128});
  Point flag = to_screen(goal_position, hill_height(goal_position));
  canvas.polyline({flag, {flag.first, flag.second + 50}}, 1, {0, 0, 0});
  canvas.fill_polygon({{flag.first, flag.second + 50},
                       {flag.first, flag.second + 40},
                       {flag.first + 25, flag.second + 45}},
                      {204, 204, 0});
  return canvas.to_tensor();
}

MountainCar::MountainCar(MountainCarOptions options)
    : Env(std::move(options.render_mode)), goal_velocity_(options.goal_velocity) {
  observation_space_ = position_velocity_box();
  action_space_ = std::make_shared<Discrete>(3);
}

std::array<double, 2> MountainCar::initial_state(const Info& options) {
  return initial_car_state(np_random(), options, name());
}

ResetResult MountainCar::reset(std::optional<uint64_t> seed, const Info& options) {
  Env::reset(seed, options);
  state_ = initial_state(options);
  has_state_ = true;
  return {float32_observation(state_), {}};
}

bool MountainCar::advance(std::array<double, 2>& state, int64_t action) const {
  auto [position, velocity] = state;
  auto push = static_cast<double>(action - 1);
  velocity = velocity + (push * kForce + std::cos(3 * position) * (-kGravity));
  velocity = std::min(std::max(velocity, -kMaxSpeed), kMaxSpeed);
  position = position + velocity;
  position = std::min(std::max(position, kMinPosition), kMaxPosition);
  if (position == kMinPosition && velocity < 0) velocity = 0;
  state = {position, velocity};
  return position >= kGoalPosition && velocity >= goal_velocity_;
}

StepResult MountainCar::step(const Tensor& action) {
  check_action(*this, action);
  EMBER_CHECK(has_state_, "[MountainCar.step] expected reset() before step()");
  bool terminated = advance(state_, action.item<int64_t>());
  return {float32_observation(state_), -1.0, terminated, false, {}};
}

std::optional<Tensor> MountainCar::render() {
  if (render_mode() != "rgb_array" || !has_state_) return std::nullopt;
  return render_mountain_car(state_[0], kGoalPosition);
}

MountainCarContinuous::MountainCarContinuous(MountainCarOptions options)
    : Env(std::move(options.render_mode)), goal_velocity_(options.goal_velocity) {
  observation_space_ = position_velocity_box();
  action_space_ = std::make_shared<Box>(-1.0, 1.0, std::vector<int64_t>{1});
}

std::array<double, 2> MountainCarContinuous::initial_state(const Info& options) {
  return initial_car_state(np_random(), options, name());
}

ResetResult MountainCarContinuous::reset(std::optional<uint64_t> seed, const Info& options) {
  Env::reset(seed, options);
  state_ = initial_state(options);
  state_is_float32_ = false;
  has_state_ = true;
  return {float32_observation(state_), {}};
}

StepResult MountainCarContinuous::step(const Tensor& action) {
  double action_value = box_action_values(*this, action)[0];
  EMBER_CHECK(has_state_, "[MountainCarContinuous.step] expected reset() before step()");
  auto [reward, terminated] =
      advance(state_, state_is_float32_, action_value, action.dtype() == kFloat32);
  state_is_float32_ = true;
  return {float32_observation(state_), reward, terminated, false, {}};
}

std::pair<double, bool> MountainCarContinuous::advance(std::array<double, 2>& state,
                                                       bool state_is_float32, double action,
                                                       bool float32_action) const {
  using S = NpScalar;
  auto of_state = state_is_float32 ? &S::float32 : &S::float64;
  S position = of_state(state[0]), velocity = of_state(state[1]);
  S force = float32_action ? S::float32(action) : S::float64(action);
  // force = min(max(action[0], -1.0), 1.0): the action's own type unless clipped.
  if (S::python(-1.0) > force) force = S::python(-1.0);
  if (S::python(1.0) < force) force = S::python(1.0);
  S cos_term = S::python(0.0025) * S::python(std::cos((S::python(3) * position).value()));
  velocity = velocity + (force * S::python(kPower) - cos_term);
  if (velocity > S::python(kMaxSpeed)) velocity = S::python(kMaxSpeed);
  if (velocity < S::python(-kMaxSpeed)) velocity = S::python(-kMaxSpeed);
  position = position + velocity;
  if (position > S::python(kMaxPosition)) position = S::python(kMaxPosition);
  if (position < S::python(kMinPosition)) position = S::python(kMinPosition);
  if (position == S::python(kMinPosition) && velocity < S::python(0)) velocity = S::python(0);
  bool terminated =
      position >= S::python(kContinuousGoalPosition) && velocity >= S::python(goal_velocity_);
  double reward = terminated ? 100.0 : 0.0;
  reward -= library_pow(action, 2) * 0.1;
  // Gymnasium stores the new state as float32.
  state = {static_cast<float>(position.value()), static_cast<float>(velocity.value())};
  return {reward, terminated};
}

std::optional<Tensor> MountainCarContinuous::render() {
  if (render_mode() != "rgb_array" || !has_state_) return std::nullopt;
  return render_mountain_car(state_[0], kContinuousGoalPosition);
}

}  // namespace ember::env
