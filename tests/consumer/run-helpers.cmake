# SPDX-FileCopyrightText: 2026 The Courier developers
# SPDX-License-Identifier: MIT
#
# Shared by run.cmake and package.cmake (cmake -P scripts): run(COMMAND...) runs a command, stops
# the script with its output when it fails, and leaves its standard output, stripped, in
# last_output.
function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
    string(STRIP "${out}" out)
    set(last_output "${out}" PARENT_SCOPE)
endfunction()
