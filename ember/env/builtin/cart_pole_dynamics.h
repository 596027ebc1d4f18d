// CartPole-v1's equations, shared by the single env (cart_pole.cpp) and the batched vector step
// (cart_pole_batch.cpp) so that both round alike. Include only from ember/env/builtin/, whose
// files are compiled without FMA contraction (numpy's rounding).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>

#include "ember/env/np_random.h"

namespace ember::env::cart_pole {

constexpr double kGravity = 9.8;
constexpr double kMassCart = 1.0;
constexpr double kMassPole = 0.1;
constexpr double kTotalMass = kMassPole + kMassCart;
constexpr double kLength = 0.5;  // half the pole's length
constexpr double kPoleMassLength = kMassPole * kLength;
constexpr double kForceMag = 10.0;
constexpr double kTau = 0.02;
const double kThetaThreshold = 12 * 2 * M_PI / 360;
constexpr double kXThreshold = 2.4;
// The default bounds of the uniform initial state.
constexpr double kResetLow = -0.05;
constexpr double kResetHigh = 0.05;

// One Euler step of the state under action (0 pushes left, 1 right); returns whether the episode
// has terminated.
inline bool advance(double& x, double& x_dot, double& theta, double& theta_dot, int64_t action) {
  double force = action == 1 ? kForceMag : -kForceMag;
  double costheta = std::cos(theta);
  double sintheta = std::sin(theta);
  double temp = (force + kPoleMassLength * (theta_dot * theta_dot) * sintheta) / kTotalMass;
  double thetaacc = (kGravity * sintheta - costheta * temp) /
                    (kLength * (4.0 / 3.0 - kMassPole * (costheta * costheta) / kTotalMass));
  double xacc = temp - kPoleMassLength * thetaacc * costheta / kTotalMass;
  x = x + kTau * x_dot;
  x_dot = x_dot + kTau * xacc;
  theta = theta + kTau * theta_dot;
  theta_dot = theta_dot + kTau * thetaacc;
  return x < -kXThreshold || x > kXThreshold || theta < -kThetaThreshold || theta > kThetaThreshold;
}

// The step's reward; steps_beyond_terminated counts the steps taken after termination.
inline double reward(bool terminated, std::optional<int64_t>& steps_beyond_terminated,
                     bool sutton_barto_reward) {
  if (!terminated) return sutton_barto_reward ? 0.0 : 1.0;
  if (!steps_beyond_terminated) {
    steps_beyond_terminated = 0;
    return sutton_barto_reward ? -1.0 : 1.0;
  }
  ++*steps_beyond_terminated;
  return sutton_barto_reward ? -1.0 : 0.0;
}

// The initial state: four uniform draws in [low, high), in Gymnasium's order.
inline std::array<double, 4> initial_state(NpRandom& random, double low, double high) {
  std::array<double, 4> state{};
  for (double& value : state) value = random.uniform(low, high);
  return state;
}

}  // namespace ember::env::cart_pole
