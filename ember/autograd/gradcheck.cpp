#include "ember/autograd/gradcheck.h"

#include <cmath>
#include <cstring>
#include <random>
#include <sstream>

#include "ember/autograd/engine.h"
#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/base/half.h"
#include "ember/ops/ops.h"
#include "ember/tensor/cuda_hooks.h"

namespace ember::autograd {
namespace {

using Values = std::vector<double>;

// One element of a floating dtype at `at` (host memory), as a double, and back.
double load(const char* at, ScalarType dtype) {
  switch (dtype) {
    case kFloat64:
      return *reinterpret_cast<const double*>(at);
    case kFloat32:
      return *reinterpret_cast<const float*>(at);
    case kFloat16:
      return static_cast<float>(*reinterpret_cast<const Half*>(at));
    case kBFloat16:
      return static_cast<float>(*reinterpret_cast<const BFloat16*>(at));
    default:
      detail::raise<TypeError>("[gradcheck] inputs that require grad must be floating point");
  }
}

void store(char* at, ScalarType dtype, double value) {
  switch (dtype) {
    case kFloat64:
      *reinterpret_cast<double*>(at) = value;
      break;
    case kFloat32:
      *reinterpret_cast<float*>(at) = static_cast<float>(value);
      break;
    case kFloat16:
      *reinterpret_cast<Half*>(at) = Half(static_cast<float>(value));
      break;
    case kBFloat16:
      *reinterpret_cast<BFloat16*>(at) = BFloat16(static_cast<float>(value));
      break;
    default:
      detail::raise<TypeError>("[gradcheck] inputs that require grad must be floating point");
  }
}

// A tensor's values in row-major order, as doubles read on the host.
Values flat(const Tensor& tensor) {
  NoGradGuard no_grad;
  const Tensor values = tensor.detach().to(Device(kCPU), kFloat64).contiguous();
  const double* data = values.data_ptr<double>();
  return Values(data, data + values.numel());
}

// The elements of one input, read and written in place in its storage in row-major order. The
// writes bypass autograd (the storage's version counter stays as it is, so the graph built from
// the input stays valid): a CPU input's through its pointer, a CUDA input's by a copy of the
// element's bytes between the host and the device (its memory is not the host's to touch).
class Perturber {
 public:
  explicit Perturber(const Tensor& input) : input_(input), dtype_(input.dtype()) {
    offsets_.reserve(static_cast<size_t>(input.numel()));
    if (input.numel() == 0) return;
    std::vector<int64_t> index(static_cast<size_t>(input.dim()), 0);
    for (int64_t n = 0; n < input.numel(); ++n) {
      int64_t offset = 0;
      for (size_t d = 0; d < index.size(); ++d) offset += index[d] * input.strides()[d];
      offsets_.push_back(offset * static_cast<int64_t>(itemsize(dtype_)));
      for (int64_t d = input.dim() - 1; d >= 0; --d) {
        if (++index[static_cast<size_t>(d)] < input.shape()[static_cast<size_t>(d)]) break;
        index[static_cast<size_t>(d)] = 0;
      }
    }
  }
  size_t size() const { return offsets_.size(); }
  double get(size_t i) const {
    alignas(8) char element[8];
    transfer(element, static_cast<char*>(input_.data_ptr()) + offsets_[i], false);
    return load(element, dtype_);
  }
  void set(size_t i, double value) const {
    alignas(8) char element[8];
    store(element, dtype_, value);
    transfer(element, static_cast<char*>(input_.data_ptr()) + offsets_[i], true);
  }
  Values all() const {
    Values values(size());
    for (size_t i = 0; i < size(); ++i) values[i] = get(i);
    return values;
  }
  void set_all(const Values& values) const {
    for (size_t i = 0; i < size(); ++i) set(i, values[i]);
  }

 private:
  // One element's bytes between `host` and `at` in the input's memory (to `at` when writing).
  void transfer(char* host, char* at, bool write) const {
    const size_t nbytes = itemsize(dtype_);
    const Device device = input_.device();
    if (device.is_cpu()) {
      std::memcpy(write ? at : host, write ? host : at, nbytes);
    } else if (write) {
      cuda::hooks()->copy(at, device, host, Device(kCPU), nbytes, /*non_blocking=*/false);
    } else {
      cuda::hooks()->copy(host, Device(kCPU), at, device, nbytes, /*non_blocking=*/false);
    }
  }

  Tensor input_;
  ScalarType dtype_;
  std::vector<int64_t> offsets_;  // in bytes, from the input's first element
};

// Puts an input's original values back however the evaluation in between ends.
class Restore {
 public:
  explicit Restore(const Perturber& perturber) : perturber_(perturber), saved_(perturber.all()) {}
  ~Restore() { perturber_.set_all(saved_); }
  Restore(const Restore&) = delete;
  Restore& operator=(const Restore&) = delete;
  const Values& saved() const { return saved_; }

 private:
  const Perturber& perturber_;
  Values saved_;
};

TensorList floating_outputs(const TensorList& outputs) {
  TensorList kept;
  for (const Tensor& output : outputs) {
    if (output.defined() && output.is_floating_point()) kept.push_back(output);
  }
  return kept;
}

// A tensor of `like`'s shape, dtype and device holding `values`.
Tensor from_values(const Values& values, const Tensor& like) {
  return from_blob_copy(values.data(), like.shape(), kFloat64).to(like.device(), like.dtype());
}

std::vector<Values> evaluate(const MultiOutputFunction& function, const TensorList& inputs) {
  NoGradGuard no_grad;
  std::vector<Values> results;
  for (const Tensor& output : floating_outputs(function(inputs))) results.push_back(flat(output));
  return results;
}

// Unit vector of uniform [0, 1) entries: positive sums keep the scaled atol positive.
Values random_direction(std::mt19937_64& generator, size_t size) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Values direction(size);
  double norm = 0;
  for (double& value : direction) {
    value = uniform(generator);
    norm += value * value;
  }
  norm = std::sqrt(norm);
  for (double& value : direction) value = norm > 0 ? value / norm : 0.0;
  return direction;
}

double dot(const Values& a, const Values& b) {
  double total = 0;
  for (size_t i = 0; i < a.size(); ++i) total += a[i] * b[i];
  return total;
}

double sum(const Values& values) { return dot(values, Values(values.size(), 1.0)); }

bool close(double analytical, double numerical, double atol, double rtol) {
  return std::abs(analytical - numerical) <= atol + rtol * std::abs(numerical);
}

std::string format(const Values& values, size_t columns) {
  std::ostringstream text;
  text.precision(6);
  text << "[";
  const size_t shown = std::min<size_t>(values.size(), 400);
  for (size_t i = 0; i < shown; ++i) {
    if (columns > 0 && i % columns == 0) text << (i == 0 ? "[" : "]\n [");
    text << values[i] << (columns > 0 && (i + 1) % columns == 0 ? "" : " ");
  }
  if (columns > 0 && shown > 0) text << "]";
  if (shown < values.size()) text << " ...";
  text << "]";
  return text.str();
}

// What every check needs: the inputs that require grad and the outputs with their graph.
struct Problem {
  std::vector<size_t> checked;  // positions in the inputs
  TensorList wrt;
  TensorList outputs;
};

Problem prepare(const MultiOutputFunction& function, const TensorList& inputs) {
  Problem problem;
  for (size_t j = 0; j < inputs.size(); ++j) {
    const Tensor& input = inputs[j];
    if (!input.defined() || !input.requires_grad()) continue;
    if (!input.is_floating_point()) {
      detail::raise<TypeError>("[gradcheck] input ", j, " requires grad but is not floating point");
    }
    for (int64_t d = 0; d < input.dim(); ++d) {
      if (input.size(d) > 1 && input.stride(d) == 0) {
        detail::raise<RuntimeError>(
            "[gradcheck] The ", j,
            "th input has a dimension with stride 0. gradcheck only supports inputs that are "
            "non-overlapping to be able to compute the numerical gradients correctly. You "
            "should call .contiguous on the input before passing it to gradcheck.");
      }
    }
    problem.checked.push_back(j);
    problem.wrt.push_back(input);
  }
  if (problem.checked.empty()) {
    detail::raise<ValueError>(
        "[gradcheck] gradcheck expects at least one input tensor to require gradient, but none "
        "of the them have requires_grad=True.");
  }
  EnableGradGuard enable_grad;
  problem.outputs = floating_outputs(function(inputs));
  return problem;
}

// Gradients of output i w.r.t. the checked inputs for one grad_output, flattened; "" or why not.
std::string vjp(const Problem& problem, size_t i, const Tensor& grad_output,
                const GradcheckOptions& options, std::vector<Values>& result) {
  const Tensor& output = problem.outputs[i];
  result.assign(problem.wrt.size(), Values());
  if (!output.requires_grad()) {  // no graph: the analytical derivative is zero
    for (size_t j = 0; j < problem.wrt.size(); ++j) {
      result[j].assign(static_cast<size_t>(problem.wrt[j].numel()), 0.0);
    }
    return "";
  }
  const TensorList grads = grad({output}, problem.wrt, {grad_output}, true, false, true);
  for (size_t j = 0; j < grads.size(); ++j) {
    const Tensor& input = problem.wrt[j];
    if (!grads[j].defined()) {
      result[j].assign(static_cast<size_t>(input.numel()), 0.0);
      continue;
    }
    std::ostringstream why;
    if (grads[j].shape() != input.shape()) {
      why << "Gradient has incorrect size: output " << i << ", input " << j << ": expected "
          << input.shape() << ", got " << grads[j].shape();
      return why.str();
    }
    if (options.check_grad_dtypes && grads[j].dtype() != input.dtype()) {
      why << "Gradient has dtype mismatch: output " << i << ", input " << j << ": expected "
          << input.dtype() << ", got " << grads[j].dtype();
      return why.str();
    }
    result[j] = flat(grads[j]);
  }
  return "";
}

std::string not_reentrant(double nondet_tol) {
  std::ostringstream text;
  text << "Backward is not reentrant, i.e., running backward with same input and grad_output "
          "multiple times gives different values, although analytical gradient matches "
          "numerical gradient. The tolerance for nondeterminism was "
       << nondet_tol << ".";
  return text.str();
}

bool reentrant(const std::vector<Values>& first, const std::vector<Values>& second,
               double nondet_tol) {
  for (size_t j = 0; j < first.size(); ++j) {
    for (size_t e = 0; e < first[j].size(); ++e) {
      if (!(std::abs(first[j][e] - second[j][e]) <= nondet_tol)) return false;
    }
  }
  return true;
}

std::string full_check(const MultiOutputFunction& function, const TensorList& inputs,
                       const Problem& problem, const GradcheckOptions& options) {
  const size_t outputs = problem.outputs.size(), checked = problem.wrt.size();
  // jacobian[i][j][e * n_i + k]: d output_i[k] / d input_j[e].
  using Jacobians = std::vector<std::vector<Values>>;
  Jacobians analytical(outputs), numerical(outputs);
  for (size_t i = 0; i < outputs; ++i) {
    const Tensor& output = problem.outputs[i];
    const size_t size = static_cast<size_t>(output.numel());
    for (size_t j = 0; j < checked; ++j) {
      analytical[i].emplace_back(size * static_cast<size_t>(problem.wrt[j].numel()), 0.0);
      numerical[i].emplace_back(analytical[i][j].size(), 0.0);
    }
    for (size_t k = 0; k < size; ++k) {
      Values one_hot(size, 0.0);
      one_hot[k] = 1.0;
      const Tensor grad_output = from_values(one_hot, output);
      std::vector<Values> first, second;
      std::string problem_text = vjp(problem, i, grad_output, options, first);
      if (problem_text.empty()) problem_text = vjp(problem, i, grad_output, options, second);
      if (!problem_text.empty()) return problem_text;
      if (!reentrant(first, second, options.nondet_tol)) return not_reentrant(options.nondet_tol);
      for (size_t j = 0; j < checked; ++j) {
        for (size_t e = 0; e < first[j].size(); ++e) analytical[i][j][e * size + k] = first[j][e];
      }
    }
  }
  for (size_t j = 0; j < checked; ++j) {
    const Perturber perturber(problem.wrt[j]);
    const Restore restore(perturber);
    for (size_t e = 0; e < perturber.size(); ++e) {
      const double original = restore.saved()[e];
      perturber.set(e, original - options.eps);
      const std::vector<Values> minus = evaluate(function, inputs);
      perturber.set(e, original + options.eps);
      const std::vector<Values> plus = evaluate(function, inputs);
      perturber.set(e, original);
      for (size_t i = 0; i < outputs; ++i) {
        const size_t size = plus[i].size();
        for (size_t k = 0; k < size; ++k) {
          numerical[i][j][e * size + k] = (plus[i][k] - minus[i][k]) / (2 * options.eps);
        }
      }
    }
  }
  for (size_t i = 0; i < outputs; ++i) {
    for (size_t j = 0; j < checked; ++j) {
      const Values &a = analytical[i][j], &n = numerical[i][j];
      for (size_t e = 0; e < a.size(); ++e) {
        if (close(a[e], n[e], options.atol, options.rtol)) continue;
        const size_t columns = static_cast<size_t>(problem.outputs[i].numel());
        return "Jacobian mismatch for output " + std::to_string(i) + " with respect to input " +
               std::to_string(j) + ",\nnumerical:" + format(n, columns) +
               "\nanalytical:" + format(a, columns) + "\n";
      }
    }
  }
  return "";
}

std::string fast_check(const MultiOutputFunction& function, const TensorList& inputs,
                       const Problem& problem, const GradcheckOptions& options) {
  std::mt19937_64 generator(options.seed);
  const size_t outputs = problem.outputs.size(), checked = problem.wrt.size();
  std::vector<Values> u, v;
  for (const Tensor& input : problem.wrt) {
    u.push_back(random_direction(generator, static_cast<size_t>(input.numel())));
  }
  for (const Tensor& output : problem.outputs) {
    v.push_back(random_direction(generator, static_cast<size_t>(output.numel())));
  }
  // analytical[i][j] = v_i^T J_ij u_j from one backward of output i with grad_output v_i.
  std::vector<Values> analytical(outputs, Values(checked, 0.0));
  for (size_t i = 0; i < outputs; ++i) {
    const Tensor& output = problem.outputs[i];
    if (output.numel() == 0) continue;
    const Tensor grad_output = from_values(v[i], output);
    std::vector<Values> first, second;
    std::string problem_text = vjp(problem, i, grad_output, options, first);
    if (problem_text.empty()) problem_text = vjp(problem, i, grad_output, options, second);
    if (!problem_text.empty()) return problem_text;
    if (!reentrant(first, second, options.nondet_tol)) return not_reentrant(options.nondet_tol);
    for (size_t j = 0; j < checked; ++j) analytical[i][j] = dot(first[j], u[j]);
  }
  for (size_t j = 0; j < checked; ++j) {
    const Perturber perturber(problem.wrt[j]);
    if (perturber.size() == 0) continue;
    const Restore restore(perturber);
    Values moved(perturber.size());
    for (size_t e = 0; e < moved.size(); ++e) moved[e] = restore.saved()[e] - options.eps * u[j][e];
    perturber.set_all(moved);
    const std::vector<Values> minus = evaluate(function, inputs);
    for (size_t e = 0; e < moved.size(); ++e) moved[e] = restore.saved()[e] + options.eps * u[j][e];
    perturber.set_all(moved);
    const std::vector<Values> plus = evaluate(function, inputs);
    perturber.set_all(restore.saved());
    for (size_t i = 0; i < outputs; ++i) {
      Values directional(plus[i].size());
      for (size_t k = 0; k < directional.size(); ++k) {
        directional[k] = (plus[i][k] - minus[i][k]) / (2 * options.eps);
      }
      const double numerical = dot(v[i], directional);
      // |v^T (A - N) u| <= v^T E u + rtol |v^T N u| with E all atol: atol * sum(u) * sum(v).
      const double atol = options.atol * sum(u[j]) * sum(v[i]);
      if (close(analytical[i][j], numerical, atol, options.rtol)) continue;
      std::ostringstream text;
      text.precision(10);
      text << "Jacobian mismatch for output " << i << " with respect to input " << j
           << ",\nnumerical:" << numerical << "\nanalytical:" << analytical[i][j]
           << "\n\nThe above quantities relating the numerical and analytical jacobians are "
              "computed in fast mode: v^T J u for random unit vectors u and v. Rerun with "
              "fast_mode=False to see the full Jacobians.\n";
      return text.str();
    }
  }
  return "";
}

MultiOutputFunction as_multi_output(const DifferentiableFunction& function) {
  return [function](const TensorList& inputs) { return TensorList{function(inputs)}; };
}

}  // namespace

std::string gradcheck(const MultiOutputFunction& function, const TensorList& inputs,
                      const GradcheckOptions& options) {
  const Problem problem = prepare(function, inputs);
  return options.fast_mode ? fast_check(function, inputs, problem, options)
                           : full_check(function, inputs, problem, options);
}

std::string gradcheck(const DifferentiableFunction& function, const TensorList& inputs,
                      const GradcheckOptions& options) {
  return gradcheck(as_multi_output(function), inputs, options);
}

std::string gradgradcheck(const MultiOutputFunction& function, const TensorList& inputs,
                          const TensorList& grad_outputs, const GradcheckOptions& options) {
  const Problem problem = prepare(function, inputs);
  TensorList weights = grad_outputs;
  if (weights.empty()) {
    std::mt19937_64 generator(options.seed + 1);
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    for (const Tensor& output : problem.outputs) {
      Values values(static_cast<size_t>(output.numel()));
      for (double& value : values) value = uniform(generator);
      weights.push_back(from_values(values, output).requires_grad_());
    }
  }
  const size_t count = weights.size();
  const std::vector<size_t> checked = problem.checked;
  const MultiOutputFunction first_order = [&function, count, checked](const TensorList& values) {
    // gradcheck evaluates this under no_grad for its finite differences; the gradient inside
    // still needs a graph.
    EnableGradGuard enable_grad;
    const TensorList arguments(values.begin(), values.end() - static_cast<std::ptrdiff_t>(count));
    const TensorList outputs = floating_outputs(function(arguments));
    TensorList differentiated, grads, wrt;
    for (size_t i = 0; i < outputs.size() && i < count; ++i) {
      if (!outputs[i].requires_grad()) continue;
      differentiated.push_back(outputs[i]);
      grads.push_back(values[arguments.size() + i]);
    }
    if (differentiated.empty()) return TensorList{};
    for (size_t j : checked) wrt.push_back(arguments[j]);
    TensorList result;
    for (const Tensor& g : grad(differentiated, wrt, grads, true, true, true)) {
      if (g.defined()) result.push_back(g);
    }
    return result;
  };
  TensorList all = inputs;
  all.insert(all.end(), weights.begin(), weights.end());
  return gradcheck(first_order, all, options);
}

std::string gradgradcheck(const DifferentiableFunction& function, const TensorList& inputs,
                          const GradcheckOptions& options) {
  return gradgradcheck(as_multi_output(function), inputs, {}, options);
}

}  // namespace ember::autograd
