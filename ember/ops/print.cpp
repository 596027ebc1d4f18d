// repr(tensor) exactly as PyTorch prints it (torch/_tensor_str.py): one formatter sized over
// every element that will be shown, nested brackets indented under "tensor(", "..." summaries
// past `threshold` elements, and device/size/dtype suffixes wrapped at `linewidth`.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/tensor/dtype_visit.h"

namespace ember {
namespace {

std::mutex options_mutex;
PrintOptions options_value;  // guarded by options_mutex

constexpr std::string_view kPrefix = "tensor(";

// Python's formatting of a non-finite float: never "-nan", whatever the sign bit says.
std::string non_finite_text(double value) {
  if (std::isnan(value)) return "nan";
  return value > 0 ? "inf" : "-inf";
}

// Python's "{:.{precision}f}" / "{:.{precision}e}": to_chars because it is correctly rounded and,
// unlike printf, ignores the C locale's decimal separator.
std::string float_text(double value, std::chars_format format, int precision) {
  if (!std::isfinite(value)) return non_finite_text(value);
  // 309 integer digits is the most a fixed double can have; the rest is sign, point, exponent.
  std::string text(static_cast<size_t>(precision) + 330, '\0');
  const auto result =
      std::to_chars(text.data(), text.data() + text.size(), value, format, precision);
  text.resize(static_cast<size_t>(result.ptr - text.data()));
  return text;
}

std::string pad_left(std::string text, size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

// "(0, 3)", "(5,)", "()": Python's str of a tuple.
std::string tuple_text(const Shape& shape) {
  std::string text = "(";
  for (size_t d = 0; d < shape.size(); ++d) {
    if (d > 0) text += ", ";
    text += std::to_string(shape[d]);
  }
  if (shape.size() == 1) text += ",";
  return text + ")";
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string text;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) text += separator;
    text += parts[i];
  }
  return text;
}

// How one tensor's elements become text. Widths come from the elements that will be shown, so
// that every column lines up; floats pick integer, fixed or scientific notation from the
// magnitudes of their nonzero finite values (non-finite values and zeros never decide).
class Formatter {
 public:
  Formatter(bool floating, int precision, std::optional<bool> sci_mode)
      : floating_(floating), precision_(precision), forced_sci_mode_(sci_mode) {}

  void fit_integers(const std::vector<std::string>& texts) {
    for (const std::string& text : texts) width_ = std::max(width_, text.size());
  }

  void fit_floats(const std::vector<double>& values) {
    std::vector<double> shown;
    for (double value : values) {
      if (std::isfinite(value) && value != 0) shown.push_back(value);
    }
    if (shown.empty()) {
      sci_mode_ = forced_sci_mode_.value_or(false);
      return;
    }
    double min_abs = std::abs(shown[0]), max_abs = min_abs;
    for (double value : shown) {
      min_abs = std::min(min_abs, std::abs(value));
      max_abs = std::max(max_abs, std::abs(value));
      if (value != std::ceil(value)) int_mode_ = false;
    }
    sci_mode_ = forced_sci_mode_.value_or(max_abs / min_abs > 1000.0 || max_abs > 1.0e8 ||
                                          (!int_mode_ && min_abs < 1.0e-4));
    for (double value : shown) {
      // In integer mode the trailing "." counts towards the width.
      const size_t length =
          sci_mode_   ? float_text(value, std::chars_format::scientific, precision_).size()
          : int_mode_ ? float_text(value, std::chars_format::fixed, 0).size() + 1
                      : float_text(value, std::chars_format::fixed, precision_).size();
      width_ = std::max(width_, length);
    }
  }

  size_t width() const { return width_; }

  std::string format_float(double value) const {
    if (sci_mode_)
      return pad_left(float_text(value, std::chars_format::scientific, precision_), width_);
    if (int_mode_) {
      std::string text = float_text(value, std::chars_format::fixed, 0);
      // The "." marks a float; "nan" and "inf" already read as floats.
      if (std::isfinite(value)) text += ".";
      return pad_left(std::move(text), width_);
    }
    return pad_left(float_text(value, std::chars_format::fixed, precision_), width_);
  }

  std::string format_integer(std::string text) const { return pad_left(std::move(text), width_); }

  bool floating() const { return floating_; }

 private:
  bool floating_;
  int precision_;
  std::optional<bool> forced_sci_mode_;  // set_printoptions(sci_mode=...), else chosen per tensor
  bool int_mode_ = true;
  bool sci_mode_ = false;
  size_t width_ = 1;
};

// Walks a CPU tensor through its strides (so views print their logical values) and builds the
// bracketed body: the text between "tensor(" and the suffixes.
class Printer {
 public:
  Printer(const Tensor& tensor, const PrintOptions& options)
      : data_(static_cast<const char*>(tensor.data_ptr())),
        dtype_(tensor.dtype()),
        itemsize_(static_cast<int64_t>(tensor.element_size())),
        shape_(tensor.shape()),
        strides_(tensor.strides()),
        options_(options),
        summarize_(tensor.numel() > options.threshold),
        formatter_(is_floating_point(tensor.dtype()), options.precision, options.sci_mode) {
    if (formatter_.floating()) {
      std::vector<double> values;
      visit_shown(0, 0, [&](int64_t offset) { values.push_back(read_double(offset)); });
      formatter_.fit_floats(values);
    } else {
      std::vector<std::string> texts;
      visit_shown(0, 0, [&](int64_t offset) { texts.push_back(integer_text(offset)); });
      formatter_.fit_integers(texts);
    }
  }

  std::string body(int64_t indent) const { return body_at(0, 0, indent); }

 private:
  int64_t ndim() const { return static_cast<int64_t>(shape_.size()); }

  // Whether dim `dim` shows only its first and last `edgeitems` entries.
  bool elided(int64_t dim) const { return summarize_ && shape_[dim] > 2 * options_.edgeitems; }

  // Calls visit(offset) for every element a summarized print shows (all of them otherwise),
  // which is the set PyTorch sizes its formatter on.
  template <typename Visit>
  void visit_shown(int64_t dim, int64_t offset, Visit&& visit) const {
    if (dim == ndim()) {
      visit(offset);
      return;
    }
    const int64_t size = shape_[dim], stride = strides_[dim];
    for (int64_t i = 0; i < size; ++i) {
      if (elided(dim) && i == options_.edgeitems) i = size - options_.edgeitems;
      if (i >= size) break;
      visit_shown(dim + 1, offset + i * stride, visit);
    }
  }

  const char* address(int64_t offset) const { return data_ + offset * itemsize_; }

  double read_double(int64_t offset) const {
    return visit_dtype(dtype_, [&](auto tag) -> double {
      using T = typename decltype(tag)::type;
      T value;
      std::memcpy(&value, address(offset), sizeof(T));
      return static_cast<double>(static_cast<opmath_t<T>>(value));
    });
  }

  // Python's str of the element: "True"/"False" for bool, decimal digits for integers.
  std::string integer_text(int64_t offset) const {
    return visit_dtype(dtype_, [&](auto tag) -> std::string {
      using T = typename decltype(tag)::type;
      T value;
      std::memcpy(&value, address(offset), sizeof(T));
      if constexpr (std::is_same_v<T, bool>) {
        return value ? "True" : "False";
      } else if constexpr (std::is_integral_v<T>) {
        return std::to_string(static_cast<int64_t>(value));
      } else {
        detail::raise<RuntimeError>("[print] ", dtype_, " is not an integer dtype");
      }
    });
  }

  std::string element(int64_t offset) const {
    return formatter_.floating() ? formatter_.format_float(read_double(offset))
                                 : formatter_.format_integer(integer_text(offset));
  }

  std::string body_at(int64_t dim, int64_t offset, int64_t indent) const {
    if (ndim() == 0) return element(offset);
    const int64_t size = shape_[dim], stride = strides_[dim];
    const int64_t edge = options_.edgeitems;
    std::vector<std::string> parts;
    if (dim == ndim() - 1) {
      if (summarize_ && edge == 0) {
        parts.push_back("...");
      } else {
        for (int64_t i = 0; i < size; ++i) {
          if (elided(dim) && i == edge) {
            parts.push_back(" ...");
            i = size - edge;
          }
          parts.push_back(element(offset + i * stride));
        }
      }
      // Each element takes its width plus ", "; a row wraps under its opening bracket.
      const int64_t element_length = static_cast<int64_t>(formatter_.width()) + 2;
      const int64_t per_line = std::max<int64_t>(1, (options_.linewidth - indent) / element_length);
      std::vector<std::string> lines;
      for (size_t start = 0; start < parts.size(); start += static_cast<size_t>(per_line)) {
        const size_t end = std::min(parts.size(), start + static_cast<size_t>(per_line));
        const std::vector<std::string> line(parts.begin() + static_cast<std::ptrdiff_t>(start),
                                            parts.begin() + static_cast<std::ptrdiff_t>(end));
        lines.push_back(join(line, ", "));
      }
      return "[" + join(lines, ",\n" + std::string(static_cast<size_t>(indent + 1), ' ')) + "]";
    }
    for (int64_t i = 0; i < size; ++i) {
      if (elided(dim) && i == edge) {
        parts.push_back("...");
        i = size - edge;
        if (i >= size) break;
      }
      parts.push_back(body_at(dim + 1, offset + i * stride, indent + 1));
    }
    // Sub-blocks of a k-dim block are separated by k - 1 newlines: blank lines between matrices.
    const std::string separator = "," + std::string(static_cast<size_t>(ndim() - dim - 1), '\n') +
                                  std::string(static_cast<size_t>(indent + 1), ' ');
    return "[" + join(parts, separator) + "]";
  }

  const char* data_;
  ScalarType dtype_;
  int64_t itemsize_;
  Shape shape_;
  Strides strides_;
  PrintOptions options_;
  bool summarize_;
  Formatter formatter_;
};

// Appends ", suffix" or, when the line would pass linewidth, ",\n" + indent + suffix.
// PyTorch counts the last line as 2 longer than it is; kept so the wrapping points agree.
std::string add_suffixes(std::string text, const std::vector<std::string>& suffixes, int64_t indent,
                         int64_t linewidth) {
  const size_t newline = text.rfind('\n');
  int64_t last_line_length = static_cast<int64_t>(
      newline == std::string::npos ? text.size() + 2 : text.size() - newline + 1);
  for (const std::string& suffix : suffixes) {
    const auto length = static_cast<int64_t>(suffix.size());
    if (last_line_length + length + 2 > linewidth) {
      text += ",\n" + std::string(static_cast<size_t>(indent), ' ') + suffix;
      last_line_length = indent + length;
    } else {
      text += ", " + suffix;
      last_line_length += length + 2;
    }
  }
  return text + ")";
}

std::string dtype_suffix(ScalarType dtype) {
  return "dtype=ember." + std::string(dtype_name(dtype));
}

}  // namespace

void set_printoptions(const PrintOptions& options) {
  EMBER_CHECK_VALUE(options.precision >= 0,
                    "[set_printoptions] precision must be non-negative; got ", options.precision);
  EMBER_CHECK_VALUE(options.edgeitems >= 0,
                    "[set_printoptions] edgeitems must be non-negative; got ", options.edgeitems);
  const std::lock_guard<std::mutex> lock(options_mutex);
  options_value = options;
}

PrintOptions get_printoptions() {
  const std::lock_guard<std::mutex> lock(options_mutex);
  return options_value;
}

std::string to_string(const Tensor& tensor) {
  if (!tensor.defined()) return "[ Tensor (undefined) ]";
  const PrintOptions options = get_printoptions();
  const auto indent = static_cast<int64_t>(kPrefix.size());
  std::vector<std::string> suffixes;
  // The default device is the CPU, so any other device is named.
  if (!tensor.device().is_cpu()) suffixes.push_back("device='" + tensor.device().str() + "'");

  std::string body;
  if (tensor.numel() == 0) {
    // Like NumPy, an empty tensor names its shape unless it is (0,), and names every dtype but
    // the default float one: with no elements, nothing else tells int64 from float32.
    if (tensor.dim() != 1) suffixes.push_back("size=" + tuple_text(tensor.shape()));
    if (tensor.dtype() != default_dtype()) suffixes.push_back(dtype_suffix(tensor.dtype()));
    body = "[]";
  } else {
    // With no edge items a summary shows only "...", so the size is the one thing left to say.
    if (options.edgeitems == 0) suffixes.push_back("size=" + tuple_text(tensor.shape()));
    const ScalarType dtype = tensor.dtype();
    if (dtype != default_dtype() && dtype != kInt64 && dtype != kBool) {
      suffixes.push_back(dtype_suffix(dtype));
    }
    const Tensor host = tensor.device().is_cpu() ? tensor : tensor.cpu();
    body = Printer(host, options).body(indent);
  }
  return add_suffixes(std::string(kPrefix) + body, suffixes, indent, options.linewidth);
}

}  // namespace ember
