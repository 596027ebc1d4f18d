// The reduction kernels compiled for the generic instruction set (flags set in CMakeLists.txt).
#define EMBER_ISA generic
#include "ember/backend/cpu/arg_reduce_kernels.inc"
#include "ember/backend/cpu/reduce_kernels.inc"
