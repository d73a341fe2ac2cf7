# ctest "package": makes the Debian package with cpack (cmake/Packaging.cmake), checks its fields,
# its contents and that its dependencies are installable here (apt-get --simulate: nothing is
# installed), extracts it, and builds and runs against the extracted tree the consumer project
# (find_package), tests/consumer/main.cpp compiled with the flags of the packaged courier.pc, and,
# with the QML module, the QML consumer. LD_LIBRARY_PATH makes them load the packaged library.
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR CPACK CXX VERSION QML)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "${var} is not set")
    endif()
endforeach()
set(name libcourier-dev) # CPACK_PACKAGE_NAME

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

# The package, made in the build tree as `cpack` makes it there; written below WORK_DIR.
run(${CPACK} --config ${BUILD_DIR}/CPackConfig.cmake -B ${WORK_DIR}/cpack)
file(GLOB deb ${WORK_DIR}/cpack/*.deb)
list(LENGTH deb count)
if(NOT count EQUAL 1)
    message(FATAL_ERROR "cpack made ${count} .deb files, not one: ${deb}")
endif()
file(SIZE ${deb} size)
message(STATUS "package: ${deb} (${size} bytes)")

# Fields: name, the project's version, this machine's architecture, and Depends from
# dpkg-shlibdeps (Qt's run-time libraries) plus qt6-base-dev for Courier's headers.
run(dpkg-deb --info ${deb})
message(STATUS "dpkg-deb --info:\n${last_output}")
run(dpkg --print-architecture)
set(arch ${last_output})
foreach(field Package Version Architecture Depends Maintainer Description)
    run(dpkg-deb --field ${deb} ${field})
    set(${field} "${last_output}")
endforeach()
if(NOT Package STREQUAL name OR NOT Version STREQUAL VERSION OR NOT Architecture STREQUAL arch)
    message(FATAL_ERROR "package ${Package} ${Version} ${Architecture}, expected ${name} ${VERSION} ${arch}")
endif()
get_filename_component(deb_name ${deb} NAME)
if(NOT deb_name STREQUAL "${name}_${VERSION}_${arch}.deb")
    message(FATAL_ERROR "package file named ${deb_name}")
endif()
set(expected_depends libc6 libstdc\\+\\+6 libqt6core6 libqt6network6 qt6-base-dev)
if(QML)
    list(APPEND expected_depends libqt6qml6)
endif()
# The libcurl engine's libraries, and libcurl at least as new as the one built against.
file(STRINGS ${BUILD_DIR}/include/Courier/version.h with_curl REGEX "define COURIER_HAS_CURL 1")
if(with_curl)
    list(APPEND expected_depends libssl3)
    require("${Depends}" "(^|, )libcurl4 \\(>= 7\\.(8[5-9]|9[0-9])" "Depends")
endif()
foreach(dependency ${expected_depends})
    require("${Depends}" "(^|, )${dependency}( |,|$)" "Depends")
endforeach()
if(NOT Maintainer OR NOT Description)
    message(FATAL_ERROR "no Maintainer or no Description")
endif()

# Contents: the library, headers, CMake package, pkg-config file and QML module; nothing else
# (no examples, tests or benchmarks, so nothing in bin/).
run(dpkg-deb --contents ${deb})
set(contents "${last_output}")
string(REGEX REPLACE "[^\n]* \\./" "./" files "${contents}") # drop mode, owner, size, date
message(STATUS "dpkg-deb --contents:\n${files}")
string(REPLACE "." "\\." v "${VERSION}")
set(expected_files
    "/usr/include/Courier/Client\n" "/usr/include/Courier/client\\.h\n"
    "/usr/include/Courier/version\\.h\n" "/usr/include/Courier/courier_export\\.h\n"
    "/usr/lib/([^/\n]+/)?libCourier\\.so\\.${v}\n" "/usr/lib/([^/\n]+/)?libCourier\\.so -> "
    "/usr/lib/([^/\n]+/)?cmake/Courier/CourierConfig\\.cmake\n"
    "/usr/lib/([^/\n]+/)?cmake/Courier/CourierConfigVersion\\.cmake\n"
    "/usr/lib/([^/\n]+/)?cmake/Courier/CourierTargets\\.cmake\n"
    "/usr/lib/([^/\n]+/)?pkgconfig/courier\\.pc\n")
if(QML)
    list(APPEND expected_files "/qt6/qml/Courier/qmldir\n" "/qt6/qml/Courier/libCourierQmlPlugin\\.so\n")
endif()
foreach(file ${expected_files})
    require("${files}\n" "${file}" "dpkg-deb --contents")
endforeach()
string(REGEX MATCHALL "\\./[^\n]*" entries "${files}")
foreach(entry ${entries})
    if(NOT entry MATCHES "^\\./(usr/((include|lib)(/[^\n]*)?)?)?/?( -> [^\n]*)?$")
        message(FATAL_ERROR "unexpected in the package: ${entry}")
    endif()
    if(entry MATCHES "fetch|bench|tst_|/bin/")
        message(FATAL_ERROR "an example, test or benchmark is in the package: ${entry}")
    endif()
endforeach()

# Its dependencies are installable here: apt resolves them without installing anything.
run(apt-get install --simulate --no-install-recommends ${deb})
require("${last_output}" "Inst ${name} |${name} is already the newest version" "apt-get --simulate")
message(STATUS "apt-get install --simulate: installable")

# The extracted tree: /usr of the package below ${root}.
run(dpkg-deb -x ${deb} ${root})
file(GLOB_RECURSE library LIST_DIRECTORIES false ${root}/usr/lib/libCourier.so.${VERSION})
file(GLOB_RECURSE pc ${root}/usr/lib/courier.pc)
if(NOT library OR NOT pc)
    message(FATAL_ERROR "not extracted: libCourier.so.${VERSION} or courier.pc")
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
require("${pc_flags}" "-lCourier" "pkg-config --libs")
require("${pc_flags}" "-lQt6Network" "pkg-config --libs")
message(STATUS "pkg-config --cflags --libs courier: ${pc_flags}")

# The programs load the packaged library: LD_LIBRARY_PATH comes before their RUNPATH.
set(ENV{LD_LIBRARY_PATH} ${libdir})
set(ENV{QT_QPA_PLATFORM} offscreen)
function(run_program program expected linked)
    run(ldd ${linked})
    require("${last_output}" "libCourier\\.so[.0-9]* => ${libdir}/" "ldd ${linked}")
    run(${program})
    require("${last_output}" "${expected}" "${program}")
    message(STATUS "${program}: ${last_output}")
endfunction()

# Without CMake: the consumer's main.cpp with courier.pc's flags.
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
run(${CXX} -std=c++17 ${sanitize_flags} ${SOURCE_DIR}/main.cpp ${pc_flags} -o ${WORK_DIR}/consumer-pkgconfig)
run_program(${WORK_DIR}/consumer-pkgconfig "Not Found" ${WORK_DIR}/consumer-pkgconfig)

# With CMake: the consumer project, find_package(Courier <project version>) in the extracted tree.
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${app_build} -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX}
    "-DCMAKE_CXX_FLAGS=${sanitize_flags}" -DCMAKE_PREFIX_PATH=${root}/usr -DCOURIER_VERSION=${VERSION})
file(STRINGS ${app_build}/CMakeCache.txt courier_dir REGEX "^Courier_DIR:")
require("${courier_dir}" "=${libdir}/cmake/Courier$" "the consumer's Courier_DIR")
run(${CMAKE_COMMAND} --build ${app_build})
run_program(${app_build}/consumer "Not Found" ${app_build}/consumer)

# The QML module, imported from the extracted tree.
if(QML)
    file(GLOB_RECURSE qmldir ${root}/usr/lib/qmldir)
    get_filename_component(module_dir ${qmldir} DIRECTORY)
    get_filename_component(import_dir ${module_dir} DIRECTORY)
    set(ENV{QML_IMPORT_PATH} ${import_dir})
    # consumer_qml does not link Courier: the module's plugin, loaded from ${module_dir}, does.
    run_program(${app_build}/consumer_qml "QML: Not Found, 1, 2" ${module_dir}/libCourierQmlPlugin.so)
endif()
