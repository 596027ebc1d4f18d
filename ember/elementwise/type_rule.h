// How an elementwise op's compute and result dtypes follow from its inputs: the third column of
// the rows in tensor/unary_ops.def and tensor/binary_ops.def, written there as an enumerator's
// name. These enums are its only encoding: ops infers dtypes from them, each backend instantiates
// a kernel for exactly the dtypes a rule admits, and autograd knows from them which results are
// bool. A new rule is a new enumerator; the switches over it have no default, so every place
// that must handle it fails to compile until it does.
#pragma once

#include <cstdint>

namespace ember {

enum class UnaryTypeRule : uint8_t {
  Floating,  // integer and bool inputs compute in the default float type
  Numeric,   // the input's type; bool rejected
  Bitwise,   // the input's type; integer and bool only
};

enum class BinaryTypeRule : uint8_t {
  Arithmetic,        // the promoted type
  ArithmeticNoBool,  // the promoted type; bool rejected
  TrueDivide,        // integers divide in the default float type
  Comparison,        // promoted inputs, bool result
  Logical,           // promoted inputs, bool result
  Bitwise,           // the promoted type; integer and bool only
  Shift,             // the promoted type; integer only
  Integral,          // the promoted type; integer only (gcd, lcm)
};

// Comparisons and logical ops give bools.
constexpr bool has_bool_result(BinaryTypeRule rule) {
  switch (rule) {
    case BinaryTypeRule::Comparison:
    case BinaryTypeRule::Logical:
      return true;
    case BinaryTypeRule::Arithmetic:
    case BinaryTypeRule::ArithmeticNoBool:
    case BinaryTypeRule::TrueDivide:
    case BinaryTypeRule::Bitwise:
    case BinaryTypeRule::Shift:
    case BinaryTypeRule::Integral:
      return false;
  }
  return false;
}

// Bool results and bitwise and integral ops (integer and bool operands only) carry no gradient.
constexpr bool is_differentiable(BinaryTypeRule rule) {
  return !has_bool_result(rule) && rule != BinaryTypeRule::Bitwise &&
         rule != BinaryTypeRule::Shift && rule != BinaryTypeRule::Integral;
}

}  // namespace ember
