// The one-line description of each op of unary_ops.def and binary_ops.def: the docstrings of
// ember.<op>, Tensor.<op> and their in-place forms, which the bindings generate from the rows.
// A row without a description here fails to compile (static_assert in the row loops).
#pragma once

#include <string_view>

namespace ember::python {

struct ElementwiseDoc {
  std::string_view name;
  const char* text;
};

inline constexpr ElementwiseDoc kElementwiseDocs[] = {
    {"neg", "The negative of each element: -input."},
    {"abs", "The absolute value of each element."},
    {"sign", "The sign of each element: -1, 0 or 1."},
    {"exp", "The exponential of each element."},
    {"log", "The natural logarithm of each element."},
    {"log1p", "log(1 + input), accurate for small input."},
    {"expm1", "exp(input) - 1, accurate for small input."},
    {"sqrt", "The square root of each element."},
    {"rsqrt", "The reciprocal of the square root of each element."},
    {"sin", "The sine of each element (in radians)."},
    {"cos", "The cosine of each element (in radians)."},
    {"tanh", "The hyperbolic tangent of each element."},
    {"sigmoid", "The logistic sigmoid 1 / (1 + exp(-input)) of each element."},
    {"relu", "max(input, 0) elementwise."},
    {"erf", "The error function of each element."},
    {"floor", "The largest integer not greater than each element."},
    {"ceil", "The smallest integer not less than each element."},
    {"round", "Each element rounded to the nearest integer, halves to even."},
    {"trunc", "Each element rounded toward zero."},
    {"reciprocal", "1 / input elementwise."},
    {"square", "input * input elementwise."},
    {"bitwise_not", "Bitwise NOT of integer elements (logical NOT of bool ones)."},
    {"add", "input + other elementwise (broadcasting, type promotion)."},
    {"sub", "input - other elementwise."},
    {"mul", "input * other elementwise."},
    {"div", "input / other elementwise (true division)."},
    {"floor_divide", "input / other rounded toward negative infinity."},
    {"remainder", "The remainder of input / other, with the sign of other (Python's %)."},
    {"pow", "input raised to the power other, elementwise."},
    {"maximum", "The larger of input and other, elementwise (NaN propagates)."},
    {"minimum", "The smaller of input and other, elementwise (NaN propagates)."},
    {"eq", "input == other elementwise, as a bool tensor."},
    {"ne", "input != other elementwise, as a bool tensor."},
    {"lt", "input < other elementwise, as a bool tensor."},
    {"le", "input <= other elementwise, as a bool tensor."},
    {"gt", "input > other elementwise, as a bool tensor."},
    {"ge", "input >= other elementwise, as a bool tensor."},
    {"logical_and", "Logical AND of the elements' truth values, as a bool tensor."},
    {"logical_or", "Logical OR of the elements' truth values, as a bool tensor."},
    {"logical_xor", "Logical XOR of the elements' truth values, as a bool tensor."},
    {"bitwise_and", "Bitwise AND of integer or bool elements."},
    {"bitwise_or", "Bitwise OR of integer or bool elements."},
    {"bitwise_xor", "Bitwise XOR of integer or bool elements."},
    {"bitwise_left_shift", "input shifted left by other bits, elementwise."},
    {"bitwise_right_shift", "input shifted right by other bits (arithmetic shift), elementwise."},
    {"tan", "The tangent of each element (in radians)."},
    {"asin", "The arc sine of each element."},
    {"acos", "The arc cosine of each element."},
    {"atan", "The arc tangent of each element."},
    {"sinh", "The hyperbolic sine of each element."},
    {"cosh", "The hyperbolic cosine of each element."},
    {"asinh", "The inverse hyperbolic sine of each element."},
    {"acosh", "The inverse hyperbolic cosine of each element."},
    {"atanh", "The inverse hyperbolic tangent of each element."},
    {"log2", "The base-2 logarithm of each element."},
    {"log10", "The base-10 logarithm of each element."},
    {"exp2", "2 raised to the power of each element."},
    {"erfc", "The complementary error function 1 - erf(input) of each element."},
    {"erfinv", "The inverse error function of each element."},
    {"lgamma", "The natural logarithm of the absolute value of the gamma function."},
    {"digamma", "The logarithmic derivative of the gamma function."},
    {"sinc", "The normalized sinc function sin(pi x) / (pi x), 1 at 0."},
    {"atan2", "The arc tangent of input / other in the quadrant of (other, input)."},
    {"hypot", "sqrt(input**2 + other**2) elementwise, without overflow."},
    {"copysign", "The magnitude of input with the sign of other, elementwise."},
    {"fmod", "The remainder of input / other, with the sign of input (C's fmod)."},
    {"logaddexp", "log(exp(input) + exp(other)) elementwise, without overflow."},
    {"logaddexp2", "log2(2**input + 2**other) elementwise, without overflow."},
    {"xlogy", "input * log(other) elementwise, 0 where input is 0."},
    {"heaviside", "The Heaviside step of input, with values where input is 0."},
    {"gcd", "The greatest common divisor of integer elements."},
    {"lcm", "The least common multiple of integer elements."},
};

constexpr const char* elementwise_doc(std::string_view name) {
  for (const ElementwiseDoc& doc : kElementwiseDocs) {
    if (doc.name == name) return doc.text;
  }
  return nullptr;
}

// Rows whose bindings take more options (alpha, rounding_mode) or PyTorch's own keyword names
// (heaviside's values, bound in math.cpp) and are written out after the row loops: one overload
// each, so that help() shows a single signature.
constexpr bool bound_with_options(std::string_view name) {
  return name == "add" || name == "sub" || name == "div" || name == "heaviside";
}

}  // namespace ember::python
