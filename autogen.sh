#!/bin/sh
# Generate ./configure and Makefile.in from configure.ac and Makefile.am.
set -e
cd "$(dirname "$0")"
for tool in autoreconf aclocal pkg-config; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "autogen.sh: $tool not found: run scripts/install-deps.sh (or apt-get install autoconf automake pkg-config)" >&2
        exit 1
    }
done
autoreconf --install --force "$@"
