/* newc cpio archive reader: walks the entries of an in-memory archive
 * (the initramfs) with bounds checks on every header, name and data. */
#include "kernel/fs/cpio.h"
#include "kernel/fs/stat.h"
#include "kernel/errno.h"
#include "kernel/string.h"

/* Header field order after the 6-byte magic; each is 8 hex digits. */
enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
	NR_FIELDS
};

/* Parse 8 hex digits at s into *val. Returns 0, or -EINVAL on a non-hex digit. */
static int parse_hex8(const u8 *s, u32 *val)
{
	u32 v = 0;

	for (int i = 0; i < 8; i++) {
		u8 c = s[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = (v << 4) | d;
	}
	*val = v;
	return 0;
}

/* newc pads the header+name and the data to multiples of 4 bytes. */
static size_t pad4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

int cpio_next(const u8 *buf, size_t len, size_t *off, struct cpio_entry *e)
{
	u32 f[NR_FIELDS];
	size_t pos = *off, name_off, name_end, data_off, next;
	bool crc;

	if (pos > len)
		return -EINVAL;

	/* NUL padding between or after archives; end of buffer is a clean end. */
	while (pos < len && buf[pos] == 0)
		pos++;
	if (pos == len) {
		*off = len;
		return 0;
	}
	if (pos & 3)
		return -EINVAL;         /* a header must start 4-byte aligned */
	if (len - pos < CPIO_HDR_LEN)
		return -EINVAL;         /* truncated header */

	if (memcmp(buf + pos, "070701", 6) == 0)
		crc = false;
	else if (memcmp(buf + pos, "070702", 6) == 0)
		crc = true;
	else
		return -EINVAL;         /* not newc (e.g. old "070707" odc format) */

	for (int i = 0; i < NR_FIELDS; i++)
		if (parse_hex8(buf + pos + 6 + 8 * i, &f[i]) < 0)
			return -EINVAL;

	/* The name (namesize counts its NUL) follows the header. */
	name_off = pos + CPIO_HDR_LEN;
	if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > len - name_off)
		return -EINVAL;
	name_end = name_off + f[F_NAMESIZE];
	if (buf[name_end - 1] != 0)
		return -EINVAL;         /* name not NUL-terminated */
	if (strnlen((const char *)buf + name_off, f[F_NAMESIZE]) != f[F_NAMESIZE] - 1)
		return -EINVAL;         /* NUL inside the name */

	/* Data starts at the next 4-byte boundary and must fit in the buffer.
	 * An empty entry may end the buffer without its padding. */
	data_off = pad4(name_end);
	if (f[F_FILESIZE] != 0) {
		if (data_off > len || f[F_FILESIZE] > len - data_off)
			return -EINVAL;
	} else if (data_off > len) {
		data_off = len;
	}
	next = pad4(data_off + f[F_FILESIZE]);
	if (next > len)
		next = len;             /* final padding may be cut off */

	if (crc && S_ISREG(f[F_MODE])) {
		/* 070702: for regular files the check field is the 32-bit sum
		 * of the data bytes (GNU cpio leaves 0 in other entries). */
		u32 sum = 0;

		for (size_t i = 0; i < f[F_FILESIZE]; i++)
			sum += buf[data_off + i];
		if (sum != f[F_CHECK])
			return -EINVAL;
	}

	e->name = (const char *)buf + name_off;
	e->namelen = f[F_NAMESIZE] - 1;
	e->mode = f[F_MODE];
	e->uid = f[F_UID];
	e->gid = f[F_GID];
	e->nlink = f[F_NLINK];
	e->mtime = f[F_MTIME];
	e->data = buf + data_off;
	e->size = f[F_FILESIZE];
	e->ino = f[F_INO];
	e->devmajor = f[F_DEVMAJOR];
	e->devminor = f[F_DEVMINOR];
	e->rdevmajor = f[F_RDEVMAJOR];
	e->rdevminor = f[F_RDEVMINOR];
	*off = next;

	if (e->namelen == sizeof(CPIO_TRAILER) - 1 &&
	    memcmp(e->name, CPIO_TRAILER, e->namelen) == 0)
		return 0;
	return 1;
}
