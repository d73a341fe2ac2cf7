# CPack: `cpack` in a build directory makes a Debian package of what `cmake --install` installs,
# examples excepted: the library, its headers, the CMake package, the pkg-config file and, with
# COURIER_BUILD_QML, the QML module. Tests and benchmarks install nothing. Included at the end of the
# top-level CMakeLists.txt, once every install rule is known; tests/consumer/package.cmake checks
# the package (ctest -R package).
if(NOT PROJECT_IS_TOP_LEVEL)
    return() # inside another project, packaging is that project's business
endif()

set(CPACK_GENERATOR DEB)

# Named libcourier-dev: the package is what a program is built against (headers, CMake package,
# pkg-config file, and a dependency on qt6-base-dev), which Debian calls lib<name>-dev. It also
# carries the shared library and the QML module, which a Debian archive would split into
# libcourier0.1 and a qml6-module-courier package; one package keeps the install to one step while
# the library promises no binary compatibility across minor versions (SOVERSION is major.minor).
set(CPACK_PACKAGE_NAME libcourier-dev)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION}) # no Debian revision: the version is the project's
set(CPACK_PACKAGE_VENDOR "Courier developers")
set(CPACK_PACKAGE_CONTACT "Courier developers <courier@localhost>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Courier wraps QNetworkAccessManager: one request is one streaming Response with a categorised error, timeouts, safe redirects, authentication, cookies, a cache and retries. This package holds the shared library, its headers, the CMake package (find_package(Courier)), the pkg-config file (courier.pc) and the QML module (import Courier) when it was built.")
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # <name>_<version>_<architecture>.deb
# Debian packages install below /usr (CPack's default for DEB, stated here). The directories below
# it are the configured GNUInstallDirs ones: configure with -DCMAKE_INSTALL_PREFIX=/usr to get
# Debian's lib/<multiarch> layout, where Debian's Qt finds the QML module without QML_IMPORT_PATH.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Binaries are stripped, as in Debian packages (4.5 MB instead of 240 kB for RelWithDebInfo); the
# build tree keeps the debugging information.
set(CPACK_STRIP_FILES ON)

# Depends: the run-time libraries, found by dpkg-shlibdeps (dpkg-dev) in the packaged binaries
# (libqt6core6, libqt6network6, libqt6qml6 for the QML module, libc6, libstdc++6, ...), and the
# Qt headers and CMake files that Courier's headers and CourierConfig.cmake need. Not
# qt6-declarative-dev: the QML module ships no headers and no CMake target, it is only loaded at
# run time, and libqt6qml6 covers that.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-base-dev (>= ${Qt6_VERSION_MAJOR}.${Qt6_VERSION_MINOR})")
if(COURIER_HAS_CURL)
    # dpkg-shlibdeps asks only for the symbols' libcurl4 (>= 7.18); the engine needs the options
    # of the version it was built against (7.85 at least).
    string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libcurl4 (>= ${CURL_VERSION_STRING})")
endif()
# A shlibs file for packages built against this one, and the ldconfig trigger for the library.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)

# Only the default install component: the examples install into component "examples".
set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};${PROJECT_NAME};Unspecified;/")

include(CPack)
