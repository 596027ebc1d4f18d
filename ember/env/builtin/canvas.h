// A small RGB raster for the built-in environments' render_mode "rgb_array": filled polygons,
// circles and lines in Gymnasium's screen coordinates (origin bottom-left, y up), returned as a
// uint8 (height, width, 3) tensor. The pictures resemble Gymnasium's; the pixels need not match.
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::env {

using Color = std::array<uint8_t, 3>;
using Point = std::pair<double, double>;

class Canvas {
 public:
  Canvas(int64_t width, int64_t height, Color background);
  void fill_polygon(const std::vector<Point>& points, Color color);
  void fill_circle(Point center, double radius, Color color);
  // A line `thickness` pixels wide through the given points.
  void polyline(const std::vector<Point>& points, double thickness, Color color);
  // The image, top row first (Gymnasium flips its y-up surface the same way).
  Tensor to_tensor() const;

 private:
  void set(int64_t x, int64_t y, Color color);
  int64_t width_, height_;
  std::vector<uint8_t> pixels_;  // row-major, row 0 at the bottom (y up)
};

}  // namespace ember::env
