// Marks functions that CUDA kernels and CPU loops share (the math in elementwise/math.h).
#pragma once

#if defined(__CUDACC__)
#define EMBER_HOST_DEVICE __host__ __device__
#else
#define EMBER_HOST_DEVICE
#endif

#define EMBER_INLINE EMBER_HOST_DEVICE inline __attribute__((always_inline))
