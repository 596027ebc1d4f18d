# Installs the build in BUILD_DIR to WORK_DIR/prefix, then builds and runs the consumer project in
# CONSUMER_DIR against it. Any failing step fails the test.
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "install failed:\n${output}")
endif()
set(PREFIX ${WORK_DIR}/prefix)
set(BUILD_DIR ${WORK_DIR}/build)
include(${CMAKE_CURRENT_LIST_DIR}/build_consumer.cmake)
execute_process(COMMAND ${WORK_DIR}/build/consumer RESULT_VARIABLE result OUTPUT_VARIABLE output
                ERROR_VARIABLE output)
if(NOT result EQUAL 0 OR NOT output MATCHES "tensor\\(\\[\\[ 7\\., 10\\.\\],")
  message(FATAL_ERROR "consumer failed (${result}):\n${output}")
endif()
