/* Reader for "newc" cpio archives (magic 070701, or 070702 with a checksum
 * of regular files' data), the format of the initramfs. Pure code: it only
 * parses a buffer, never allocates, never reads outside [buf, buf + len). */
#ifndef KERNEL_FS_CPIO_H
#define KERNEL_FS_CPIO_H
#include "kernel/types.h"

#define CPIO_HDR_LEN 110        /* 6 bytes of magic + 13 fields of 8 hex digits */
#define CPIO_TRAILER "TRAILER!!!"

/* One archive member. name and data point into the archive buffer. */
struct cpio_entry {
	const char *name;       /* NUL-terminated inside the archive */
	size_t namelen;         /* without the NUL */
	u32 mode, uid, gid, nlink, mtime;
	const u8 *data;         /* file contents, or symlink target (not NUL-terminated) */
	size_t size;
	/* Less used fields: hard links share (ino, devmajor, devminor);
	 * device nodes carry their device number in rdevmajor/rdevminor. */
	u32 ino, devmajor, devminor, rdevmajor, rdevminor;
};

/*
 * Parse the entry at *off. Returns 1 and fills *e (advancing *off to the
 * next entry), 0 at the "TRAILER!!!" entry (advancing *off past it, so a
 * further call reads a following concatenated archive) or at a clean end
 * of the buffer (NUL padding up to len; *off becomes len), or -EINVAL for
 * malformed input (*off is then left unchanged).
 */
int cpio_next(const u8 *buf, size_t len, size_t *off, struct cpio_entry *e);

#endif
