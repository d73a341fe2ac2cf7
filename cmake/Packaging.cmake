# SPDX-FileCopyrightText: 2026 The Courier developers
# SPDX-License-Identifier: MIT
#
# CPack: `cpack` in a build directory makes three Debian packages of what `cmake --install` installs
# (examples excepted), split as Debian splits a library:
#
#   libcourier-qt6-<soversion>   component "runtime": the shared library, runtime dependencies only
#   libcourier-qt6-dev           component "development": headers, the .so link, the CMake package
#                                and the pkg-config files; Courier::Test (MockServer, a static
#                                library for applications' tests); depends on the runtime package
#   qml6-module-courier          component "qml": the QML module (import Courier), named as Debian
#                                names Qt 6 QML modules (qml6-module-<URI>), and beside it, with
#                                the Test library, Courier.Test (MockServer for Qt Quick tests)
#
# The library is libcourier-qt6.so (src/CMakeLists.txt), so no name can be taken for one of the
# Courier mail server's (courier-*, libcourier-unicode*). Each package carries a machine-readable
# copyright file and a changelog in /usr/share/doc/<package>/. Included at the end of the
# top-level CMakeLists.txt, once every install rule is known; the ctest entry "package"
# (tests/consumer/package.cmake) checks the packages and runs lintian, and scripts/package-roundtrip
# installs them on the machine, builds and runs consumers against /usr, and removes them.
if(NOT PROJECT_IS_TOP_LEVEL)
    return() # inside another project, packaging is that project's business
endif()

set(COURIER_PACKAGE_CONTACT "The Courier developers <courier@example.org>" CACHE STRING
    "Maintainer of the Debian packages (a distributor sets its own)")

set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime development)
if(COURIER_BUILD_QML)
    list(APPEND CPACK_COMPONENTS_ALL qml)
endif()

# The runtime package is named after the soname (Debian policy 8.1): the library promises binary
# compatibility within a minor version (SOVERSION is major.minor), so 0.1 and 0.2 install side by
# side. A soname ending in a digit gets a hyphen before the version.
set(courier_soversion ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
set(courier_runtime_package libcourier-qt6-${courier_soversion})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${courier_runtime_package})
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libcourier-qt6-dev)
set(CPACK_DEBIAN_QML_PACKAGE_NAME qml6-module-courier)

set(CPACK_PACKAGE_NAME courier-qt6) # the source package's name
set(CPACK_DEBIAN_PACKAGE_SOURCE courier-qt6)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION}) # native: no Debian revision
set(CPACK_PACKAGE_VENDOR "The Courier developers")
set(CPACK_PACKAGE_CONTACT "${COURIER_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${COURIER_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # <name>_<version>_<architecture>.deb
# Descriptions: a synopsis per package, then the extended description, in lines of at most 80
# characters, as lintian wants them. Extended descriptions: lines of at most 80 characters, as lintian wants them.
set(courier_about "Courier wraps QNetworkAccessManager: one request is one streaming Response
with a categorised error, timeouts, safe redirects, authentication, cookies,
a cache and retries, on Qt's HTTP engine or on libcurl. It is not related to
the Courier mail server.")
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "Asynchronous HTTP client for Qt 6 - shared library
${courier_about}

This package contains the shared library.")
set(CPACK_DEBIAN_DEVELOPMENT_DESCRIPTION "Asynchronous HTTP client for Qt 6 - development files
${courier_about}

This package contains the headers, the CMake package (find_package(Courier))
and the pkg-config file (courier.pc), and Courier::Test: MockServer, a
scriptable HTTP server for the tests of applications that use Courier
(find_package(Courier COMPONENTS Test), courier-test.pc).")
set(CPACK_DEBIAN_QML_DESCRIPTION "Asynchronous HTTP client for Qt 6 - QML module
${courier_about}

This package contains the QML module: import Courier; and Courier.Test, a
scriptable HTTP server for Qt Quick tests: import Courier.Test.")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_QML_PACKAGE_SECTION libs)
# Debian packages install below /usr (CPack's default for DEB, stated here). The directories below
# it are the configured GNUInstallDirs ones: configure with -DCMAKE_INSTALL_PREFIX=/usr to get
# Debian's lib/<multiarch> layout, where Debian's Qt finds the QML module without QML_IMPORT_PATH.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Binaries are stripped, as in Debian packages; the build tree keeps the debugging information.
set(CPACK_STRIP_FILES ON)

# Depends: the runtime and QML packages' from dpkg-shlibdeps (dpkg-dev), which reads the packaged
# binaries (libqt6core6, libqt6network6, libcurl4, libssl3, zlib, ...; libqt6qml6 for the QML
# module). The QML module's libraries link libcourier-qt6, found in the build tree (it is in no
# installed package's shlibs yet, hence the exact Depends below instead).
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_QML_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/src)
set(courier_exact "${courier_runtime_package} (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_QML_PACKAGE_DEPENDS "${courier_exact}")
# The development package: the runtime library it links to, and the Qt headers and CMake files
# that Courier's headers and CourierConfig.cmake need. Not qt6-declarative-dev: the QML module
# ships no headers and no CMake target.
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
    "${courier_exact}, qt6-base-dev (>= ${Qt6_VERSION_MAJOR}.${Qt6_VERSION_MINOR})")
if(COURIER_BUILD_TEST_LIBRARY AND COURIER_TEST_HAS_OPENSSL)
    # The static Courier::Test (MockServer) links libcrypto into the tests built with it.
    string(APPEND CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS ", libssl-dev (>= 3)")
endif()
if(COURIER_HAS_CURL)
    # dpkg-shlibdeps asks for libcurl4 (>= 7.18) from its symbols; the engine sets options of the
    # libcurl it was built against (7.85 at least). Said as Breaks, so Depends lists libcurl4 once.
    set(CPACK_DEBIAN_RUNTIME_PACKAGE_BREAKS "libcurl4 (<< ${CURL_VERSION_STRING})")
endif()

# The runtime package's shlibs file (for packages built against it) and the ldconfig trigger,
# written here rather than by CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS, which would also look for a
# soname in the QML plugin (a plugin has none).
set(courier_control ${PROJECT_BINARY_DIR}/debian-control/runtime)
file(WRITE ${courier_control}/shlibs
    "libcourier-qt6 ${courier_soversion} ${courier_runtime_package} (>= ${PROJECT_VERSION})\n")
file(WRITE ${courier_control}/triggers "activate-noawait ldconfig\n")
# CPack adds postinst and postrm scripts that call ldconfig unless the package brings its own;
# with the trigger they have nothing left to do, so the package's own do nothing.
foreach(script postinst postrm)
    file(WRITE ${courier_control}/${script} "#!/bin/sh\n# ldconfig runs from the trigger (triggers: activate-noawait ldconfig)\nset -e\n")
    file(CHMOD ${courier_control}/${script} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
         GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA ${courier_control}/shlibs ${courier_control}/triggers
    ${courier_control}/postinst ${courier_control}/postrm)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# /usr/share/doc/<package>/: the copyright file (DEP-5, MIT) and the changelog (gzip -9n, no
# timestamp), in each package. EXCLUDE_FROM_ALL: only the per-component installs of cpack take
# them, not a plain `cmake --install`.
configure_file(${PROJECT_SOURCE_DIR}/cmake/debian/changelog.in ${PROJECT_BINARY_DIR}/debian-doc/changelog @ONLY)
find_program(COURIER_GZIP gzip)
if(COURIER_GZIP)
    execute_process(COMMAND ${COURIER_GZIP} -9nf ${PROJECT_BINARY_DIR}/debian-doc/changelog
                    RESULT_VARIABLE gzipped)
    foreach(component IN LISTS CPACK_COMPONENTS_ALL)
        string(TOUPPER ${component} upper)
        install(FILES ${PROJECT_SOURCE_DIR}/cmake/debian/copyright ${PROJECT_BINARY_DIR}/debian-doc/changelog.gz
                DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${CPACK_DEBIAN_${upper}_PACKAGE_NAME}
                COMPONENT ${component} EXCLUDE_FROM_ALL)
    endforeach()
endif()

set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/cmake/debian/cpackconfig.cmake)

include(CPack)
