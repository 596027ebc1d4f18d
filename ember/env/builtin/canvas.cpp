// The built-in environments' raster (ember/env/builtin/canvas.h).
#include "ember/env/builtin/canvas.h"

#include <algorithm>
#include <cmath>

#include "ember/ops/ops.h"

namespace ember::env {

Canvas::Canvas(int64_t width, int64_t height, Color background)
    : width_(width), height_(height), pixels_(static_cast<size_t>(width * height * 3)) {
  for (size_t i = 0; i < pixels_.size(); i += 3) {
    std::copy(background.begin(), background.end(), pixels_.begin() + static_cast<long>(i));
  }
}

void Canvas::set(int64_t x, int64_t y, Color color) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
  auto offset = static_cast<size_t>((y * width_ + x) * 3);
  std::copy(color.begin(), color.end(), pixels_.begin() + static_cast<long>(offset));
}

void Canvas::fill_polygon(const std::vector<Point>& points, Color color) {
  if (points.size() < 3) return;
  double low = points[0].second, high = points[0].second;
  for (const auto& point : points) {
    low = std::min(low, point.second);
    high = std::max(high, point.second);
  }
  // Scanline fill: each row's pixel centres between pairs of edge crossings.
  for (auto y = static_cast<int64_t>(std::floor(low)); y <= static_cast<int64_t>(std::ceil(high));
       ++y) {
    double center = static_cast<double>(y) + 0.5;
    std::vector<double> crossings;
    for (size_t i = 0; i < points.size(); ++i) {
      const Point& a = points[i];
      const Point& b = points[(i + 1) % points.size()];
      if ((a.second <= center) != (b.second <= center)) {
        crossings.push_back(a.first +
                            (center - a.second) * (b.first - a.first) / (b.second - a.second));
      }
    }
    std::sort(crossings.begin(), crossings.end());
    for (size_t i = 0; i + 1 < crossings.size(); i += 2) {
      for (auto x = static_cast<int64_t>(std::ceil(crossings[i] - 0.5));
           static_cast<double>(x) + 0.5 <= crossings[i + 1]; ++x) {
        set(x, y, color);
      }
    }
  }
}

void Canvas::fill_circle(Point center, double radius, Color color) {
  auto x0 = static_cast<int64_t>(std::floor(center.first - radius));
  auto y0 = static_cast<int64_t>(std::floor(center.second - radius));
  auto x1 = static_cast<int64_t>(std::ceil(center.first + radius));
  auto y1 = static_cast<int64_t>(std::ceil(center.second + radius));
  for (int64_t y = y0; y <= y1; ++y) {
    for (int64_t x = x0; x <= x1; ++x) {
      double dx = static_cast<double>(x) + 0.5 - center.first;
      double dy = static_cast<double>(y) + 0.5 - center.second;
      if (dx * dx + dy * dy <= radius * radius) set(x, y, color);
    }
  }
}

void Canvas::polyline(const std::vector<Point>& points, double thickness, Color color) {
  double half = thickness / 2;
  for (size_t i = 0; i + 1 < points.size(); ++i) {
    auto [ax, ay] = points[i];
    auto [bx, by] = points[i + 1];
    double length = std::hypot(bx - ax, by - ay);
    if (length == 0) continue;
    double nx = -(by - ay) / length * half, ny = (bx - ax) / length * half;
    fill_polygon({{ax + nx, ay + ny}, {bx + nx, by + ny}, {bx - nx, by - ny}, {ax - nx, ay - ny}},
                 color);
  }
}

Tensor Canvas::to_tensor() const {
  Tensor image = empty({height_, width_, 3}, kUInt8);
  auto* out = image.data_ptr<uint8_t>();
  auto row_bytes = static_cast<size_t>(width_ * 3);
  for (int64_t row = 0; row < height_; ++row) {
    const uint8_t* source = pixels_.data() + static_cast<size_t>(height_ - 1 - row) * row_bytes;
    std::copy(source, source + row_bytes, out + static_cast<size_t>(row) * row_bytes);
  }
  return image;
}

}  // namespace ember::env
