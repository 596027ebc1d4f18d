// Tensor's typed access to its elements (data_ptr<T>, accessor<T, N>): the checks libtorch makes
// before handing out a T*, kept out of the header so it stays free of error formatting.
#include "ember/base/error.h"
#include "ember/base/half.h"
#include "ember/tensor/tensor.h"

namespace ember {

template <typename T>
T* Tensor::data_ptr() const {
  EMBER_CHECK(dtype() == scalar_type_of<T>(), "[data_ptr] expected scalar type ",
              scalar_type_of<T>(), " but found ", dtype());
  return static_cast<T*>(impl_->data());
}
template bool* Tensor::data_ptr<bool>() const;
template uint8_t* Tensor::data_ptr<uint8_t>() const;
template int8_t* Tensor::data_ptr<int8_t>() const;
template int16_t* Tensor::data_ptr<int16_t>() const;
template int32_t* Tensor::data_ptr<int32_t>() const;
template int64_t* Tensor::data_ptr<int64_t>() const;
template Half* Tensor::data_ptr<Half>() const;
template BFloat16* Tensor::data_ptr<BFloat16>() const;
template float* Tensor::data_ptr<float>() const;
template double* Tensor::data_ptr<double>() const;

void Tensor::check_accessor(ScalarType expected, size_t ndim) const {
  EMBER_CHECK(static_cast<size_t>(dim()) == ndim, "[accessor] TensorAccessor expected ", ndim,
              " dims but tensor has ", dim());
  EMBER_CHECK(dtype() == expected, "[accessor] expected scalar type ", expected, " but found ",
              dtype());
}

}  // namespace ember
