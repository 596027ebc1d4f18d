// The CUDA kernel of the Convolution primitive through cuDNN: its three passes map onto
// cudnnConvolutionForward (y from x, w), cudnnConvolutionBackwardData (x from y, w) and
// cudnnConvolutionBackwardFilter (w from x, y), so the forward and both gradients run on the
// device. float32 and float64 (the ops layer runs 16-bit convolutions in float32), with float16
// and bfloat16 mapped too (float32 accumulation, tensor-op math); groups, stride, dilation and
// padding (uneven padding through a larger symmetric one); 1-D convolutions as 2-D ones over a
// unit dim. The algorithm is cuDNN's
// heuristic choice (the _v7 queries), the first that runs with a workspace the caching allocator
// can give; float32 may use TF32 only when allow_tf32_cudnn(). cuDNN handles are one per
// (device, thread) on the current stream (thread_handles.h).
#include <cuda_runtime_api.h>
#include <cudnn.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "ember/backend/cuda/runtime/cuda_check.h"
#include "ember/backend/cuda/runtime/runtime.h"
#include "ember/backend/cuda/runtime/thread_handles.h"
#include "ember/base/error.h"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_nn_conv.h"
#include "ember/tensor/backend_flags.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

void check_cudnn(cudnnStatus_t status, std::string_view call) {
  if (status == CUDNN_STATUS_SUCCESS) return;
  if (status == CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED ||
      status == CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED) {
    ::ember::detail::raise<OutOfMemoryError>("[cudnn] ", call,
                                             " failed: ", cudnnGetErrorString(status));
  }
  ::ember::detail::raise<RuntimeError>("[cudnn] ", call, " failed: ", cudnnGetErrorString(status));
}

#define EMBER_CUDNN_CHECK(call) check_cudnn((call), #call)

cudnnHandle_t create_cudnn_handle() {
  cudnnHandle_t handle = nullptr;
  EMBER_CUDNN_CHECK(cudnnCreate(&handle));
  return handle;
}

// cuDNN's descriptors, destroyed with the call.
struct TensorDescriptor {
  cudnnTensorDescriptor_t handle = nullptr;
  TensorDescriptor() { EMBER_CUDNN_CHECK(cudnnCreateTensorDescriptor(&handle)); }
  ~TensorDescriptor() { cudnnDestroyTensorDescriptor(handle); }
  TensorDescriptor(const TensorDescriptor&) = delete;
  TensorDescriptor& operator=(const TensorDescriptor&) = delete;
};
struct FilterDescriptor {
  cudnnFilterDescriptor_t handle = nullptr;
  FilterDescriptor() { EMBER_CUDNN_CHECK(cudnnCreateFilterDescriptor(&handle)); }
  ~FilterDescriptor() { cudnnDestroyFilterDescriptor(handle); }
  FilterDescriptor(const FilterDescriptor&) = delete;
  FilterDescriptor& operator=(const FilterDescriptor&) = delete;
};
struct ConvolutionDescriptor {
  cudnnConvolutionDescriptor_t handle = nullptr;
  ConvolutionDescriptor() { EMBER_CUDNN_CHECK(cudnnCreateConvolutionDescriptor(&handle)); }
  ~ConvolutionDescriptor() { cudnnDestroyConvolutionDescriptor(handle); }
  ConvolutionDescriptor(const ConvolutionDescriptor&) = delete;
  ConvolutionDescriptor& operator=(const ConvolutionDescriptor&) = delete;
};

// A tensor's dims for cuDNN (at least 4: a 1-D convolution gains a trailing unit dim).
std::vector<int> cudnn_dims(std::string_view op, const Tensor& t) {
  std::vector<int> dims;
  for (int64_t size : t.sizes()) {
    EMBER_CHECK(size <= std::numeric_limits<int>::max(), "[", op,
                "] a CUDA convolution takes sizes up to 2^31-1; got ", t.shape());
    dims.push_back(static_cast<int>(size));
  }
  if (dims.size() == 3) dims.push_back(1);
  return dims;
}

// The packed (contiguous) strides of dims.
std::vector<int> packed_strides(const std::vector<int>& dims) {
  std::vector<int> strides(dims.size(), 1);
  for (size_t d = dims.size() - 1; d > 0; --d) strides[d - 1] = strides[d] * dims[d];
  return strides;
}

struct Types {
  cudnnDataType_t data;
  cudnnDataType_t compute;
  cudnnMathType_t math;
};

bool cudnn_types(ScalarType dtype, Types& types) {
  switch (dtype) {
    case ScalarType::Float32:
      // FMA math keeps float32 throughout; the default lets cuDNN pick TF32 tensor cores.
      types = {CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT,
               allow_tf32_cudnn() ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH};
      return true;
    case ScalarType::Float64:
      types = {CUDNN_DATA_DOUBLE, CUDNN_DATA_DOUBLE, CUDNN_DEFAULT_MATH};
      return true;
    case ScalarType::Float16:
      types = {CUDNN_DATA_HALF, CUDNN_DATA_FLOAT, CUDNN_TENSOR_OP_MATH};
      return true;
    case ScalarType::BFloat16:
      types = {CUDNN_DATA_BFLOAT16, CUDNN_DATA_FLOAT, CUDNN_TENSOR_OP_MATH};
      return true;
    default:
      return false;
  }
}

// Whether an algorithm's math fits the switches: no tensor-op math for float32 without TF32.
bool math_allowed(const Types& types, cudnnMathType_t math) {
  return types.math != CUDNN_FMA_MATH ||
         (math != CUDNN_TENSOR_OP_MATH && math != CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION);
}

// The operands of one pass in cuDNN's terms.
struct Call {
  std::string_view op;
  cudnnHandle_t handle;
  const TensorDescriptor& x_descriptor;
  const FilterDescriptor& w_descriptor;
  const TensorDescriptor& y_descriptor;
  ConvolutionDescriptor& convolution;
  const Types& types;
  Device device;
  const void* alpha;
  const void* beta;
};

// Tries cuDNN's ranked algorithms in turn: the first that cuDNN supports, whose math the
// switches allow and whose workspace the allocator can give, runs.
template <typename Perf, typename Run>
void run_ranked(const Call& call, const std::vector<Perf>& ranked, int returned, Run run) {
  for (int i = 0; i < returned; ++i) {
    const Perf& perf = ranked[static_cast<size_t>(i)];
    if (perf.status != CUDNN_STATUS_SUCCESS || !math_allowed(call.types, perf.mathType)) continue;
    Tensor workspace;
    if (perf.memory > 0) {
      try {
        workspace =
            empty({static_cast<int64_t>(perf.memory)}, TensorOptions(kUInt8).device(call.device));
      } catch (const OutOfMemoryError&) {
        continue;
      }
    }
    EMBER_CUDNN_CHECK(cudnnSetConvolutionMathType(
        call.convolution.handle,
        call.types.math == CUDNN_FMA_MATH ? CUDNN_FMA_MATH : perf.mathType));
    run(perf.algo, workspace.defined() ? workspace.data_ptr() : nullptr, perf.memory);
    return;
  }
  ::ember::detail::raise<RuntimeError>(
      "[", call.op,
      "] cuDNN found no algorithm for this convolution that fits in "
      "memory and the TF32 setting");
}

void forward(const Call& call, const Tensor& x, const Tensor& w, const Tensor& y) {
  int count = 0;
  EMBER_CUDNN_CHECK(cudnnGetConvolutionForwardAlgorithmMaxCount(call.handle, &count));
  std::vector<cudnnConvolutionFwdAlgoPerf_t> ranked(static_cast<size_t>(count));
  int returned = 0;
  EMBER_CUDNN_CHECK(cudnnGetConvolutionForwardAlgorithm_v7(
      call.handle, call.x_descriptor.handle, call.w_descriptor.handle, call.convolution.handle,
      call.y_descriptor.handle, count, &returned, ranked.data()));
  run_ranked(call, ranked, returned, [&](cudnnConvolutionFwdAlgo_t algo, void* space, size_t size) {
    EMBER_CUDNN_CHECK(cudnnConvolutionForward(call.handle, call.alpha, call.x_descriptor.handle,
                                              x.data_ptr(), call.w_descriptor.handle, w.data_ptr(),
                                              call.convolution.handle, algo, space, size, call.beta,
                                              call.y_descriptor.handle, y.data_ptr()));
  });
}

void backward_data(const Call& call, const Tensor& x, const Tensor& w, const Tensor& y) {
  int count = 0;
  EMBER_CUDNN_CHECK(cudnnGetConvolutionBackwardDataAlgorithmMaxCount(call.handle, &count));
  std::vector<cudnnConvolutionBwdDataAlgoPerf_t> ranked(static_cast<size_t>(count));
  int returned = 0;
  EMBER_CUDNN_CHECK(cudnnGetConvolutionBackwardDataAlgorithm_v7(
      call.handle, call.w_descriptor.handle, call.y_descriptor.handle, call.convolution.handle,
      call.x_descriptor.handle, count, &returned, ranked.data()));
  run_ranked(call, ranked, returned,
             [&](cudnnConvolutionBwdDataAlgo_t algo, void* space, size_t size) {
               EMBER_CUDNN_CHECK(cudnnConvolutionBackwardData(
                   call.handle, call.alpha, call.w_descriptor.handle, w.data_ptr(),
                   call.y_descriptor.handle, y.data_ptr(), call.convolution.handle, algo, space,
                   size, call.beta, call.x_descriptor.handle, x.data_ptr()));
             });
}

void backward_filter(const Call& call, const Tensor& x, const Tensor& w, const Tensor& y) {
  int count = 0;
  EMBER_CUDNN_CHECK(cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(call.handle, &count));
  std::vector<cudnnConvolutionBwdFilterAlgoPerf_t> ranked(static_cast<size_t>(count));
  int returned = 0;
  EMBER_CUDNN_CHECK(cudnnGetConvolutionBackwardFilterAlgorithm_v7(
      call.handle, call.x_descriptor.handle, call.y_descriptor.handle, call.convolution.handle,
      call.w_descriptor.handle, count, &returned, ranked.data()));
  run_ranked(call, ranked, returned,
             [&](cudnnConvolutionBwdFilterAlgo_t algo, void* space, size_t size) {
               EMBER_CUDNN_CHECK(cudnnConvolutionBackwardFilter(
                   call.handle, call.alpha, call.x_descriptor.handle, x.data_ptr(),
                   call.y_descriptor.handle, y.data_ptr(), call.convolution.handle, algo, space,
                   size, call.beta, call.w_descriptor.handle, w.data_ptr()));
             });
}

// One pass through cuDNN with the same padding on both sides of each spatial dim; x, w and y are
// the pass's operands (the one it computes among them), contiguous.
void run_pass(std::string_view op, ConvPass pass, const Types& types, const Shape& padding,
              const ConvGeometry& geometry, const Tensor& x, const Tensor& w, const Tensor& y,
              cudaStream_t stream) {
  TensorDescriptor x_descriptor, y_descriptor;
  FilterDescriptor w_descriptor;
  ConvolutionDescriptor descriptor;
  const std::vector<int> x_dims = cudnn_dims(op, x);
  const std::vector<int> y_dims = cudnn_dims(op, y);
  const std::vector<int> w_dims = cudnn_dims(op, w);
  const auto rank = static_cast<int>(x_dims.size());
  EMBER_CUDNN_CHECK(cudnnSetTensorNdDescriptor(x_descriptor.handle, types.data, rank, x_dims.data(),
                                               packed_strides(x_dims).data()));
  EMBER_CUDNN_CHECK(cudnnSetTensorNdDescriptor(y_descriptor.handle, types.data, rank, y_dims.data(),
                                               packed_strides(y_dims).data()));
  EMBER_CUDNN_CHECK(cudnnSetFilterNdDescriptor(w_descriptor.handle, types.data, CUDNN_TENSOR_NCHW,
                                               rank, w_dims.data()));
  // One entry per spatial dim; the unit dim of a 1-D convolution steps by 1 without padding.
  std::vector<int> pad(static_cast<size_t>(rank - 2), 0), stride(pad.size(), 1),
      dilation(pad.size(), 1);
  for (size_t d = 0; d < geometry.stride.size(); ++d) {
    pad[d] = static_cast<int>(padding[d]);
    stride[d] = static_cast<int>(geometry.stride[d]);
    dilation[d] = static_cast<int>(geometry.dilation[d]);
  }
  EMBER_CUDNN_CHECK(cudnnSetConvolutionNdDescriptor(descriptor.handle, rank - 2, pad.data(),
                                                    stride.data(), dilation.data(),
                                                    CUDNN_CROSS_CORRELATION, types.compute));
  EMBER_CUDNN_CHECK(
      cudnnSetConvolutionGroupCount(descriptor.handle, static_cast<int>(geometry.groups)));
  EMBER_CUDNN_CHECK(cudnnSetConvolutionMathType(descriptor.handle, types.math));

  const int device = y.device().index();
  const cudnnHandle_t handle = thread_handle(device, &create_cudnn_handle);
  EMBER_CUDNN_CHECK(cudnnSetStream(handle, stream));
  const double alpha_double = 1.0, beta_double = 0.0;
  const float alpha_float = 1.0f, beta_float = 0.0f;
  const bool double_scale = types.compute == CUDNN_DATA_DOUBLE;
  const Call call{op,
                  handle,
                  x_descriptor,
                  w_descriptor,
                  y_descriptor,
                  descriptor,
                  types,
                  y.device(),
                  double_scale ? static_cast<const void*>(&alpha_double) : &alpha_float,
                  double_scale ? static_cast<const void*>(&beta_double) : &beta_float};
  switch (pass) {
    case ConvPass::Forward:
      return forward(call, x, w, y);
    case ConvPass::BackwardData:
      return backward_data(call, x, w, y);
    case ConvPass::BackwardWeight:
      return backward_filter(call, x, w, y);
  }
}

void convolution_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& convolution = static_cast<const Convolution&>(primitive);
  const ConvGeometry& geometry = convolution.geometry();
  const ConvPass pass = convolution.pass();
  const std::string_view op = primitive.name();
  const Tensor& out = outputs[0];
  Types types{};
  if (!cudnn_types(out.dtype(), types)) raise_no_kernel(op, "CUDA");
  EMBER_CHECK(inputs[0].device() == out.device() && inputs[1].device() == out.device(), "[", op,
              "] expected every operand on ", out.device(), "; got ", inputs[0].device(), " and ",
              inputs[1].device());
  if (out.numel() == 0) return;

  const int device = out.device().index();
  runtime::DeviceScope scope(device);
  const auto stream = static_cast<cudaStream_t>(runtime::current_stream(device));
  if (inputs[0].numel() == 0 || inputs[1].numel() == 0) {
    // A sum over nothing, as on the CPU.
    EMBER_CUDA_CHECK(cudaMemsetAsync(out.data_ptr(), 0, out.nbytes(), stream));
    return;
  }
  const Tensor* x = &inputs[0];
  const Tensor* w = &inputs[1];
  const Tensor* y = &out;
  switch (pass) {
    case ConvPass::Forward:
      break;
    case ConvPass::BackwardData:
      x = &out;
      y = &inputs[0];
      break;
    case ConvPass::BackwardWeight:
      w = &out;
      y = &inputs[1];
      break;
  }
  if (geometry.pad_before == geometry.pad_after) {
    return run_pass(op, pass, types, geometry.pad_before, geometry, *x, *w, *y, stream);
  }

  // cuDNN pads both sides alike, but 'same' with an even kernel pads one more after than before.
  // Padding max(before, after) on both sides gives a larger output whose positions from
  // (max - before) / stride on are the wanted ones (when the stride divides that shift): the
  // forward pass keeps that window of the larger output; the two gradients read the output
  // gradient embedded in zeros at that window.
  const auto spatial = static_cast<int64_t>(geometry.stride.size());
  Shape padding(geometry.pad_before.size(), 0);
  Shape big_shape = y->shape();
  Shape offsets(padding.size(), 0);
  for (int64_t d = 0; d < spatial; ++d) {
    const auto i = static_cast<size_t>(d);
    padding[i] = std::max(geometry.pad_before[i], geometry.pad_after[i]);
    const int64_t shift = padding[i] - geometry.pad_before[i];
    if (shift % geometry.stride[i] != 0) {
      ::ember::detail::raise<NotImplementedError>(
          "[", op, "] has no CUDA kernel for uneven padding with stride ", geometry.stride[i]);
    }
    offsets[i] = shift / geometry.stride[i];
    const int64_t extent = geometry.dilation[i] * (w->size(d + 2) - 1) + 1;
    big_shape[i + 2] = (x->size(d + 2) + 2 * padding[i] - extent) / geometry.stride[i] + 1;
  }
  const Tensor big = empty(big_shape, y->options());
  Tensor window = big;
  for (int64_t d = 0; d < spatial; ++d) {
    window = window.narrow(d + 2, offsets[static_cast<size_t>(d)], y->size(d + 2));
  }
  if (pass == ConvPass::Forward) {
    run_pass(op, pass, types, padding, geometry, *x, *w, big, stream);
    // Detached: the copies are part of this kernel, not ops for autograd to record.
    Tensor target = out.detach();
    target.copy_(window);
    return;
  }
  EMBER_CUDA_CHECK(cudaMemsetAsync(big.data_ptr(), 0, big.nbytes(), stream));
  window.copy_(y->detach());
  run_pass(op, pass, types, padding, geometry, *x, *w, big, stream);
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Convolution, &convolution_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
