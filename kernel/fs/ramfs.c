/* ramfs: in-memory inodes and directories, path lookup with symlinks, and
 * the initramfs unpacker. Directories are plain lists of names (initramfs
 * trees are small); file contents usually point straight into the initrd. */
#include "kernel/fs/ramfs.h"
#include "kernel/fs/cpio.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/slab.h"

/* Largest file ramfs_write/truncate make (and a bound that keeps the
 * size arithmetic far from overflowing). */
#define RAMFS_MAX_FILE ((u64)1 << 40)

static struct inode root_inode;
static bool ramfs_ready;
static u64 next_ino = 2;        /* the root is inode 1 */

/* ---- inodes and references ---------------------------------------------- */

int ramfs_init(void)
{
	if (ramfs_ready)
		return 0;
	root_inode.i_ino = 1;
	root_inode.i_mode = S_IFDIR | 0755;
	root_inode.i_nlink = 2;
	root_inode.refcount = 1;        /* permanent */
	root_inode.parent = &root_inode;
	spin_lock_init(&root_inode.i_lock);
	INIT_LIST_HEAD(&root_inode.children);
	ramfs_ready = true;
	return 0;
}

struct inode *ramfs_root(void)
{
	ramfs_init();
	return &root_inode;
}

/* A new unlinked inode with one reference (the caller's). */
static struct inode *new_inode(u32 mode)
{
	struct inode *inode = kzalloc(sizeof(*inode));

	if (!inode)
		return NULL;
	inode->i_ino = __atomic_fetch_add(&next_ino, 1, __ATOMIC_RELAXED);
	inode->i_mode = mode;
	inode->refcount = 1;
	spin_lock_init(&inode->i_lock);
	INIT_LIST_HEAD(&inode->children);
	return inode;
}

/* Free an inode nobody uses or names any more. Returns the directory whose
 * reference it held (its parent), for the caller to drop, or NULL. */
void (*ramfs_release_hook)(struct inode *inode);

static struct inode *release_inode(struct inode *inode)
{
	struct inode *parent = NULL;

	if (ramfs_release_hook)
		ramfs_release_hook(inode);
	if (S_ISDIR(inode->i_mode) && inode->parent != inode)
		parent = inode->parent;
	if (inode->i_data_owned)
		kfree(inode->i_data);
	kfree(inode->i_link);
	kfree(inode);
	return parent;
}

struct inode *ramfs_get(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	inode->refcount++;
	spin_unlock(&inode->i_lock);
	return inode;
}

void ramfs_put(struct inode *inode)
{
	/* A loop, not recursion: freeing a removed directory drops its
	 * reference to its (possibly also removed) parent. */
	while (inode) {
		bool dead;

		spin_lock(&inode->i_lock);
		inode->refcount--;
		dead = inode->refcount == 0 && inode->i_nlink == 0 &&
		       inode != &root_inode;
		spin_unlock(&inode->i_lock);
		if (!dead)
			return;
		inode = release_inode(inode);
	}
}

/* ---- directories --------------------------------------------------------- */

static bool is_dot(const char *name, size_t len)
{
	return len == 1 && name[0] == '.';
}

static bool is_dotdot(const char *name, size_t len)
{
	return len == 2 && name[0] == '.' && name[1] == '.';
}

/* The entry called name in dir, or NULL. Caller holds dir->i_lock. */
static struct ramfs_dentry *find_dentry(struct inode *dir, const char *name, size_t len)
{
	struct list_head *p;

	list_for_each(p, &dir->children) {
		struct ramfs_dentry *d = list_entry(p, struct ramfs_dentry, d_child);

		if (d->d_namelen == len && memcmp(d->d_name, name, len) == 0)
			return d;
	}
	return NULL;
}

struct inode *ramfs_lookup(struct inode *dir, const char *name, size_t len)
{
	struct ramfs_dentry *d;
	struct inode *child = NULL;

	if (!dir || !S_ISDIR(dir->i_mode))
		return NULL;
	if (is_dot(name, len))
		return ramfs_get(dir);
	if (is_dotdot(name, len)) {
		/* dir holds a reference to its parent, and the caller one to
		 * dir, so the parent stays alive after the unlock. A removed
		 * directory has no ".." any more. */
		spin_lock(&dir->i_lock);
		child = dir->i_nlink ? dir->parent : NULL;
		spin_unlock(&dir->i_lock);
		return child ? ramfs_get(child) : NULL;
	}

	spin_lock(&dir->i_lock);
	d = find_dentry(dir, name, len);
	if (d) {
		child = d->d_inode;
		spin_lock(&child->i_lock);
		child->refcount++;
		spin_unlock(&child->i_lock);
	}
	spin_unlock(&dir->i_lock);
	return child;
}

/* Checks a name for a new directory entry. */
static int check_name(const char *name, size_t len)
{
	if (len == 0)
		return -EINVAL;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	if (is_dot(name, len) || is_dotdot(name, len))
		return -EEXIST;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == '\0')
			return -EINVAL;
	return 0;
}

/* Link inode into dir as name. fresh: inode was just made (nlink 0);
 * otherwise it is an extra hard link to a live file. */
static int add_dentry(struct inode *dir, const char *name, size_t len,
		      struct inode *inode, bool fresh)
{
	struct ramfs_dentry *d;
	int err;

	err = check_name(name, len);
	if (err)
		return err;
	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	d = kmalloc(sizeof(*d) + len + 1);
	if (!d)
		return -ENOMEM;
	memcpy(d->d_name, name, len);
	d->d_name[len] = '\0';
	d->d_namelen = len;
	d->d_inode = inode;

	spin_lock(&dir->i_lock);
	if (dir->i_nlink == 0)
		err = -ENOENT;          /* dir was removed */
	else if (find_dentry(dir, name, len))
		err = -EEXIST;
	if (err) {
		spin_unlock(&dir->i_lock);
		kfree(d);
		return err;
	}
	spin_lock(&inode->i_lock);
	if (!fresh && inode->i_nlink == 0) {
		err = -ENOENT;          /* linking a file already deleted */
	} else if (S_ISDIR(inode->i_mode)) {
		inode->i_nlink = 2;     /* its name and its "." */
		inode->parent = dir;
		dir->refcount++;        /* held by inode->parent */
		dir->i_nlink++;         /* the child's ".." */
	} else {
		inode->i_nlink++;
	}
	if (!err)
		list_add_tail(&d->d_child, &dir->children);
	spin_unlock(&inode->i_lock);
	spin_unlock(&dir->i_lock);
	if (err)
		kfree(d);
	return err;
}

int ramfs_create(struct inode *dir, const char *name, size_t len, u32 mode,
		 struct inode **out)
{
	struct inode *inode;
	u32 type = mode & S_IFMT;
	int err;

	if (type == 0)
		type = S_IFREG;
	if (type != S_IFREG && type != S_IFDIR && type != S_IFLNK &&
	    type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
	    type != S_IFSOCK)
		return -EINVAL;
	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	err = check_name(name, len);
	if (err)
		return err;

	inode = new_inode(type | (mode & S_IALLUGO));
	if (!inode)
		return -ENOMEM;
	err = add_dentry(dir, name, len, inode, true);
	if (err) {
		kfree(inode);           /* never visible to anyone */
		return err;
	}
	if (out)
		*out = inode;
	else
		ramfs_put(inode);
	return 0;
}

int ramfs_symlink(struct inode *dir, const char *name, size_t len,
		  const char *target, size_t tlen, struct inode **out)
{
	struct inode *inode;
	char *link;
	int err;

	tlen = strnlen(target, tlen);   /* a target ends at a NUL, if any */
	if (tlen == 0)
		return -ENOENT;
	if (tlen >= PATH_MAX)
		return -ENAMETOOLONG;
	link = kmalloc(tlen + 1);
	if (!link)
		return -ENOMEM;
	memcpy(link, target, tlen);
	link[tlen] = '\0';

	err = ramfs_create(dir, name, len, S_IFLNK | 0777, &inode);
	if (err) {
		kfree(link);
		return err;
	}
	/* Set before anyone can follow it: the target never changes later,
	 * so path walks read it without the lock. */
	spin_lock(&inode->i_lock);
	inode->i_link = link;
	inode->i_size = tlen;
	spin_unlock(&inode->i_lock);
	if (out)
		*out = inode;
	else
		ramfs_put(inode);
	return 0;
}

int ramfs_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	if (S_ISDIR(inode->i_mode))
		return -EPERM;
	return add_dentry(dir, name, len, inode, false);
}

/* Remove entry d of dir. Caller holds dir's and inode's locks; frees d
 * afterwards. Returns true when the inode must be released. */
static bool unlink_locked(struct inode *dir, struct ramfs_dentry *d, struct inode *inode)
{
	list_del(&d->d_child);
	if (S_ISDIR(inode->i_mode)) {
		inode->i_nlink = 0;
		dir->i_nlink--;
	} else {
		inode->i_nlink--;
	}
	return inode->refcount == 0 && inode->i_nlink == 0;
}

enum { RM_NONDIR, RM_EMPTYDIR, RM_ANY_EMPTY };

static int remove_name(struct inode *dir, const char *name, size_t len, int what)
{
	struct ramfs_dentry *d;
	struct inode *inode;
	bool dead = false;
	int err = 0;

	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	if (is_dot(name, len) || is_dotdot(name, len))
		return -EINVAL;
	spin_lock(&dir->i_lock);
	d = find_dentry(dir, name, len);
	if (!d) {
		spin_unlock(&dir->i_lock);
		return -ENOENT;
	}
	inode = d->d_inode;
	spin_lock(&inode->i_lock);
	if (S_ISDIR(inode->i_mode)) {
		if (what == RM_NONDIR)
			err = -EISDIR;
		else if (!list_empty(&inode->children))
			err = -ENOTEMPTY;
	} else if (what == RM_EMPTYDIR) {
		err = -ENOTDIR;
	}
	if (!err)
		dead = unlink_locked(dir, d, inode);
	spin_unlock(&inode->i_lock);
	spin_unlock(&dir->i_lock);
	if (err)
		return err;
	kfree(d);
	if (dead)
		ramfs_put(release_inode(inode));
	return 0;
}

int ramfs_unlink(struct inode *dir, const char *name, size_t len)
{
	return remove_name(dir, name, len, RM_NONDIR);
}

int ramfs_rmdir(struct inode *dir, const char *name, size_t len)
{
	return remove_name(dir, name, len, RM_EMPTYDIR);
}

/* Remove everything below directory top (iteratively: depth-first, one
 * leaf or empty directory at a time, so the kernel stack stays small). */
static void empty_dir(struct inode *top)
{
	struct inode *cur = ramfs_get(top), *child, *up;
	struct ramfs_dentry *d;
	bool dead;

	for (;;) {
		spin_lock(&cur->i_lock);
		if (list_empty(&cur->children)) {
			spin_unlock(&cur->i_lock);
			if (cur == top)
				break;
			/* Back up; the parent then removes cur, now empty. */
			up = ramfs_get(cur->parent);
			ramfs_put(cur);
			cur = up;
			continue;
		}
		d = list_first_entry(&cur->children, struct ramfs_dentry, d_child);
		child = d->d_inode;
		spin_lock(&child->i_lock);
		if (S_ISDIR(child->i_mode) && !list_empty(&child->children)) {
			child->refcount++;      /* descend */
			spin_unlock(&child->i_lock);
			spin_unlock(&cur->i_lock);
			ramfs_put(cur);
			cur = child;
			continue;
		}
		dead = unlink_locked(cur, d, child);
		spin_unlock(&child->i_lock);
		spin_unlock(&cur->i_lock);
		kfree(d);
		if (dead)
			ramfs_put(release_inode(child));
	}
	ramfs_put(cur);
}

/* Remove name from dir whatever it is, a directory with all its contents. */
static int remove_any(struct inode *dir, const char *name, size_t len)
{
	struct inode *victim = ramfs_lookup(dir, name, len);

	if (!victim)
		return -ENOENT;
	if (S_ISDIR(victim->i_mode))
		empty_dir(victim);
	ramfs_put(victim);
	return remove_name(dir, name, len, RM_ANY_EMPTY);
}

int ramfs_readdir(struct inode *dir, u64 pos, struct ramfs_dirent *out)
{
	struct list_head *p;
	int found = 0;

	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	spin_lock(&dir->i_lock);
	list_for_each(p, &dir->children) {
		struct ramfs_dentry *d = list_entry(p, struct ramfs_dentry, d_child);

		if (pos-- == 0) {
			out->ino = d->d_inode->i_ino;
			out->mode = d->d_inode->i_mode;
			out->namelen = d->d_namelen;
			memcpy(out->name, d->d_name, d->d_namelen + 1);
			found = 1;
			break;
		}
	}
	spin_unlock(&dir->i_lock);
	return found;
}

/* ---- path lookup ----------------------------------------------------------- */

/*
 * Walk path[0..len) from start (from the root if it begins with '/').
 * Each symlink met is replaced by its target: the rest of the path is
 * appended to the target in a scratch buffer and the walk goes on from the
 * symlink's directory (or the root, for an absolute target). A final
 * symlink is followed when follow_last is set or a '/' comes after it.
 */
static int walk(struct inode *start, const char *path, size_t len,
		bool follow_last, struct inode **out)
{
	const char *p = path, *end = path + len;
	char *buf[2] = { NULL, NULL };  /* scratch paths, made on first symlink */
	int which = 0, links = 0, err = 0;
	struct inode *cur, *child;

	cur = ramfs_get(len && path[0] == '/' ? &root_inode : start);
	for (;;) {
		const char *comp, *q;
		size_t clen, rest, tlen;
		bool last, slash;

		while (p < end && *p == '/')
			p++;
		if (p == end)
			break;
		comp = p;
		while (p < end && *p != '/')
			p++;
		clen = p - comp;
		for (q = p; q < end && *q == '/'; q++)
			;
		last = q == end;
		slash = p < end;        /* a '/' follows this component */

		if (clen > NAME_MAX) {
			err = -ENAMETOOLONG;
			break;
		}
		if (!S_ISDIR(cur->i_mode)) {
			err = -ENOTDIR;
			break;
		}
		child = ramfs_lookup(cur, comp, clen);
		if (!child) {
			err = -ENOENT;
			break;
		}

		if (S_ISLNK(child->i_mode) && (!last || follow_last || slash)) {
			tlen = child->i_size;
			rest = end - p;
			if (++links > MAXSYMLINKS)
				err = -ELOOP;
			else if (tlen == 0)
				err = -ENOENT;
			else if (tlen + rest >= PATH_MAX)
				err = -ENAMETOOLONG;
			else if (!buf[which] && !(buf[which] = kmalloc(PATH_MAX)))
				err = -ENOMEM;
			if (err) {
				ramfs_put(child);
				break;
			}
			/* p may point into the other buffer: build in this one. */
			memcpy(buf[which], child->i_link, tlen);
			memcpy(buf[which] + tlen, p, rest);
			if (child->i_link[0] == '/') {
				ramfs_put(cur);
				cur = ramfs_get(&root_inode);
			}
			ramfs_put(child);
			p = buf[which];
			end = p + tlen + rest;
			which ^= 1;
			continue;
		}

		ramfs_put(cur);
		cur = child;
		if (last && slash && !S_ISDIR(cur->i_mode)) {
			err = -ENOTDIR; /* "file/" */
			break;
		}
	}
	kfree(buf[0]);
	kfree(buf[1]);
	if (err) {
		ramfs_put(cur);
		return err;
	}
	*out = cur;
	return 0;
}

/* Length of a user-supplied path, or -errno. */
static long path_len(const char *path)
{
	size_t len;

	if (!path)
		return -EINVAL;
	len = strnlen(path, PATH_MAX);
	if (len == PATH_MAX)
		return -ENAMETOOLONG;
	if (len == 0)
		return -ENOENT;
	return len;
}

int ramfs_resolve_at(struct inode *dir, const char *path, int flags, struct inode **out)
{
	long len = path_len(path);

	if (len < 0)
		return len;
	ramfs_init();
	if (!dir)
		dir = &root_inode;
	return walk(dir, path, len, !(flags & RAMFS_NOFOLLOW), out);
}

int ramfs_resolve(const char *path, struct inode **out)
{
	long len = path_len(path);

	if (len < 0)
		return len;
	if (path[0] != '/')
		return -EINVAL;
	return ramfs_resolve_at(NULL, path, 0, out);
}

/* Walk path[0..len) from start like walk(), creating missing directories
 * (0755). A symlink component must lead to a directory. On success *out
 * (if not NULL) gets the last directory, referenced. */
static int create_dirs(struct inode *start, const char *path, size_t len,
		       struct inode **out)
{
	const char *p = path, *end = path + len;
	struct inode *cur, *next;
	int err = 0;

	cur = ramfs_get(len && path[0] == '/' ? &root_inode : start);
	for (;;) {
		const char *comp, *q;
		size_t clen;

		while (p < end && *p == '/')
			p++;
		if (p == end)
			break;
		comp = p;
		while (p < end && *p != '/')
			p++;
		clen = p - comp;
		for (q = p; q < end && *q == '/'; q++)
			;
		if (clen > NAME_MAX) {
			err = -ENAMETOOLONG;
			break;
		}

		next = ramfs_lookup(cur, comp, clen);
		if (!next) {
			err = ramfs_create(cur, comp, clen, S_IFDIR | 0755, &next);
			if (err)
				break;
		} else if (S_ISLNK(next->i_mode)) {
			struct inode *target;

			err = walk(cur, comp, clen, true, &target);
			ramfs_put(next);
			if (err)
				break;
			next = target;
		}
		if (!S_ISDIR(next->i_mode)) {
			ramfs_put(next);
			err = q == end ? -EEXIST : -ENOTDIR;
			break;
		}
		ramfs_put(cur);
		cur = next;
	}
	if (err) {
		ramfs_put(cur);
		return err;
	}
	if (out)
		*out = cur;
	else
		ramfs_put(cur);
	return 0;
}

int ramfs_mkdir_p(const char *path)
{
	long len = path_len(path);

	if (len < 0)
		return len;
	if (path[0] != '/')
		return -EINVAL;
	ramfs_init();
	return create_dirs(&root_inode, path, len, NULL);
}

/* ---- file contents --------------------------------------------------------- */

ssize_t ramfs_read(struct inode *inode, void *buf, size_t n, u64 off)
{
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	spin_lock(&inode->i_lock);
	if (off >= inode->i_size)
		n = 0;
	else if (n > inode->i_size - off)
		n = inode->i_size - off;
	if (n)
		memcpy(buf, inode->i_data + off, n);
	spin_unlock(&inode->i_lock);
	return n;
}

static int check_regular(struct inode *inode)
{
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	return 0;
}

int ramfs_set_data(struct inode *inode, const u8 *data, size_t size)
{
	const u8 *old = NULL;
	int err = check_regular(inode);

	if (err)
		return err;
	if (!data && size)
		return -EINVAL;
	spin_lock(&inode->i_lock);
	if (inode->i_data_owned)
		old = inode->i_data;
	inode->i_data = data;
	inode->i_data_owned = false;
	inode->i_data_cap = 0;
	inode->i_size = size;
	spin_unlock(&inode->i_lock);
	kfree(old);
	return 0;
}

/* Make the contents an owned buffer of at least need bytes (copying them
 * out of caller memory if they were there). On success returns 0 with
 * i_lock held; the lock is dropped meanwhile to allocate. */
static int own_data(struct inode *inode, size_t need)
{
	for (;;) {
		size_t want, cap;
		const u8 *old;
		u8 *nb;

		spin_lock(&inode->i_lock);
		want = MAX(need, (size_t)inode->i_size);
		if (inode->i_data_owned && inode->i_data_cap >= want)
			return 0;
		cap = inode->i_data_owned ? inode->i_data_cap * 2 : 0;
		spin_unlock(&inode->i_lock);

		cap = MAX(cap, MAX(want, (size_t)64));
		nb = kmalloc(cap);
		if (!nb)
			return -ENOMEM;
		spin_lock(&inode->i_lock);
		if (inode->i_size > cap) {      /* grew meanwhile: retry */
			spin_unlock(&inode->i_lock);
			kfree(nb);
			continue;
		}
		if (inode->i_size)
			memcpy(nb, inode->i_data, inode->i_size);
		old = inode->i_data_owned ? inode->i_data : NULL;
		inode->i_data = nb;
		inode->i_data_owned = true;
		inode->i_data_cap = cap;
		spin_unlock(&inode->i_lock);
		kfree(old);
	}
}

ssize_t ramfs_write(struct inode *inode, const void *buf, size_t n, u64 off)
{
	int err = check_regular(inode);
	u8 *data;

	if (err)
		return err;
	if (n == 0)
		return 0;
	if (n > RAMFS_MAX_FILE || off > RAMFS_MAX_FILE - n)
		return -EFBIG;
	err = own_data(inode, off + n);
	if (err)
		return err;
	data = (u8 *)inode->i_data;
	if (off > inode->i_size)
		memset(data + inode->i_size, 0, off - inode->i_size);  /* hole */
	memcpy(data + off, buf, n);
	if (off + n > inode->i_size)
		inode->i_size = off + n;
	spin_unlock(&inode->i_lock);
	return n;
}

int ramfs_truncate(struct inode *inode, u64 size)
{
	int err = check_regular(inode);

	if (err)
		return err;
	if (size > RAMFS_MAX_FILE)
		return -EFBIG;
	spin_lock(&inode->i_lock);
	if (size <= inode->i_size) {
		/* Shrinking just shortens the view, even of caller memory. */
		inode->i_size = size;
		spin_unlock(&inode->i_lock);
		return 0;
	}
	spin_unlock(&inode->i_lock);
	err = own_data(inode, size);
	if (err)
		return err;
	if (size > inode->i_size) {
		memset((u8 *)inode->i_data + inode->i_size, 0, size - inode->i_size);
		inode->i_size = size;
	}
	spin_unlock(&inode->i_lock);
	return 0;
}

ssize_t ramfs_readlink(struct inode *inode, char *buf, size_t n)
{
	if (!S_ISLNK(inode->i_mode))
		return -EINVAL;
	if (n > inode->i_size)
		n = inode->i_size;
	memcpy(buf, inode->i_link, n);
	return n;
}

/* ---- initramfs unpacking --------------------------------------------------- */

/* Regular files with nlink > 1 seen in the current archive, by (ino, dev). */
struct hardlink {
	struct hardlink *next;
	u32 ino, major, minor;
	struct inode *inode;    /* referenced */
};

static void free_hardlinks(struct hardlink **list)
{
	while (*list) {
		struct hardlink *h = *list;

		*list = h->next;
		ramfs_put(h->inode);
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

static int remember_hardlink(struct hardlink **list, const struct cpio_entry *e,
			     struct inode *inode)
{
	struct hardlink *h = kmalloc(sizeof(*h));

	if (!h)
		return -ENOMEM;
	h->ino = e->ino;
	h->major = e->devmajor;
	h->minor = e->devminor;
	h->inode = ramfs_get(inode);
	h->next = *list;
	*list = h;
	return 0;
}

/* Owner, permissions and time from the archive. */
static void set_attrs(struct inode *inode, const struct cpio_entry *e)
{
	spin_lock(&inode->i_lock);
	inode->i_mode = (inode->i_mode & S_IFMT) | (e->mode & S_IALLUGO);
	inode->i_uid = e->uid;
	inode->i_gid = e->gid;
	inode->i_mtime = e->mtime;
	spin_unlock(&inode->i_lock);
}

/* Create (or replace) the file an archive entry describes. */
static int unpack_entry(const struct cpio_entry *e, struct hardlink **links)
{
	const char *name = e->name, *base;
	size_t len = e->namelen, blen;
	u32 type = e->mode & S_IFMT;
	struct inode *dir, *old, *inode = NULL;
	struct hardlink *h;
	int err;

	/* "./a/b", "/a/b" and "a/b" all name /a/b. */
	for (;;) {
		if (len >= 1 && name[0] == '/') {
			name++;
			len--;
		} else if (len >= 2 && name[0] == '.' && name[1] == '/') {
			name += 2;
			len -= 2;
		} else {
			break;
		}
	}
	while (len && name[len - 1] == '/')
		len--;
	if (len == 0 || is_dot(name, len)) {
		/* The archive's root ("."): only its attributes apply. */
		if (type != S_IFDIR)
			return -EINVAL;
		set_attrs(&root_inode, e);
		return 0;
	}

	/* Split off the last component; make its directory if missing. */
	for (blen = 0; blen < len && name[len - 1 - blen] != '/'; blen++)
		;
	base = name + len - blen;
	if (blen > NAME_MAX)
		return -ENAMETOOLONG;
	if (is_dotdot(base, blen))
		return -EINVAL;
	err = create_dirs(&root_inode, name, len - blen, &dir);
	if (err)
		return err == -EEXIST ? -ENOTDIR : err;  /* "file/name" */

	/* A later entry replaces an earlier one of the same name; a directory
	 * over a directory keeps the contents and takes the new attributes.
	 * As in Linux, a symlink to a directory counts as that directory, so
	 * an overlay's lib/ goes into usr/lib when the base has lib -> usr/lib. */
	old = ramfs_lookup(dir, base, blen);
	if (old) {
		if (type == S_IFDIR && S_ISLNK(old->i_mode)) {
			struct inode *target;

			if (walk(dir, base, blen, true, &target) == 0) {
				ramfs_put(old);
				old = target;
			}
		}
		if (type == S_IFDIR && S_ISDIR(old->i_mode)) {
			set_attrs(old, e);
			ramfs_put(old);
			ramfs_put(dir);
			return 0;
		}
		ramfs_put(old);
		err = remove_any(dir, base, blen);
		if (err)
			goto out;
	}

	switch (type) {
	case S_IFREG:
		h = e->nlink > 1 ? find_hardlink(*links, e) : NULL;
		if (h) {
			/* Another name of a file met earlier in this archive;
			 * newc stores the data with the last name only. */
			err = ramfs_link(dir, base, blen, h->inode);
			if (!err)
				inode = ramfs_get(h->inode);
		} else {
			err = ramfs_create(dir, base, blen, S_IFREG, &inode);
			if (!err && e->nlink > 1)
				err = remember_hardlink(links, e, inode);
		}
		if (!err && e->size)
			err = ramfs_set_data(inode, e->data, e->size);
		break;
	case S_IFDIR:
		err = ramfs_create(dir, base, blen, S_IFDIR, &inode);
		break;
	case S_IFLNK:
		err = ramfs_symlink(dir, base, blen, (const char *)e->data, e->size, &inode);
		break;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		err = ramfs_create(dir, base, blen, type, &inode);
		if (!err)
			inode->i_rdev = MKDEV(e->rdevmajor & 0xfff,
						       e->rdevminor & MINORMASK);
		break;
	default:
		err = -EINVAL;
		break;
	}
	if (inode) {
		if (!err)
			set_attrs(inode, e);
		ramfs_put(inode);
	}
out:
	ramfs_put(dir);
	return err;
}

int ramfs_unpack_cpio(const u8 *buf, size_t len)
{
	struct hardlink *links = NULL;
	struct cpio_entry e;
	size_t off = 0;
	int count = 0, r = 0;

	ramfs_init();
	while (off < len) {
		r = cpio_next(buf, len, &off, &e);
		if (r < 0)
			break;
		if (r == 0) {
			/* Trailer: a concatenated archive may follow, with its
			 * own inode numbers. */
			free_hardlinks(&links);
			continue;
		}
		r = unpack_entry(&e, &links);
		if (r < 0)
			break;
		count++;
	}
	free_hardlinks(&links);
	return r < 0 ? r : count;
}
