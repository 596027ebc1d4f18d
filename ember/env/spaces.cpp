// Gymnasium's spaces over ember tensors (ember/env/spaces.h).
#include "ember/env/spaces.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

std::vector<double> values_of(const Tensor& x) {
  Tensor values = x.to(Device(kCPU), kFloat64).contiguous();  // read on the host
  const double* data = values.data_ptr<double>();
  return {data, data + values.numel()};
}

int64_t element_count(const std::vector<int64_t>& shape) {
  int64_t count = 1;
  for (int64_t size : shape) count *= size;
  return count;
}

std::vector<int64_t> shape_of(const Tensor& x) { return {x.sizes().begin(), x.sizes().end()}; }

// A Python tuple: (), (4,), (2, 3).
std::string tuple_repr(const std::vector<int64_t>& values) {
  std::ostringstream out;
  out << "(";
  for (size_t i = 0; i < values.size(); ++i) out << (i ? ", " : "") << values[i];
  out << (values.size() == 1 ? ",)" : ")");
  return out.str();
}

// A shortest round-trip number as numpy prints it (-inf, 1.0, 0.41887903).
std::string number_repr(double value, ScalarType dtype) {
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (std::isnan(value)) return "nan";
  char buffer[64];
  auto result = dtype == kFloat32
                    ? std::to_chars(buffer, buffer + sizeof(buffer), static_cast<float>(value))
                    : std::to_chars(buffer, buffer + sizeof(buffer), value);
  std::string text(buffer, result.ptr);
  if (is_floating_point(dtype) && text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

// Gymnasium's array_short_repr: one number when all are equal, else the list.
std::string values_repr(const std::vector<double>& values, ScalarType dtype) {
  bool uniform = true;
  for (double value : values) uniform = uniform && value == values.front();
  if (uniform && !values.empty()) return number_repr(values.front(), dtype);
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) text += " ";
    text += number_repr(values[i], dtype);
  }
  return text + "]";
}

// numpy's standard normal and exponential from this generator (not numpy's ziggurat streams).
double standard_normal(NpRandom& rng) {
  double u1 = rng.random();
  double u2 = rng.random();
  return std::sqrt(-2.0 * std::log1p(-u1)) * std::cos(2.0 * M_PI * u2);
}

double standard_exponential(NpRandom& rng) { return -std::log1p(-rng.random()); }

}  // namespace

bool can_cast_safely(ScalarType from, ScalarType to) {
  if (from == to || from == kBool) return true;
  auto rank = [](ScalarType dtype) {
    switch (dtype) {
      case kInt8:
      case kUInt8:
        return 8;
      case kInt16:
      case kFloat16:
      case kBFloat16:
        return 16;
      case kInt32:
      case kFloat32:
        return 32;
      default:
        return 64;
    }
  };
  bool from_float = is_floating_point(from), to_float = is_floating_point(to);
  if (to == kBool) return false;
  if (from_float) {
    if (!to_float) return false;
    if (from == kBFloat16) return to == kFloat32 || to == kFloat64;
    return to != kBFloat16 && rank(to) >= rank(from);
  }
  if (to_float) {
    // An integer fits a float that has more mantissa bits than it has value bits.
    if (to == kBFloat16) return false;
    return rank(to) > rank(from) || (to == kFloat64 && rank(from) < 64);
  }
  if (from == kUInt8) return to != kInt8;
  if (to == kUInt8) return false;
  return rank(to) >= rank(from);
}

Space::~Space() = default;

Tensor Space::sample() {
  throw ValueError("[" + repr() + ".sample] a composite space samples through sample_each()");
}

std::vector<uint64_t> Space::seed(std::optional<uint64_t> seed) {
  np_random_ = seed ? NpRandom(*seed) : NpRandom::from_entropy();
  return {np_random_->seed()};
}

NpRandom& Space::np_random() {
  if (!np_random_) np_random_ = NpRandom::from_entropy();
  return *np_random_;
}

Box::Box(const Tensor& low, const Tensor& high, std::optional<std::vector<int64_t>> shape,
         ScalarType dtype)
    : dtype_(dtype) {
  if (shape) {
    shape_ = *shape;
  } else {
    EMBER_CHECK_VALUE(low.sizes() == high.sizes(),
                      "[Box] expected low and high of one shape when shape is not given; "
                      "received low ",
                      low.sizes(), " and high ", high.sizes());
    shape_ = shape_of(low);
  }
  init(low, high);
}

Box::Box(double low, double high, std::vector<int64_t> shape, ScalarType dtype)
    : shape_(std::move(shape)), dtype_(dtype) {
  init(full(shape_, low, kFloat64), full(shape_, high, kFloat64));
}

void Box::init(const Tensor& low, const Tensor& high) {
  EMBER_CHECK_VALUE(dtype_ != kBool && dtype_ != kFloat16 && dtype_ != kBFloat16,
                    "[Box] expected a float32/float64 or integer dtype; received ",
                    dtype_name(dtype_));
  for (int64_t size : shape_) {
    EMBER_CHECK_VALUE(size >= 0, "[Box] expected a shape of non-negative sizes; received ",
                      tuple_repr(shape_));
  }
  auto fit = [&](const Tensor& bound, const char* name) {
    Tensor values = bound.to(kFloat64);
    EMBER_CHECK_VALUE(values.dim() == 0 || values.sizes() == IntArrayRef(shape_), "[Box] expected ",
                      name, " of shape ", tuple_repr(shape_), " or a scalar; received shape ",
                      values.sizes());
    return values.expand(shape_).contiguous();
  };
  Tensor low64 = fit(low, "low"), high64 = fit(high, "high");
  // Integer boxes keep infinite bounds at the dtype's limits, as Gymnasium.
  if (!is_floating_point(dtype_)) {
    low64 = low64.clamp(static_cast<double>(std::numeric_limits<int64_t>::min()), std::nullopt);
    high64 = high64.clamp(std::nullopt, static_cast<double>(std::numeric_limits<int64_t>::max()));
  }
  low_ = low64.to(dtype_).contiguous();
  high_ = high64.to(dtype_).contiguous();
  low_values_ = values_of(low_);
  high_values_ = values_of(high_);
  std::vector<double> raw_low = values_of(low64), raw_high = values_of(high64);
  for (size_t i = 0; i < low_values_.size(); ++i) {
    EMBER_CHECK_VALUE(!(low_values_[i] > high_values_[i]),
                      "[Box] expected low <= high everywhere; received low ", low_values_[i],
                      " > high ", high_values_[i], " at element ", i);
    bounded_below_.push_back(raw_low[i] > -std::numeric_limits<double>::infinity());
    bounded_above_.push_back(raw_high[i] < std::numeric_limits<double>::infinity());
  }
}

bool Box::is_bounded(const std::string& manner) const {
  bool below = true, above = true;
  for (bool b : bounded_below_) below = below && b;
  for (bool b : bounded_above_) above = above && b;
  if (manner == "both") return below && above;
  if (manner == "below") return below;
  if (manner == "above") return above;
  throw ValueError("[Box.is_bounded] expected manner 'both', 'below' or 'above'; received '" +
                   manner + "'");
}

Tensor Box::sample() {
  NpRandom& rng = np_random();
  bool integral = !is_floating_point(dtype_);
  size_t count = low_values_.size();
  std::vector<double> values(count);
  // Gymnasium's order: unbounded, bounded below only, bounded above only, then bounded.
  for (size_t i = 0; i < count; ++i) {
    if (!bounded_below_[i] && !bounded_above_[i]) values[i] = standard_normal(rng);
  }
  for (size_t i = 0; i < count; ++i) {
    if (bounded_below_[i] && !bounded_above_[i]) {
      values[i] = standard_exponential(rng) + low_values_[i];
    }
  }
  for (size_t i = 0; i < count; ++i) {
    if (!bounded_below_[i] && bounded_above_[i]) {
      values[i] = -standard_exponential(rng) + high_values_[i] + (integral ? 1 : 0);
    }
  }
  for (size_t i = 0; i < count; ++i) {
    if (bounded_below_[i] && bounded_above_[i]) {
      values[i] = rng.uniform(low_values_[i], high_values_[i] + (integral ? 1 : 0));
    }
  }
  if (integral) {
    for (size_t i = 0; i < count; ++i) {
      values[i] = std::min(std::max(std::floor(values[i]), low_values_[i]), high_values_[i]);
    }
  }
  return from_blob_copy(values.data(), shape_, kFloat64).to(dtype_);
}

bool Box::contains(const Tensor& x) const {
  if (!can_cast_safely(x.dtype(), dtype_) || x.sizes() != IntArrayRef(shape_)) return false;
  std::vector<double> values = values_of(x);
  for (size_t i = 0; i < values.size(); ++i) {
    if (!(values[i] >= low_values_[i] && values[i] <= high_values_[i])) return false;
  }
  return true;
}

std::string Box::repr() const {
  return "Box(" + values_repr(low_values_, dtype_) + ", " + values_repr(high_values_, dtype_) +
         ", " + tuple_repr(shape_) + ", " + std::string(dtype_name(dtype_)) + ")";
}

bool Box::equals(const Space& other) const {
  const auto* box = dynamic_cast<const Box*>(&other);
  if (!box || box->shape_ != shape_ || box->dtype_ != dtype_) return false;
  auto close = [](const std::vector<double>& a, const std::vector<double>& b) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] == b[i]) continue;
      if (!(std::abs(a[i] - b[i]) <= 1e-8 + 1e-5 * std::abs(b[i]))) return false;
    }
    return true;
  };
  return close(low_values_, box->low_values_) && close(high_values_, box->high_values_);
}

Discrete::Discrete(int64_t n, int64_t start) : n_(n), start_(start) {
  EMBER_CHECK_VALUE(n > 0, "[Discrete] expected n > 0; received n=", n);
}

int64_t Discrete::sample_value() { return start_ + np_random().integers(0, n_); }

Tensor Discrete::sample() { return scalar_tensor(sample_value(), kInt64); }

bool Discrete::contains(const Tensor& x) const {
  if (x.dim() != 0 || !is_integral(x.dtype(), false)) return false;
  return contains(x.item<int64_t>());
}

std::string Discrete::repr() const {
  return "Discrete(" + std::to_string(n_) +
         (start_ != 0 ? ", start=" + std::to_string(start_) : std::string()) + ")";
}

bool Discrete::equals(const Space& other) const {
  const auto* discrete = dynamic_cast<const Discrete*>(&other);
  return discrete && discrete->n_ == n_ && discrete->start_ == start_;
}

MultiDiscrete::MultiDiscrete(std::vector<int64_t> nvec, std::optional<std::vector<int64_t>> start)
    : nvec_(std::move(nvec)), start_(start ? *start : std::vector<int64_t>(nvec_.size(), 0)) {
  EMBER_CHECK_VALUE(start_.size() == nvec_.size(),
                    "[MultiDiscrete] expected start of nvec's length ", nvec_.size(),
                    "; received length ", start_.size());
  for (int64_t n : nvec_) {
    EMBER_CHECK_VALUE(n > 0, "[MultiDiscrete] expected every nvec > 0; received ", n);
  }
}

Tensor MultiDiscrete::sample() {
  std::vector<int64_t> values(nvec_.size());
  for (size_t i = 0; i < nvec_.size(); ++i) {
    values[i] =
        static_cast<int64_t>(np_random().random() * static_cast<double>(nvec_[i])) + start_[i];
  }
  return from_blob_copy(values.data(), shape(), kInt64);
}

bool MultiDiscrete::contains(const Tensor& x) const {
  if (x.sizes() != IntArrayRef(shape()) || !can_cast_safely(x.dtype(), kInt64)) return false;
  std::vector<double> values = values_of(x);
  for (size_t i = 0; i < values.size(); ++i) {
    double low = static_cast<double>(start_[i]);
    if (!(values[i] >= low && values[i] <= low + static_cast<double>(nvec_[i] - 1))) return false;
  }
  return true;
}

std::string MultiDiscrete::repr() const {
  auto list = [](const std::vector<int64_t>& values) {
    std::string text = "[";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) text += " ";
      text += std::to_string(values[i]);
    }
    return text + "]";
  };
  bool shifted = false;
  for (int64_t s : start_) shifted = shifted || s != 0;
  return "MultiDiscrete(" + list(nvec_) + (shifted ? ", start=" + list(start_) : "") + ")";
}

bool MultiDiscrete::equals(const Space& other) const {
  const auto* multi = dynamic_cast<const MultiDiscrete*>(&other);
  return multi && multi->nvec_ == nvec_ && multi->start_ == start_;
}

MultiBinary::MultiBinary(std::vector<int64_t> shape) : shape_(std::move(shape)) {
  for (int64_t n : shape_) {
    EMBER_CHECK_VALUE(n > 0, "[MultiBinary] expected positive sizes; received ",
                      tuple_repr(shape_));
  }
}

Tensor MultiBinary::sample() {
  std::vector<int8_t> values = np_random().integers_int8(0, 2, element_count(shape_));
  return from_blob_copy(values.data(), shape_, kInt8);
}

bool MultiBinary::contains(const Tensor& x) const {
  if (x.sizes() != IntArrayRef(shape_)) return false;
  for (double value : values_of(x)) {
    if (value != 0 && value != 1) return false;
  }
  return true;
}

std::string MultiBinary::repr() const {
  return "MultiBinary(" + (shape_.size() == 1 ? std::to_string(shape_[0]) : tuple_repr(shape_)) +
         ")";
}

bool MultiBinary::equals(const Space& other) const {
  const auto* binary = dynamic_cast<const MultiBinary*>(&other);
  return binary && binary->shape_ == shape_;
}

namespace {

// Gymnasium's composite seeding: an int seeds the composite's own generator, whose draws below
// int32's maximum seed the children in order; no seed seeds every child from entropy.
std::vector<uint64_t> seed_children(Space& parent, const std::vector<Space*>& children,
                                    std::optional<uint64_t> seed, NpRandom& parent_random) {
  std::vector<uint64_t> seeds;
  for (Space* child : children) {
    std::optional<uint64_t> child_seed;
    if (seed) {
      child_seed =
          static_cast<uint64_t>(parent_random.integers(0, std::numeric_limits<int32_t>::max()));
    }
    for (uint64_t used : child->seed(child_seed)) seeds.push_back(used);
  }
  (void)parent;
  return seeds;
}

void check_children(const std::vector<Space*>& children, const char* name) {
  for (Space* child : children) {
    EMBER_CHECK_VALUE(child != nullptr, "[", name, "] expected spaces; received a null space");
  }
}

}  // namespace

TupleSpace::TupleSpace(std::vector<std::shared_ptr<Space>> spaces) : spaces_(std::move(spaces)) {
  std::vector<Space*> children;
  for (const auto& space : spaces_) children.push_back(space.get());
  check_children(children, "Tuple");
}

std::vector<Tensor> TupleSpace::sample_each() {
  std::vector<Tensor> samples;
  for (const auto& space : spaces_) samples.push_back(space->sample());
  return samples;
}

bool TupleSpace::contains(const Tensor&) const { return false; }

bool TupleSpace::contains(const std::vector<Tensor>& x) const {
  if (x.size() != spaces_.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!spaces_[i]->contains(x[i])) return false;
  }
  return true;
}

std::vector<uint64_t> TupleSpace::seed(std::optional<uint64_t> seed) {
  if (seed) Space::seed(seed);
  std::vector<Space*> children;
  for (const auto& space : spaces_) children.push_back(space.get());
  return seed_children(*this, children, seed, np_random());
}

std::string TupleSpace::repr() const {
  std::string text = "Tuple(";
  for (size_t i = 0; i < spaces_.size(); ++i) {
    if (i) text += ", ";
    text += spaces_[i]->repr();
  }
  return text + ")";
}

bool TupleSpace::equals(const Space& other) const {
  const auto* tuple = dynamic_cast<const TupleSpace*>(&other);
  if (!tuple || tuple->spaces_.size() != spaces_.size()) return false;
  for (size_t i = 0; i < spaces_.size(); ++i) {
    if (!spaces_[i]->equals(*tuple->spaces_[i])) return false;
  }
  return true;
}

DictSpace::DictSpace(Entries spaces) : spaces_(std::move(spaces)) {
  std::vector<Space*> children;
  for (const auto& entry : spaces_) children.push_back(entry.second.get());
  check_children(children, "Dict");
}

std::vector<std::pair<std::string, Tensor>> DictSpace::sample_each() {
  std::vector<std::pair<std::string, Tensor>> samples;
  for (const auto& [key, space] : spaces_) samples.emplace_back(key, space->sample());
  return samples;
}

bool DictSpace::contains(const Tensor&) const { return false; }

bool DictSpace::contains(const std::vector<std::pair<std::string, Tensor>>& x) const {
  if (x.size() != spaces_.size()) return false;
  for (const auto& [key, space] : spaces_) {
    bool found = false;
    for (const auto& [x_key, value] : x) {
      if (x_key == key) {
        if (!space->contains(value)) return false;
        found = true;
      }
    }
    if (!found) return false;
  }
  return true;
}

std::vector<uint64_t> DictSpace::seed(std::optional<uint64_t> seed) {
  if (seed) Space::seed(seed);
  std::vector<Space*> children;
  for (const auto& entry : spaces_) children.push_back(entry.second.get());
  return seed_children(*this, children, seed, np_random());
}

std::string DictSpace::repr() const {
  std::string text = "Dict(";
  for (size_t i = 0; i < spaces_.size(); ++i) {
    if (i) text += ", ";
    text += "'" + spaces_[i].first + "': " + spaces_[i].second->repr();
  }
  return text + ")";
}

bool DictSpace::equals(const Space& other) const {
  const auto* dict = dynamic_cast<const DictSpace*>(&other);
  if (!dict || dict->spaces_.size() != spaces_.size()) return false;
  for (size_t i = 0; i < spaces_.size(); ++i) {
    if (dict->spaces_[i].first != spaces_[i].first ||
        !spaces_[i].second->equals(*dict->spaces_[i].second)) {
      return false;
    }
  }
  return true;
}

}  // namespace ember::env
