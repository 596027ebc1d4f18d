// The max-pooling row kernels compiled for the generic instruction set (flags set in
// CMakeLists.txt).
#define EMBER_ISA generic
#include "ember/backend/cpu/nn_pool_kernels.inc"
