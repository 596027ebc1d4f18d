// The reduction kernels compiled for the avx2 instruction set (flags set in CMakeLists.txt).
#define EMBER_ISA avx2
#include "ember/backend/cpu/arg_reduce_kernels.inc"
#include "ember/backend/cpu/reduce_kernels.inc"
