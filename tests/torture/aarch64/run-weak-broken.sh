#!/bin/bash
# run-weak-broken.sh - the AArch64 variants of ../run-weak-broken.sh:
# excl and mp built without their barriers must fail under the
# interpreter's weak=on (tests/torture/README.md, "AArch64").  Usage and
# environment: as ../run-weak-broken.sh (ELF_DIR defaults to
# tests/torture/aarch64).
TORTURE_ARCH=aarch64 exec bash "$(dirname "$0")/../run-weak-broken.sh" "$@"
