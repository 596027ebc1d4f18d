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
