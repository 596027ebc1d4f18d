// The base of ember::distributions' classes (PyTorch's torch.distributions.Distribution): the
// batch and event shapes, and the interface every distribution answers. Draws use ember's
// generators (the default one unless a Generator is given), so ember::manual_seed reproduces them.
#pragma once

#include <optional>
#include <string>

#include "ember/tensor/generator.h"
#include "ember/tensor/shape.h"
#include "ember/tensor/tensor.h"

namespace ember::distributions {

class Distribution {
 public:
  virtual ~Distribution() = default;

  const Shape& batch_shape() const { return batch_shape_; }
  const Shape& event_shape() const { return event_shape_; }
  // sample_shape + batch_shape + event_shape: the shape of sample(sample_shape).
  Shape extended_shape(IntArrayRef sample_shape = {}) const;

  // Draws without a graph; rsample keeps one (only where has_rsample()).
  virtual Tensor sample(IntArrayRef sample_shape = {},
                        std::optional<Generator> generator = std::nullopt) const = 0;
  virtual bool has_rsample() const { return false; }
  virtual Tensor rsample(IntArrayRef sample_shape = {},
                         std::optional<Generator> generator = std::nullopt) const;
  virtual Tensor log_prob(const Tensor& value) const = 0;
  virtual Tensor entropy() const = 0;
  virtual Tensor mean() const = 0;
  virtual Tensor mode() const = 0;
  virtual Tensor variance() const = 0;
  Tensor stddev() const;
  virtual std::string name() const = 0;

 protected:
  Distribution(Shape batch_shape, Shape event_shape)
      : batch_shape_(std::move(batch_shape)), event_shape_(std::move(event_shape)) {}

 private:
  Shape batch_shape_;
  Shape event_shape_;
};

}  // namespace ember::distributions
