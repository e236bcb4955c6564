/* Unpacking the initramfs into the root file system (Linux: init/
 * initramfs.c), through the same VFS calls user space uses. Regular files
 * are not copied: their inodes point into the archive, which stays in
 * memory, and pages are copied into the page cache when first used. */
#include "kernel/fs/ramfs.h"
#include "kernel/fs/cpio.h"
#include "kernel/fs/init.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/file.h"
#include "kernel/string.h"
#include "mm/slab.h"

/* Files with nlink > 1 already met in this archive, by (ino, dev). */
struct hardlink {
	struct hardlink *next;
	u32 ino, major, minor;
	char path[];
};

static void free_hardlinks(struct hardlink **list)
{
	while (*list) {
		struct hardlink *h = *list;
		*list = h->next;
		kfree(h);
	}
}

static struct hardlink *find_hardlink(struct hardlink *h, const struct cpio_entry *e)
{
	for (; h; h = h->next)
		if (h->ino == e->ino && h->major == e->devmajor && h->minor == e->devminor)
			return h;
	return NULL;
}

static int remember_hardlink(struct hardlink **list, const struct cpio_entry *e, const char *path)
{
	size_t len = strlen(path);
	struct hardlink *h = kmalloc(sizeof(*h) + len + 1);

	if (!h)
		return -ENOMEM;
	h->ino = e->ino;
	h->major = e->devmajor;
	h->minor = e->devminor;
	memcpy(h->path, path, len + 1);
	h->next = *list;
	*list = h;
	return 0;
}

/* "./a/b", "/a/b" and "a/b" all become "/a/b"; "" is the root. */
static int entry_path(const struct cpio_entry *e, char *out)
{
	const char *name = e->name;
	size_t len = e->namelen;

	for (;;) {
		if (len >= 1 && name[0] == '/') {
			name++, len--;
		} else if (len >= 2 && name[0] == '.' && name[1] == '/') {
			name += 2, len -= 2;
		} else {
			break;
		}
	}
	while (len && name[len - 1] == '/')
		len--;
	if (len == 1 && name[0] == '.')
		len = 0;
	if (len + 2 > PATH_MAX)
		return -ENAMETOOLONG;
	out[0] = '/';
	memcpy(out + 1, name, len);
	out[len + 1] = 0;
	return 0;
}

/* mkdir -p of path's parent directories. */
static int make_parents(char *path)
{
	for (char *s = path + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		int err = init_mkdir(path, 0755);
		*s = '/';
		if (err && err != -EEXIST)
			return err;
	}
	return 0;
}

static bool is_dir(const char *path, unsigned int follow)
{
	struct path p;

	if (kern_path(path, follow, &p))
		return false;
	bool dir = S_ISDIR(p.dentry->d_inode->i_mode);
	path_put(&p);
	return dir;
}

static bool exists(const char *path)
{
	struct path p;

	if (kern_path(path, 0, &p))
		return false;
	path_put(&p);
	return true;
}

static int create_file(const char *path, const struct cpio_entry *e, struct hardlink **links)
{
	struct hardlink *h = e->nlink > 1 ? find_hardlink(*links, e) : NULL;
	int err;

	if (h) {
		/* newc stores the data with the last name only. */
		err = init_link(h->path, path);
	} else {
		err = init_mknod(path, S_IFREG | 0600, 0);
		if (!err && e->nlink > 1)
			err = remember_hardlink(links, e, path);
	}
	if (err || !e->size)
		return err;
	struct file *f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	err = ramfs_set_backing(f->f_inode, e->data, e->size);
	fput(f);
	return err;
}

static int create_symlink(const char *path, const struct cpio_entry *e)
{
	char *target = kmalloc(e->size + 1);

	if (!target)
		return -ENOMEM;
	memcpy(target, e->data, e->size);
	target[e->size] = 0;
	int err = init_symlink(target, path);
	kfree(target);
	return err;
}

static int unpack_entry(const struct cpio_entry *e, struct hardlink **links, char *path)
{
	u32 type = e->mode & S_IFMT;
	int err = entry_path(e, path);

	if (err)
		return err;
	if (!path[1] || (type == S_IFDIR && is_dir(path, LOOKUP_FOLLOW))) {
		/* The root, or a directory over a directory (or a symlink to
		 * one, as Linux merges an overlay's lib/ into usr/lib): only
		 * the attributes change. */
		if (type != S_IFDIR)
			return -EINVAL;
		struct path p;
		if (kern_path(path, LOOKUP_FOLLOW, &p) == 0) {
			struct iattr a = { .ia_valid = ATTR_MODE | ATTR_UID | ATTR_GID | ATTR_MTIME,
					   .ia_mode = e->mode & S_IALLUGO, .ia_uid = e->uid,
					   .ia_gid = e->gid, .ia_mtime = { e->mtime, 0 } };
			setattr_copy(p.dentry->d_inode, &a);
			path_put(&p);
		}
		return 0;
	}
	err = make_parents(path);
	if (err)
		return err == -EEXIST ? -ENOTDIR : err;
	if (exists(path) && (err = init_remove(path)))  /* a later entry replaces */
		return err;
	switch (type) {
	case S_IFREG:
		err = create_file(path, e, links);
		break;
	case S_IFDIR:
		err = init_mkdir(path, 0755);
		break;
	case S_IFLNK:
		err = create_symlink(path, e);
		break;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		err = init_mknod(path, type | 0600, MKDEV(e->rdevmajor & 0xfff, e->rdevminor & MINORMASK));
		break;
	default:
		return -EINVAL;
	}
	if (!err && type != S_IFLNK)
		err = init_setattr(path, e->mode & S_IALLUGO, e->uid, e->gid, e->mtime);
	return err;
}

int unpack_to_rootfs(const u8 *buf, size_t len)
{
	struct hardlink *links = NULL;
	struct cpio_entry e;
	size_t off = 0;
	int count = 0, r = 0;
	char *path = kmalloc(PATH_MAX);

	if (!path)
		return -ENOMEM;
	while (off < len) {
		r = cpio_next(buf, len, &off, &e);
		if (r < 0)
			break;
		if (r == 0) { /* trailer: a concatenated archive has its own inode numbers */
			free_hardlinks(&links);
			continue;
		}
		r = unpack_entry(&e, &links, path);
		if (r < 0)
			break;
		count++;
	}
	free_hardlinks(&links);
	kfree(path);
	return r < 0 ? r : count;
}
