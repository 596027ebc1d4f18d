// The attention kernels compiled for the generic instruction set (flags set in CMakeLists.txt).
#define EMBER_ISA generic
#include "ember/backend/cpu/attention_kernels.inc"
