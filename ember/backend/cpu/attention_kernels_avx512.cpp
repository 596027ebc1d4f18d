// The attention kernels compiled for the avx512 instruction set (flags set in CMakeLists.txt).
#define EMBER_ISA avx512
#include "ember/backend/cpu/attention_kernels.inc"
