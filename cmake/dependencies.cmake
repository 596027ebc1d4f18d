# Third-party libraries, all from Debian packages (see README): OpenMP (the one thread pool),
# oneDNN (float32 GEMM, fast whatever OPENBLAS_CORETYPE says) and CBLAS (float64 GEMM).
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_package(Threads REQUIRED)

find_path(DNNL_INCLUDE_DIR oneapi/dnnl/dnnl.h REQUIRED)
find_library(DNNL_LIBRARY NAMES dnnl REQUIRED)
add_library(ember_dnnl INTERFACE)
target_include_directories(ember_dnnl SYSTEM INTERFACE ${DNNL_INCLUDE_DIR})
target_link_libraries(ember_dnnl INTERFACE ${DNNL_LIBRARY})

set(BLA_VENDOR OpenBLAS)
find_package(BLAS REQUIRED)
find_path(CBLAS_INCLUDE_DIR cblas.h PATH_SUFFIXES openblas REQUIRED)
add_library(ember_blas INTERFACE)
target_include_directories(ember_blas SYSTEM INTERFACE ${CBLAS_INCLUDE_DIR})
target_link_libraries(ember_blas INTERFACE ${BLAS_LIBRARIES})

if(EMBER_TESTS)
  find_package(GTest REQUIRED)
endif()
if(EMBER_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()

# The collective engines of ember::distributed (issue 15), each optional: Gloo (Debian's
# libgloo-dev) and MPI (Debian's Open MPI) for CPU tensors; NCCL (beside the CUDA toolkit) for
# CUDA tensors. A build without one has no such backend and says so.
find_package(Gloo CONFIG QUIET)
if(TARGET gloo)
  message(STATUS "ember: distributed backend gloo on")
else()
  message(STATUS "ember: distributed backend gloo off (no libgloo-dev)")
endif()
# The C API, called from C++ (MPI_CXX_SKIP_MPICXX: not the deprecated C++ bindings).
set(MPI_CXX_SKIP_MPICXX ON)
find_package(MPI QUIET COMPONENTS CXX)
if(MPI_CXX_FOUND)
  message(STATUS "ember: distributed backend mpi on (MPI ${MPI_CXX_VERSION})")
else()
  message(STATUS "ember: distributed backend mpi off (no MPI found)")
endif()
