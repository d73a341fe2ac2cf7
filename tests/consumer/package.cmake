# SPDX-FileCopyrightText: 2026 The Courier developers
# SPDX-License-Identifier: MIT
#
# ctest "package": makes the three Debian packages with cpack (cmake/Packaging.cmake), checks their
# fields, contents and relations, runs lintian on them (no error allowed), checks that their
# dependencies are installable here (apt-get --simulate: nothing is installed), extracts them, and
# builds and runs against the extracted tree the consumer project (find_package),
# tests/consumer/main.cpp compiled with the flags of the packaged courier.pc, and, with the QML
# module, the QML consumer. LD_LIBRARY_PATH makes them load the packaged library.
# scripts/package-roundtrip installs the same packages for real and builds against /usr.
cmake_policy(VERSION 3.21)
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR CPACK CXX VERSION QML)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "${var} is not set")
    endif()
endforeach()
string(REGEX MATCH "^[0-9]+\\.[0-9]+" soversion "${VERSION}")
set(runtime libcourier-qt6-${soversion})
set(dev libcourier-qt6-dev)
set(qml qml6-module-courier)
set(packages ${runtime} ${dev})
if(QML)
    list(APPEND packages ${qml})
endif()

file(REMOVE_RECURSE ${WORK_DIR})
set(root ${WORK_DIR}/root)
set(app_build ${WORK_DIR}/app-build)

include(${CMAKE_CURRENT_LIST_DIR}/run-helpers.cmake)

function(require text regex what)
    if(NOT text MATCHES "${regex}")
        message(FATAL_ERROR "${what}: no match for '${regex}' in:\n${text}")
    endif()
endfunction()

# With COURIER_SANITIZE, the packaged binaries need the sanitizer runtime loaded first: the programs
# built against them are built with the same -fsanitize.
set(sanitize_flags)
if(SANITIZE)
    set(sanitize_flags -fsanitize=${SANITIZE})
endif()

# The packages, made in the build tree as `cpack` makes them there; written below WORK_DIR.
run(${CPACK} --config ${BUILD_DIR}/CPackConfig.cmake -B ${WORK_DIR}/cpack)
require("${last_output}" "CPack: - package: " "cpack")
if(last_output MATCHES "[Ww]arning")
    message(FATAL_ERROR "cpack warned:\n${last_output}")
endif()
file(GLOB debs ${WORK_DIR}/cpack/*.deb)
list(LENGTH debs count)
list(LENGTH packages expected_count)
if(NOT count EQUAL expected_count)
    message(FATAL_ERROR "cpack made ${count} .deb files, not ${expected_count}: ${debs}")
endif()
run(dpkg --print-architecture)
set(arch ${last_output})

# Fields, relations and contents of each package. Every package has its copyright file and
# changelog; nothing is an example, a test or a benchmark.
string(REPLACE "." "\\." v "${VERSION}")
set(doc_files "/usr/share/doc/NAME/copyright\n" "/usr/share/doc/NAME/changelog\\.gz\n")
set(runtime_files "/usr/lib/([^/\n]+/)?libcourier-qt6\\.so\\.${v}\n"
    "/usr/lib/([^/\n]+/)?libcourier-qt6\\.so\\.${soversion} -> ")
set(dev_files
    "/usr/include/Courier/Client\n" "/usr/include/Courier/client\\.h\n" "/usr/include/Courier/Coroutine\n"
    "/usr/include/Courier/version\\.h\n" "/usr/include/Courier/courier_export\\.h\n"
    "/usr/lib/([^/\n]+/)?libcourier-qt6\\.so -> "
    "/usr/lib/([^/\n]+/)?cmake/Courier/CourierConfig\\.cmake\n"
    "/usr/lib/([^/\n]+/)?cmake/Courier/CourierConfigVersion\\.cmake\n"
    "/usr/lib/([^/\n]+/)?cmake/Courier/CourierTargets\\.cmake\n"
    "/usr/lib/([^/\n]+/)?pkgconfig/courier\\.pc\n"
    # Courier::Test, a static library as test libraries are (libgtest.a in libgtest-dev).
    "/usr/include/Courier/MockServer\n" "/usr/include/Courier/mockserver\\.h\n"
    "/usr/lib/([^/\n]+/)?libcourier-qt6-test\\.a\n"
    "/usr/lib/([^/\n]+/)?cmake/Courier/CourierTestTargets\\.cmake\n"
    "/usr/lib/([^/\n]+/)?pkgconfig/courier-test\\.pc\n")
set(qml_files "/qt6/qml/Courier/qmldir\n" "/qt6/qml/Courier/libCourierQmlPlugin\\.so\n"
    "/qt6/qml/Courier/Test/qmldir\n" "/qt6/qml/Courier/Test/libCourierTestQmlPlugin\\.so\n")
# What may be in each: the runtime package nothing but the library, the development package no
# shared library (Courier::Test's static one only), the QML package nothing outside the Qt QML
# directory (Courier, and Courier.Test in it).
set(runtime_only "^\\./usr/(lib/([^/]+/)?libcourier-qt6\\.so\\.[0-9.]+|share/doc/${runtime}/[a-z.]+)( -> [^\n]*)?$")
set(dev_only "^\\./usr/(include/Courier/[A-Za-z_.]+|lib/([^/]+/)?(libcourier-qt6\\.so|libcourier-qt6-test\\.a|cmake/Courier/[A-Za-z_.-]+|pkgconfig/courier(-test)?\\.pc)|share/doc/${dev}/[a-z.]+)( -> [^\n]*)?$")
set(qml_only "^\\./usr/(lib/([^/]+/)?qt6/qml/Courier/(Test/)?[A-Za-z_.0-9]+|share/doc/${qml}/[a-z.]+)( -> [^\n]*)?$")
file(STRINGS ${BUILD_DIR}/include/Courier/version.h with_curl REGEX "define COURIER_HAS_CURL 1")
foreach(kind runtime dev qml)
    set(name ${${kind}})
    if(NOT name IN_LIST packages)
        continue()
    endif()
    set(deb ${WORK_DIR}/cpack/${name}_${VERSION}_${arch}.deb)
    if(NOT EXISTS ${deb})
        message(FATAL_ERROR "no ${deb} among: ${debs}")
    endif()
    run(dpkg-deb --info ${deb})
    message(STATUS "dpkg-deb --info ${name}:\n${last_output}")
    foreach(field Package Version Architecture Depends Breaks Section Source Maintainer Description)
        execute_process(COMMAND dpkg-deb --field ${deb} ${field} OUTPUT_VARIABLE value)
        string(STRIP "${value}" ${field})
    endforeach()
    if(NOT Package STREQUAL name OR NOT Version STREQUAL VERSION OR NOT Architecture STREQUAL arch
       OR NOT Source STREQUAL "courier-qt6" OR NOT Maintainer OR NOT Description)
        message(FATAL_ERROR "${name}: Package ${Package}, Version ${Version}, Architecture ${Architecture}, Source ${Source}")
    endif()
    # No dependency named twice (libcurl4 once was: the engine's minimum is said with Breaks).
    string(REGEX MATCHALL "(^|, )[a-z0-9.+-]+" names "${Depends}")
    list(TRANSFORM names REPLACE "^, " "")
    set(unique ${names})
    list(REMOVE_DUPLICATES unique)
    if(NOT names STREQUAL unique)
        message(FATAL_ERROR "${name}: a dependency is listed twice: ${Depends}")
    endif()
    if(kind STREQUAL "runtime")
        require("${Section}" "^libs$" "${name} Section")
        set(expected_depends libc6 libstdc\\+\\+6 libqt6core6 libqt6network6)
        if(with_curl)
            list(APPEND expected_depends libcurl4 libssl3)
            require("${Breaks}" "^libcurl4 \\(<< 7\\.(8[5-9]|9[0-9])" "${name} Breaks")
        endif()
        if(Depends MATCHES "-dev")
            message(FATAL_ERROR "${name} depends on a development package: ${Depends}")
        endif()
    elseif(kind STREQUAL "dev")
        require("${Section}" "^libdevel$" "${name} Section")
        set(expected_depends "${runtime} \\(= ${v}\\)" qt6-base-dev)
        if(EXISTS ${BUILD_DIR}/courier-test.pc)
            file(READ ${BUILD_DIR}/courier-test.pc test_pc)
            if(test_pc MATCHES "libcrypto")
                list(APPEND expected_depends libssl-dev) # Courier::Test links libcrypto
            endif()
        endif()
    else()
        require("${Section}" "^libs$" "${name} Section")
        set(expected_depends "${runtime} \\(= ${v}\\)" libqt6qml6)
        if(Depends MATCHES "-dev")
            message(FATAL_ERROR "${name} depends on a development package: ${Depends}")
        endif()
    endif()
    foreach(dependency ${expected_depends})
        require("${Depends}" "(^|, )${dependency}( |,|$)" "${name} Depends")
    endforeach()

    run(dpkg-deb --contents ${deb})
    string(REGEX REPLACE "[^\n]* \\./" "./" files "${last_output}") # drop mode, owner, size, date
    message(STATUS "dpkg-deb --contents ${name}:\n${files}")
    string(REPLACE "NAME" "${name}" docs "${doc_files}")
    foreach(file ${${kind}_files} ${docs})
        require("${files}\n" "${file}" "${name} contents")
    endforeach()
    string(REGEX MATCHALL "\\./[^\n]*" entries "${files}")
    foreach(entry ${entries})
        if(entry MATCHES "/$")
            continue() # directories
        endif()
        if(NOT entry MATCHES "${${kind}_only}")
            message(FATAL_ERROR "${name}: unexpected ${entry}")
        endif()
    endforeach()
    list(APPEND package_files ${deb})
endforeach()

# lintian, as Debian's archive runs it: no error on any package. Its warnings are printed.
find_program(LINTIAN lintian)
if(NOT LINTIAN)
    message(FATAL_ERROR "lintian is not installed (scripts/setup installs it)")
endif()
execute_process(COMMAND ${LINTIAN} --fail-on error --tag-display-limit 0 ${package_files}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "lintian:\n${out}")
if(NOT rc EQUAL 0 OR out MATCHES "(^|\n)E: ")
    message(FATAL_ERROR "lintian found errors (${rc}):\n${out}\n${err}")
endif()

# Their dependencies are installable here: apt resolves them without installing anything.
run(apt-get install --simulate --no-install-recommends ${package_files})
foreach(name ${packages})
    require("${last_output}" "Inst ${name} |${name} is already the newest version" "apt-get --simulate")
endforeach()
message(STATUS "apt-get install --simulate: installable")

# The extracted tree: /usr of the package below ${root}.
foreach(deb ${package_files})
    run(dpkg-deb -x ${deb} ${root})
endforeach()
file(GLOB_RECURSE library LIST_DIRECTORIES false ${root}/usr/lib/libcourier-qt6.so.${VERSION})
file(GLOB_RECURSE pc ${root}/usr/lib/courier.pc)
if(NOT library OR NOT pc)
    message(FATAL_ERROR "not extracted: libcourier-qt6.so.${VERSION} or courier.pc")
endif()
get_filename_component(libdir ${library} DIRECTORY)
file(STRINGS ${root}/usr/include/Courier/version.h version_h REGEX "COURIER_VERSION_STRING")
require("${version_h}" "\"${v}\"" "version.h")

# courier.pc as packaged: prefix /usr, the project's version, Requires Qt.
set(ENV{PKG_CONFIG_PATH} ${WORK_DIR}/pkgconfig)
file(COPY ${pc} DESTINATION ${WORK_DIR}/pkgconfig)
run(pkg-config --variable=prefix courier)
if(NOT last_output STREQUAL "/usr")
    message(FATAL_ERROR "courier.pc: prefix is ${last_output}, not /usr")
endif()
run(pkg-config --modversion courier)
if(NOT last_output STREQUAL VERSION)
    message(FATAL_ERROR "courier.pc: version ${last_output}, not ${VERSION}")
endif()
run(pkg-config --print-requires courier)
require("${last_output}" "Qt6Core" "courier.pc Requires")
require("${last_output}" "Qt6Network" "courier.pc Requires")
# The same file with prefix= moved to the extracted tree, as if the package were installed there.
# (pkg-config --define-prefix or PKG_CONFIG_SYSROOT_DIR would move Qt's paths too: Debian's Qt .pc
# files are in lib/<arch>/pkgconfig.) libdir and includedir follow ${prefix}.
file(READ ${pc} content)
string(REGEX REPLACE "\nprefix=/usr\n" "\nprefix=${root}/usr\n" content "${content}")
file(WRITE ${WORK_DIR}/pkgconfig/courier.pc "${content}")
run(pkg-config --cflags --libs courier)
set(pc_flags "${last_output}")
require("${pc_flags}" "-I${root}/usr/include( |$)" "pkg-config --cflags")
require("${pc_flags}" "-L${libdir}( |$)" "pkg-config --libs")
require("${pc_flags}" "-lcourier-qt6( |$)" "pkg-config --libs")
require("${pc_flags}" "-lQt6Network" "pkg-config --libs")
message(STATUS "pkg-config --cflags --libs courier: ${pc_flags}")

# The programs load the packaged library: LD_LIBRARY_PATH comes before their RUNPATH.
set(ENV{LD_LIBRARY_PATH} ${libdir})
set(ENV{QT_QPA_PLATFORM} offscreen)
# Arguments after these three are the program's.
function(run_program program expected linked)
    run(ldd ${linked})
    require("${last_output}" "libcourier-qt6\\.so[.0-9]* => ${libdir}/" "ldd ${linked}")
    run(${program} ${ARGN})
    require("${last_output}" "${expected}" "${program}")
    message(STATUS "${program}: ${last_output}")
endfunction()

# courier-test.pc, moved to the extracted tree the same way: a test program with its flags alone.
file(GLOB_RECURSE test_pc ${root}/usr/lib/courier-test.pc)
if(NOT test_pc)
    message(FATAL_ERROR "not extracted: courier-test.pc")
endif()
file(READ ${test_pc} content)
string(REGEX REPLACE "\nprefix=/usr\n" "\nprefix=${root}/usr\n" content "${content}")
file(WRITE ${WORK_DIR}/pkgconfig/courier-test.pc "${content}")
run(pkg-config --cflags --libs courier-test)
set(test_pc_flags "${last_output}")
require("${test_pc_flags}" "-lcourier-qt6-test( |$)" "pkg-config --libs courier-test")
require("${test_pc_flags}" "-lcourier-qt6( |$)" "pkg-config --libs courier-test")
separate_arguments(test_pc_flags UNIX_COMMAND "${test_pc_flags}")
run(${CXX} -std=c++17 ${sanitize_flags} ${SOURCE_DIR}/main_test.cpp ${test_pc_flags} -o ${WORK_DIR}/consumer-test-pkgconfig)

# Without CMake: the consumer's main.cpp with courier.pc's flags.
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
run(${CXX} -std=c++17 ${sanitize_flags} ${SOURCE_DIR}/main.cpp ${pc_flags} -o ${WORK_DIR}/consumer-pkgconfig)
run_program(${WORK_DIR}/consumer-pkgconfig "Not Found" ${WORK_DIR}/consumer-pkgconfig)
run_program(${WORK_DIR}/consumer-test-pkgconfig "MockServer: mocked 200, GET, reset" ${WORK_DIR}/consumer-test-pkgconfig)

# With CMake: the consumer project, find_package(Courier <project version>) in the extracted tree.
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${app_build} -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX}
    "-DCMAKE_CXX_FLAGS=${sanitize_flags}" -DCMAKE_PREFIX_PATH=${root}/usr -DCOURIER_VERSION=${VERSION})
file(STRINGS ${app_build}/CMakeCache.txt courier_dir REGEX "^Courier_DIR:")
require("${courier_dir}" "=${libdir}/cmake/Courier$" "the consumer's Courier_DIR")
run(${CMAKE_COMMAND} --build ${app_build})
run_program(${app_build}/consumer "Not Found" ${app_build}/consumer)

# The QML modules, imported from the extracted tree: Courier, and Courier.Test in its Test folder.
if(QML)
    file(GLOB_RECURSE qmldir ${root}/usr/lib/qmldir)
    list(FILTER qmldir INCLUDE REGEX "/Courier/qmldir$") # not Courier/Test's
    get_filename_component(module_dir ${qmldir} DIRECTORY)
    get_filename_component(import_dir ${module_dir} DIRECTORY)
    set(ENV{QML_IMPORT_PATH} ${import_dir})
    # consumer_qml does not link Courier: the modules' plugins, loaded from ${module_dir}, do.
    run_program(${app_build}/consumer_qml "QML: Not Found, 1, 2" ${module_dir}/libCourierQmlPlugin.so)
    run_program(${app_build}/consumer_qml "QML: Not Found, 1, 2\nCourier.Test: MockServer listening"
                ${module_dir}/Test/libCourierTestQmlPlugin.so Courier.Test)
endif()
