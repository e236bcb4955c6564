/* /dev (Linux: drivers/base/devtmpfs.c): the kernel's own tmpfs instance,
 * mounted on /dev at boot (as CONFIG_DEVTMPFS_MOUNT does) and filled with
 * the nodes of the devices it has drivers for. */
#include "kernel/fs/devtmpfs.h"
#include "kernel/fs/init.h"
#include "kernel/fs/fs.h"
#include "kernel/printk.h"

struct devnode {
	const char *name;
	u32 mode, major, minor;
};

static const struct devnode devnodes[] = {
	{ "/dev/null", S_IFCHR | 0666, 1, 3 },
	{ "/dev/zero", S_IFCHR | 0666, 1, 5 },
	{ "/dev/full", S_IFCHR | 0666, 1, 7 },
	{ "/dev/random", S_IFCHR | 0666, 1, 8 },
	{ "/dev/urandom", S_IFCHR | 0666, 1, 9 },
	{ "/dev/tty", S_IFCHR | 0666, 5, 0 },
	{ "/dev/console", S_IFCHR | 0600, 5, 1 },
	{ "/dev/ttyS0", S_IFCHR | 0660, 4, 64 },
	{ "/dev/ptmx", S_IFCHR | 0666, 5, 2 },
};

static const char *const devlinks[][2] = {
	{ "/proc/self/fd", "/dev/fd" },
	{ "/proc/self/fd/0", "/dev/stdin" },
	{ "/proc/self/fd/1", "/dev/stdout" },
	{ "/proc/self/fd/2", "/dev/stderr" },
};

void devtmpfs_init(void)
{
	int err = init_mkdir("/dev", 0755);

	if (err && err != -EEXIST)
		pr_err("devtmpfs: cannot make /dev (error %d)\n", err);
	err = init_mount("devtmpfs", "/dev", "devtmpfs", 0);
	if (err) {
		pr_err("devtmpfs: mount on /dev failed (error %d)\n", err);
		return;
	}
	for (unsigned i = 0; i < sizeof(devnodes) / sizeof(devnodes[0]); i++) {
		const struct devnode *n = &devnodes[i];
		err = init_mknod(n->name, n->mode, MKDEV(n->major, n->minor));
		if (err && err != -EEXIST)
			pr_err("devtmpfs: %s: error %d\n", n->name, err);
		else
			init_setattr(n->name, n->mode & 07777, 0, 0, 0);
	}
	for (unsigned i = 0; i < sizeof(devlinks) / sizeof(devlinks[0]); i++)
		init_symlink(devlinks[i][0], devlinks[i][1]);
	init_mkdir("/dev/pts", 0755);
	init_mkdir("/dev/shm", 01777);
	init_setattr("/dev/shm", 01777, 0, 0, 0);
}
