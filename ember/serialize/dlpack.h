// DLPack (https://dmlc.github.io/dlpack/latest/): zero-copy exchange of tensors with NumPy,
// PyTorch, JAX, CuPy... The structs below are the DLPack 1.x C ABI (the layout every producer
// and consumer shares), declared here because no dlpack package is a dependency; when the
// official dlpack/dlpack.h was included first, its definitions are used instead.
// ember::toDLPack / ember::fromDLPack are libtorch's (ATen/DLConvertor.h) names.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "ember/tensor/tensor.h"

#ifndef DLPACK_DLPACK_H_
#define DLPACK_DLPACK_H_
#define DLPACK_MAJOR_VERSION 1
#define DLPACK_MINOR_VERSION 0
#define DLPACK_FLAG_BITMASK_READ_ONLY (1UL << 0UL)
#define DLPACK_FLAG_BITMASK_IS_COPIED (1UL << 1UL)

extern "C" {

typedef struct {
  uint32_t major;
  uint32_t minor;
} DLPackVersion;

typedef enum {
  kDLCPU = 1,
  kDLCUDA = 2,
  kDLCUDAHost = 3,
  kDLOpenCL = 4,
  kDLVulkan = 7,
  kDLMetal = 8,
  kDLVPI = 9,
  kDLROCM = 10,
  kDLROCMHost = 11,
  kDLExtDev = 12,
  kDLCUDAManaged = 13,
  kDLOneAPI = 14,
  kDLWebGPU = 15,
  kDLHexagon = 16,
  kDLMAIA = 17,
} DLDeviceType;

typedef struct {
  DLDeviceType device_type;
  int32_t device_id;
} DLDevice;

typedef enum {
  kDLInt = 0U,
  kDLUInt = 1U,
  kDLFloat = 2U,
  kDLOpaqueHandle = 3U,
  kDLBfloat = 4U,
  kDLComplex = 5U,
  kDLBool = 6U,
} DLDataTypeCode;

typedef struct {
  uint8_t code;
  uint8_t bits;
  uint16_t lanes;
} DLDataType;

typedef struct {
  void* data;
  DLDevice device;
  int32_t ndim;
  DLDataType dtype;
  int64_t* shape;
  int64_t* strides;
  uint64_t byte_offset;
} DLTensor;

typedef struct DLManagedTensor {
  DLTensor dl_tensor;
  void* manager_ctx;
  void (*deleter)(struct DLManagedTensor* self);
} DLManagedTensor;

typedef struct DLManagedTensorVersioned {
  DLPackVersion version;
  void* manager_ctx;
  void (*deleter)(struct DLManagedTensorVersioned* self);
  uint64_t flags;
  DLTensor dl_tensor;
} DLManagedTensorVersioned;

}  // extern "C"
#endif  // DLPACK_DLPACK_H_

namespace ember {

// A DLPack tensor viewing `tensor`'s memory; it holds a reference to the storage until the
// consumer calls its deleter. CPU and CUDA tensors (kDLCUDA with the device index); TypeError
// for another device.
DLManagedTensor* toDLPack(const Tensor& tensor);
DLManagedTensorVersioned* toDLPackVersioned(const Tensor& tensor);

// A tensor viewing a DLPack tensor's memory (no copy). It takes ownership: `deleter` (by default
// src->deleter(src)) runs when the last view of the memory is gone. TypeError for a device other
// than the CPU (kDLCPU, kDLCUDAHost) or CUDA (kDLCUDA: a CUDA tensor; CUDA must be available), a
// dtype ember lacks (complex, uint16, lanes > 1) or negative strides; the source is released before
// the error is thrown.
Tensor fromDLPack(DLManagedTensor* src);
Tensor fromDLPack(DLManagedTensor* src, std::function<void(void*)> deleter);
Tensor fromDLPackVersioned(DLManagedTensorVersioned* src);
Tensor fromDLPackVersioned(DLManagedTensorVersioned* src, std::function<void(void*)> deleter);

// The DLPack data type of an ember dtype, and back (nullopt for one ember lacks).
DLDataType getDLDataType(ScalarType dtype);
std::optional<ScalarType> toScalarType(const DLDataType& dtype);

}  // namespace ember
