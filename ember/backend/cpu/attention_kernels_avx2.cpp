// The attention kernels compiled for the avx2 instruction set (flags set in CMakeLists.txt).
#define EMBER_ISA avx2
#include "ember/backend/cpu/attention_kernels.inc"
