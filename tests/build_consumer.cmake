# Configures and builds the outside project in CONSUMER_DIR against the ember installed in
# PREFIX, into BUILD_DIR, with CONSUMER_FLAGS. Any failing step fails the test that runs it.
file(REMOVE_RECURSE ${BUILD_DIR})
function(step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "step failed: ${ARGN}\n${output}")
  endif()
endfunction()
step(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${BUILD_DIR} -G Ninja
     -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_BUILD_TYPE=Release
     "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}")
step(${CMAKE_COMMAND} --build ${BUILD_DIR})
