/* loom plugin-facing API: include this from a plugin. */
#ifndef LOOM_LOOM_H
#define LOOM_LOOM_H
#include <loom/plugin.h>
#include <loom/ir.h>
#include <loom/cpu.h>
#include <loom/frontend.h>
#include <loom/backend.h>
#include <loom/device.h>
#endif
