// The unary loops compiled for the generic instruction set (flags set in CMakeLists.txt).
#define EMBER_ISA generic
#include "ember/backend/cpu/unary_kernels.inc"
