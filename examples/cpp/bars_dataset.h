// The C++ examples' bar images (the data of examples/python/cnn_checkpoint.py's bars()): 8x8
// images of one bar, horizontal (class 0) or vertical (class 1), at a random row or column, under
// noise, drawn from the default generator in memory (no downloads).
#pragma once

#include <cstdint>
#include <optional>

// ember.h first: its IValue::Tag::TensorList would otherwise shadow ember::TensorList (-Wshadow).
#include "ember/ember.h"

#include "ember/data/data.h"

class Bars : public ember::data::datasets::Dataset<Bars> {
 public:
  static constexpr int64_t kSide = 8;

  explicit Bars(int64_t count) {
    labels_ = ember::randint(0, 2, {count});
    const ember::Tensor positions = ember::randint(0, kSide, {count, 1, 1});
    const ember::Tensor lines = ember::arange(kSide);
    const ember::Tensor horizontal = lines.view({1, kSide, 1}).eq(positions);
    const ember::Tensor vertical = lines.view({1, 1, kSide}).eq(positions);
    const ember::Tensor bar = ember::where(labels_.view({-1, 1, 1}).eq(0), horizontal, vertical);
    images_ = bar.unsqueeze(1).to(ember::kFloat32) + ember::randn({count, 1, kSide, kSide}) * 0.3;
  }

  ember::data::Example<> get(size_t index) override {
    const auto i = static_cast<int64_t>(index);
    return {images_[i], labels_[i]};
  }
  std::optional<size_t> size() const override { return static_cast<size_t>(labels_.size(0)); }

 private:
  ember::Tensor images_, labels_;
};
