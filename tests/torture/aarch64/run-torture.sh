#!/bin/bash
# run-torture.sh - loom's AArch64 MTTCG torture tests (torture.list
# here), run by ../run-torture.sh with TORTURE_ARCH=aarch64: every test
# on every back-end in both thread modes, on tests/fixtures/machines/
# aarch64-bare.machine with -semihosting.  Usage and environment: as
# ../run-torture.sh (ELF_DIR defaults to tests/torture/aarch64).
TORTURE_ARCH=aarch64 exec bash "$(dirname "$0")/../run-torture.sh" "$@"
