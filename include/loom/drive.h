/*
 * Block backends ("drives") for device models: a raw image file opened by
 * the core for -drive, or by a device for its own file= property.
 *
 * Lifetime: drives are opened during machine setup and closed by the core
 * at exit; a device never frees one.
 * Threading: the read/write/flush calls are positioned I/O on a file
 * descriptor and may run on any thread; callers serialise requests that
 * must be ordered (virtio-blk runs them under the BQL).
 */
#ifndef LOOM_DRIVE_H
#define LOOM_DRIVE_H

#include <loom/device.h>

typedef struct LoomDrive LoomDrive;

/* The drive given with -drive ...,id=ID, attached to dev.  NULL with *err
   set if there is no such drive or another device already uses it. */
LOOM_API LoomDrive *loom_drive_attach(LoomDevice *dev, const char *id, char **err);
/* Open a raw image for dev (a device's file= property).  NULL with *err
   set, naming the file and the reason. */
LOOM_API LoomDrive *loom_drive_open(LoomDevice *dev, const char *path,
                                    bool read_only, char **err);

/* Size in bytes (fixed when opened). */
LOOM_API uint64_t loom_drive_size(const LoomDrive *d);
LOOM_API bool loom_drive_read_only(const LoomDrive *d);
/* The -drive id, or the file name for a drive opened with file=. */
LOOM_API const char *loom_drive_id(const LoomDrive *d);

/* Transfer len bytes at byte offset off.  False if the range is outside
   the image, the drive is read-only (writes), or the host call failed;
   the reason is logged under -d guest_errors only by the caller. */
LOOM_API bool loom_drive_pread(LoomDrive *d, uint64_t off, void *buf, size_t len);
LOOM_API bool loom_drive_pwrite(LoomDrive *d, uint64_t off, const void *buf, size_t len);
/* Make written data durable (fdatasync).  False if the host call failed. */
LOOM_API bool loom_drive_flush(LoomDrive *d);

#endif /* LOOM_DRIVE_H */
