// The binary loops compiled for the generic instruction set (flags set in CMakeLists.txt).
#define EMBER_ISA generic
#include "ember/backend/cpu/binary_kernels.inc"
