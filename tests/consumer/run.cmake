# SPDX-FileCopyrightText: 2026 The Courier developers
# SPDX-License-Identifier: MIT
#
# ctest "consumer": installs the built Courier into a fresh prefix, then configures, builds and runs
# an outside project that finds it with find_package(Courier <VERSION> REQUIRED), VERSION being the
# project's; then copies examples/testing (TESTING_EXAMPLE) out of the tree and runs its tests,
# built with find_package(Courier COMPONENTS Test) against the prefix alone; and so does it with
# examples/live-answer (LIVE_ANSWER_EXAMPLE, empty when that example is not built), a Qt Quick
# application that uses the installed QML module.
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR VERSION TESTING_EXAMPLE)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "${var} is not set")
    endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)
set(app_build ${WORK_DIR}/app-build)
file(REMOVE_RECURSE ${WORK_DIR})

include(${CMAKE_CURRENT_LIST_DIR}/run-helpers.cmake)

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(header Courier/Client Courier/Response Courier/Request Courier/HttpStatus Courier/courier_export.h)
    if(NOT EXISTS ${prefix}/include/${header})
        message(FATAL_ERROR "not installed: include/${header}")
    endif()
endforeach()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${app_build} -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix}
    -DCOURIER_VERSION=${VERSION})
run(${CMAKE_COMMAND} --build ${app_build})
run(${app_build}/consumer)
if(NOT last_output MATCHES "Not Found")
    message(FATAL_ERROR "the consumer printed: ${last_output}")
endif()
message(STATUS "consumer built against ${prefix} and printed: ${last_output}")

# The QML modules are installed below the Qt QML directory of the prefix, and importable from
# there: Courier, and Courier.Test in its Test folder (the tests are built with the Test library).
file(GLOB_RECURSE qmldir ${prefix}/lib/*/qmldir) # lib/qt6/qml/Courier or lib/<arch>/qt6/qml/Courier
list(FILTER qmldir INCLUDE REGEX "/Courier/qmldir$") # not Courier/Test's
if(NOT qmldir)
    message(FATAL_ERROR "not installed: the QML module's qmldir")
endif()
get_filename_component(module_dir ${qmldir} DIRECTORY)
if(NOT EXISTS ${module_dir}/Test/qmldir)
    message(FATAL_ERROR "not installed: Courier.Test's qmldir")
endif()
get_filename_component(import_dir ${module_dir} DIRECTORY)
run(${CMAKE_COMMAND} -E env QML_IMPORT_PATH=${import_dir} QT_QPA_PLATFORM=offscreen ${app_build}/consumer_qml Courier.Test)
if(NOT last_output MATCHES "QML: Not Found, 1, 2\nCourier.Test: MockServer listening")
    message(FATAL_ERROR "the QML consumer printed: ${last_output}")
endif()
message(STATUS "the installed QML module, from ${import_dir}, printed: ${last_output}")

# An application's own tests on the installed Courier::Test: the testing example, copied out of
# the source tree so that nothing but the prefix can be found, with its Qt Test suite (each fault
# kind of MockServer) run by its own ctest.
set(testing_src ${WORK_DIR}/testing-example)
set(testing_build ${WORK_DIR}/testing-build)
file(COPY ${TESTING_EXAMPLE}/ DESTINATION ${testing_src})
foreach(header Courier/MockServer Courier/mockserver.h)
    if(NOT EXISTS ${prefix}/include/${header})
        message(FATAL_ERROR "not installed: include/${header}")
    endif()
endforeach()
run(${CMAKE_COMMAND} -S ${testing_src} -B ${testing_build} -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${testing_build})
run(${CMAKE_COMMAND} -E env QML_IMPORT_PATH=${import_dir} QT_QPA_PLATFORM=offscreen
    ${CMAKE_CTEST_COMMAND} --test-dir ${testing_build} --output-on-failure)
if(NOT last_output MATCHES "100% tests passed, 0 tests failed out of ([1-9][0-9]*)")
    message(FATAL_ERROR "the testing example's tests printed: ${last_output}")
endif()
message(STATUS "the testing example, built against ${prefix}, ran ${CMAKE_MATCH_1} test(s): all passed")

# A Qt Quick application on the installed QML module: the live-answer example, copied out of the
# tree and built on its own, its smoke tests (the whole answer arrives, with EventSource and with a
# POST) run by its own ctest with the module of the prefix.
if(LIVE_ANSWER_EXAMPLE)
    set(live_src ${WORK_DIR}/live-answer-example)
    set(live_build ${WORK_DIR}/live-answer-build)
    file(COPY ${LIVE_ANSWER_EXAMPLE}/ DESTINATION ${live_src})
    run(${CMAKE_COMMAND} -S ${live_src} -B ${live_build} -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix})
    run(${CMAKE_COMMAND} --build ${live_build})
    run(${CMAKE_COMMAND} -E env QML_IMPORT_PATH=${import_dir}
        ${CMAKE_CTEST_COMMAND} --test-dir ${live_build} --output-on-failure)
    if(NOT last_output MATCHES "100% tests passed, 0 tests failed out of 2")
        message(FATAL_ERROR "the live-answer example's tests printed: ${last_output}")
    endif()
    message(STATUS "the live-answer example, built against ${prefix}, passed its 2 tests")
endif()
