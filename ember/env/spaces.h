// Gymnasium's spaces (gymnasium.spaces): the set of valid observations or actions of an
// environment, with sample(), contains() and seed(). Each space owns an NpRandom seeded like
// Gymnasium's space.np_random, so the same seed gives the same samples as Gymnasium's space.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ember/env/np_random.h"
#include "ember/tensor/tensor.h"

namespace ember::env {

class Space {
 public:
  virtual ~Space();
  // A random element (leaf spaces; Tuple and Dict sample through sample_each()).
  virtual Tensor sample();
  virtual bool contains(const Tensor& x) const = 0;
  // Seeds this space's generator (from entropy without a seed); returns the seeds used, one per
  // leaf space in order (Gymnasium returns an int, or a tuple/dict of them for composites).
  virtual std::vector<uint64_t> seed(std::optional<uint64_t> seed = std::nullopt);
  // Gymnasium's lazy np_random: seeded from entropy on first use.
  NpRandom& np_random();
  // Replaces the generator (batch_space hands a batch a copy of its space's, as Gymnasium's).
  void set_np_random(NpRandom generator) { np_random_ = std::move(generator); }
  virtual std::vector<int64_t> shape() const { return {}; }
  virtual ScalarType dtype() const { return kInt64; }
  virtual std::string repr() const = 0;
  virtual bool equals(const Space& other) const = 0;

 protected:
  std::optional<NpRandom> np_random_;
};

// Gymnasium's Box: a (possibly unbounded) box in R^n of a float or integer dtype.
class Box : public Space {
 public:
  // low and high are broadcast to `shape` (their own shape when shape is empty) and cast to dtype.
  Box(const Tensor& low, const Tensor& high, std::optional<std::vector<int64_t>> shape = {},
      ScalarType dtype = kFloat32);
  Box(double low, double high, std::vector<int64_t> shape, ScalarType dtype = kFloat32);

  // Bounded dimensions draw numpy's uniform, as Gymnasium; unbounded dimensions draw a normal and
  // half-bounded ones an exponential, from this generator but not numpy's ziggurat stream.
  Tensor sample() override;
  bool contains(const Tensor& x) const override;
  std::vector<int64_t> shape() const override { return shape_; }
  ScalarType dtype() const override { return dtype_; }
  std::string repr() const override;
  bool equals(const Space& other) const override;

  const Tensor& low() const { return low_; }
  const Tensor& high() const { return high_; }
  bool is_bounded(const std::string& manner = "both") const;
  // Per element, in C order (Gymnasium's bounded_below / bounded_above).
  const std::vector<bool>& bounded_below() const { return bounded_below_; }
  const std::vector<bool>& bounded_above() const { return bounded_above_; }

 private:
  void init(const Tensor& low, const Tensor& high);

  std::vector<int64_t> shape_;
  ScalarType dtype_;
  Tensor low_, high_;                             // dtype_, contiguous
  std::vector<double> low_values_, high_values_;  // low_ and high_ as doubles, C order
  std::vector<bool> bounded_below_, bounded_above_;
};

// Gymnasium's Discrete: {start, ..., start + n - 1}; a sample is an int64 0-d tensor.
class Discrete : public Space {
 public:
  explicit Discrete(int64_t n, int64_t start = 0);
  Tensor sample() override;
  int64_t sample_value();
  bool contains(const Tensor& x) const override;
  bool contains(int64_t x) const { return x >= start_ && x < start_ + n_; }
  std::string repr() const override;
  bool equals(const Space& other) const override;
  int64_t n() const { return n_; }
  int64_t start() const { return start_; }

 private:
  int64_t n_, start_;
};

// Gymnasium's MultiDiscrete: a Discrete per element of nvec (int64).
class MultiDiscrete : public Space {
 public:
  explicit MultiDiscrete(std::vector<int64_t> nvec, std::optional<std::vector<int64_t>> start = {});
  Tensor sample() override;
  bool contains(const Tensor& x) const override;
  std::vector<int64_t> shape() const override { return {static_cast<int64_t>(nvec_.size())}; }
  std::string repr() const override;
  bool equals(const Space& other) const override;
  const std::vector<int64_t>& nvec() const { return nvec_; }
  const std::vector<int64_t>& start() const { return start_; }

 private:
  std::vector<int64_t> nvec_, start_;
};

// Gymnasium's MultiBinary: int8 arrays of 0 and 1 of a given shape.
class MultiBinary : public Space {
 public:
  explicit MultiBinary(std::vector<int64_t> shape);
  Tensor sample() override;
  bool contains(const Tensor& x) const override;
  std::vector<int64_t> shape() const override { return shape_; }
  ScalarType dtype() const override { return kInt8; }
  std::string repr() const override;
  bool equals(const Space& other) const override;

 private:
  std::vector<int64_t> shape_;
};

// Gymnasium's Tuple of spaces. Its elements are sampled one by one (sample_each for leaf
// children); seed(s) seeds its own generator with s and each child with a draw from it.
class TupleSpace : public Space {
 public:
  explicit TupleSpace(std::vector<std::shared_ptr<Space>> spaces);
  std::vector<Tensor> sample_each();
  bool contains(const Tensor& x) const override;
  bool contains(const std::vector<Tensor>& x) const;
  std::vector<uint64_t> seed(std::optional<uint64_t> seed = std::nullopt) override;
  std::string repr() const override;
  bool equals(const Space& other) const override;
  const std::vector<std::shared_ptr<Space>>& spaces() const { return spaces_; }

 private:
  std::vector<std::shared_ptr<Space>> spaces_;
};

// Gymnasium's Dict of named spaces, in the given key order (Gymnasium sorts plain-dict keys;
// the Python shell does that before calling here).
class DictSpace : public Space {
 public:
  using Entries = std::vector<std::pair<std::string, std::shared_ptr<Space>>>;
  explicit DictSpace(Entries spaces);
  std::vector<std::pair<std::string, Tensor>> sample_each();
  bool contains(const Tensor& x) const override;
  bool contains(const std::vector<std::pair<std::string, Tensor>>& x) const;
  std::vector<uint64_t> seed(std::optional<uint64_t> seed = std::nullopt) override;
  std::string repr() const override;
  bool equals(const Space& other) const override;
  const Entries& spaces() const { return spaces_; }

 private:
  Entries spaces_;
};

// numpy's can_cast(from, to) with casting="safe" (Box and MultiDiscrete accept x only then).
bool can_cast_safely(ScalarType from, ScalarType to);

}  // namespace ember::env
