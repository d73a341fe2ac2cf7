# SPDX-FileCopyrightText: 2026 The Courier developers
# SPDX-License-Identifier: MIT
#
# Read by cpack (CPACK_PROJECT_CONFIG_FILE). CPack sets the summary to the project's description and
# would put it before each package's own first line; without it, each package's description
# (cmake/Packaging.cmake) starts with its own synopsis, as Debian wants.
unset(CPACK_PACKAGE_DESCRIPTION_SUMMARY)
