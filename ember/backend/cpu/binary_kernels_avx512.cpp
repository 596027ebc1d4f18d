// The binary loops compiled for the avx512 instruction set (flags set in CMakeLists.txt).
#define EMBER_ISA avx512
#include "ember/backend/cpu/binary_kernels.inc"
