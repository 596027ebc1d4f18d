#include "ember/data/streams/vehicle_feed.h"

#include <cmath>
#include <numbers>

#include "ember/base/error.h"

namespace ember::data::streams {

VehicleFeed::VehicleFeed(int64_t ranges, double rate, uint64_t seed)
    : schema_({{"t", kFloat64, {}},
               {"speed", kFloat32, {}},
               {"steering", kFloat32, {}},
               {"accel", kFloat32, {3}},
               {"ranges", kFloat32, {ranges}}}),
      ranges_(ranges),
      period_(1.0 / rate),
      generator_(seed) {
  EMBER_CHECK_VALUE(ranges >= 1, "[streams.VehicleFeed] expected at least 1 range reading; got ",
                    ranges);
  EMBER_CHECK_VALUE(rate > 0, "[streams.VehicleFeed] expected a positive rate; got ", rate);
}

std::vector<double> VehicleFeed::next() {
  const double t = static_cast<double>(produced_++) * period_;
  const double speed = 10.0 + 3.0 * std::sin(0.5 * t);
  const double steering = 0.2 * std::sin(0.3 * t);
  const double longitudinal = 1.5 * std::cos(0.5 * t);              // d speed / dt
  const double lateral = speed * speed * std::tan(steering) / 2.7;  // a 2.7 m wheelbase
  std::vector<double> values{t,
                             speed,
                             steering,
                             longitudinal + 0.05 * noise_(generator_),
                             lateral + 0.05 * noise_(generator_),
                             9.81 + 0.02 * noise_(generator_)};
  for (int64_t k = 0; k < ranges_; ++k) {
    const double angle = 2 * std::numbers::pi * static_cast<double>(k) / ranges_;
    values.push_back(5.0 + 2.0 * std::sin(angle + 0.1 * t) + 0.01 * noise_(generator_));
  }
  return values;
}

}  // namespace ember::data::streams
