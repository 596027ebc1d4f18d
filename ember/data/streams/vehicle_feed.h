// A synthetic vehicle feed for the streams' simulators (python -m ember.data.streams.simulate,
// examples/cpp/sensor_simulator.cpp), examples and tests: a smooth drive with sensor noise.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "ember/data/streams/framing.h"
#include "ember/data/streams/schema.h"

namespace ember::data::streams {

class VehicleFeed {
 public:
  // `ranges` range readings per record; `rate` records per second of simulated time.
  VehicleFeed(int64_t ranges, double rate, uint64_t seed);

  // t (float64, s), speed (float32, m/s), steering (float32, rad), accel (float32 (3,), m/s^2)
  // and ranges (float32 (ranges,), m): a ring of range readings around the vehicle.
  const Schema& schema() const { return schema_; }
  // The values of the next record, flattened in schema order.
  std::vector<double> next();
  // The next record as a frame of `format`.
  std::string next_frame(Format format) { return encode_frame(format, schema_, next()); }
  int64_t produced() const { return produced_; }

 private:
  Schema schema_;
  int64_t ranges_;
  double period_;
  std::mt19937_64 generator_;
  std::normal_distribution<double> noise_{0.0, 1.0};
  int64_t produced_ = 0;
};

}  // namespace ember::data::streams
