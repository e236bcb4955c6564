/* Path walking (Linux: fs/namei.c): a nameidata carries the current
 * (mount, dentry) from component to component. Lookups hit the dcache
 * first and fall back to the directory's ->lookup under its i_rwsem;
 * mount points are crossed going down and ".." climbs out of mounts;
 * symlinks are followed recursively, at most 40 in one walk. */
#include "kernel/fs/namei.h"
#include "kernel/fs/file.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/task.h"

#define MAX_NESTED_LINKS 8

enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

struct nameidata {
	struct path path;         /* where the walk is (referenced) */
	struct path root;         /* the task's root (referenced) */
	struct qstr last;         /* the final component, once reached */
	int last_type;
	bool trailing_slash;      /* the name ended in '/' */
	int total_links, depth;
	char *link_buf;           /* a trailing link's target while its last is used */
};

char *getname(const char __user *uname, bool empty_ok)
{
	char *k = kmalloc(PATH_MAX);
	long n;

	if (!k)
		return ERR_PTR(-ENOMEM);
	n = strncpy_from_user(k, uname, PATH_MAX);
	if (n < 0 || n == PATH_MAX || (!n && !empty_ok)) {
		kfree(k);
		return ERR_PTR(n < 0 ? n : n ? -ENAMETOOLONG : -ENOENT);
	}
	return k;
}

void putname(char *name)
{
	if (!IS_ERR_OR_NULL(name))
		kfree(name);
}

static void terminate_walk(struct nameidata *nd)
{
	path_put(&nd->path);
	path_put(&nd->root);
	kfree(nd->link_buf);
	nd->link_buf = NULL;
}

static int path_init(struct nameidata *nd, int dfd, const char *name, unsigned int flags)
{
	memset(nd, 0, sizeof(*nd));
	get_fs_root(current->fs, &nd->root);
	if (name[0] == '/') {
		nd->path = nd->root;
		path_get(&nd->path);
		return 0;
	}
	if (dfd == AT_FDCWD) {
		get_fs_pwd(current->fs, &nd->path);
		return 0;
	}
	struct file *f = fget(dfd);
	if (!f) {
		path_put(&nd->root);
		return -EBADF;
	}
	int err = 0;
	if (!f->f_dentry)
		err = -ENOTDIR;
	else if (*name && !S_ISDIR(f->f_inode->i_mode))
		err = -ENOTDIR;
	else if (!*name && !(flags & LOOKUP_EMPTY))
		err = -ENOENT;
	if (!err) {
		nd->path.mnt = mntget(f->f_vfsmnt);
		nd->path.dentry = dget(f->f_dentry);
	} else {
		path_put(&nd->root);
	}
	fput(f);
	return err;
}

/* Go down through everything mounted on path. */
static void follow_mount(struct path *p)
{
	while (d_mountpoint(p->dentry)) {
		struct vfsmount *m = lookup_mnt(p->mnt, p->dentry);
		if (!m)
			break;
		path_put(p);
		p->mnt = m;
		p->dentry = dget(m->mnt_root);
	}
}

static void follow_dotdot(struct nameidata *nd)
{
	struct path *p = &nd->path;

	for (;;) {
		if (path_equal(p, &nd->root))
			return;
		if (p->dentry != p->mnt->mnt_root) {
			spin_lock(&rename_lock);
			struct dentry *parent = dget(p->dentry->d_parent);
			spin_unlock(&rename_lock);
			dput(p->dentry);
			p->dentry = parent;
			break;
		}
		if (p->mnt->mnt_parent == p->mnt)
			return; /* "/.." is "/" */
		struct path up = { mntget(p->mnt->mnt_parent), dget(p->mnt->mnt_mountpoint) };
		path_put(p);
		*p = up;
	}
	follow_mount(p);
}

/* dir's child called name, with a reference; dir->d_inode->i_rwsem held.
 * The result may be negative. */
static struct dentry *lookup_one_locked(struct dentry *dir, const struct qstr *name)
{
	struct dentry *d = d_lookup(dir, name);

	if (d)
		return d;
	struct inode *inode = dir->d_inode;
	if (!inode->i_op || !inode->i_op->lookup)
		return ERR_PTR(-ENOTDIR);
	d = d_alloc(dir, name);
	if (!d)
		return ERR_PTR(-ENOMEM);
	struct dentry *res = inode->i_op->lookup(inode, d);
	if (res) {
		dput(d);
		d = res;
	}
	return d;
}

/* A positive child, or -ENOENT. */
static struct dentry *lookup_positive(struct dentry *dir, const struct qstr *name)
{
	struct dentry *d = d_lookup(dir, name);

	if (!d || !d->d_inode) {
		if (d)
			dput(d);
		struct inode *inode = dir->d_inode;
		mutex_lock(&inode->i_rwsem);
		d = lookup_one_locked(dir, name);
		mutex_unlock(&inode->i_rwsem);
		if (IS_ERR(d))
			return d;
	}
	if (!d->d_inode) {
		dput(d);
		return ERR_PTR(-ENOENT);
	}
	return d;
}

static int may_lookup(struct nameidata *nd)
{
	struct inode *inode = nd->path.dentry->d_inode;

	if (!S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	return inode_permission(inode, MAY_EXEC);
}

/* The target of link at p. The result is kmalloc'd. */
static char *read_link(struct dentry *d)
{
	struct inode *inode = d->d_inode;
	char *tofree = NULL;

	if (!inode->i_op || !inode->i_op->get_link)
		return ERR_PTR(-EINVAL);
	const char *t = inode->i_op->get_link(d, inode, &tofree);
	if (IS_ERR(t))
		return (char *)t;
	if (tofree)
		return tofree;
	size_t len = strlen(t);
	char *copy = kmalloc(len + 1);
	if (!copy)
		return ERR_PTR(-ENOMEM);
	memcpy(copy, t, len + 1);
	return copy;
}

static int link_path_walk(struct nameidata *nd, const char *name);
static int walk_component(struct nameidata *nd, const struct qstr *name, int type, bool follow);

/* Start a link's target from the right place: the root for an absolute
 * target, else the directory holding the link (nd->path still). */
static int link_start(struct nameidata *nd, const char *target)
{
	if (++nd->total_links > MAXSYMLINKS)
		return -ELOOP;
	if (!*target)
		return -ENOENT;
	if (target[0] == '/') {
		path_put(&nd->path);
		nd->path = nd->root;
		path_get(&nd->path);
	}
	return 0;
}

/* The child called name of nd->path, mounts crossed, in *next (nd->path
 * unchanged). "." and ".." move nd->path itself and leave next empty. */
static int step(struct nameidata *nd, const struct qstr *name, int type, struct path *next)
{
	next->mnt = NULL;
	next->dentry = NULL;
	if (type == LAST_DOT || type == LAST_ROOT)
		return 0;
	if (type == LAST_DOTDOT) {
		follow_dotdot(nd);
		return 0;
	}
	struct dentry *d = lookup_positive(nd->path.dentry, name);
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	next->mnt = mntget(nd->path.mnt);
	next->dentry = d;
	follow_mount(next);
	return 0;
}

static void step_into(struct nameidata *nd, struct path *next)
{
	if (next->dentry) {
		path_put(&nd->path);
		nd->path = *next;
	}
}

/* Follow the symlink at link (referenced; consumed) fully: afterwards
 * nd->path is what it points to. A chain of links in last place is
 * followed in a loop; only links met in the middle of a target nest. */
static int follow_link(struct nameidata *nd, struct path *link)
{
	struct qstr last = nd->last;  /* the walk that met the link goes on after it */
	int last_type = nd->last_type, err = 0;
	bool slash = nd->trailing_slash;

	if (nd->depth >= MAX_NESTED_LINKS) {
		path_put(link);
		return -ELOOP;
	}
	nd->depth++;
	while (link->dentry) {
		const struct inode_operations *iop = link->dentry->d_inode->i_op;
		if (iop->get_link_path) {
			struct path to;
			err = ++nd->total_links > MAXSYMLINKS ? -ELOOP : iop->get_link_path(link->dentry, &to);
			path_put(link);
			link->dentry = NULL;
			if (!err) {
				path_put(&nd->path);
				nd->path = to;
			}
			break;
		}
		char *target = read_link(link->dentry);
		path_put(link);
		link->dentry = NULL;
		if (IS_ERR(target)) {
			err = (int)PTR_ERR(target);
			break;
		}
		err = link_start(nd, target);
		if (!err)
			err = link_path_walk(nd, target);
		if (!err && nd->last_type == LAST_NORM)
			err = may_lookup(nd);
		struct path next = { NULL, NULL };
		if (!err)
			err = step(nd, &nd->last, nd->last_type, &next);
		bool more_slash = nd->trailing_slash;
		kfree(target);
		if (err)
			break;
		if (next.dentry && S_ISLNK(next.dentry->d_inode->i_mode)) {
			*link = next; /* another link: nd->path is its directory */
			continue;
		}
		step_into(nd, &next);
		if (more_slash && !S_ISDIR(nd->path.dentry->d_inode->i_mode))
			err = -ENOTDIR;
	}
	nd->depth--;
	nd->last = last;
	nd->last_type = last_type;
	nd->trailing_slash = slash;
	return err;
}

/* Move nd->path to the child called name. */
static int walk_component(struct nameidata *nd, const struct qstr *name, int type, bool follow)
{
	struct path next;
	int err = step(nd, name, type, &next);

	if (err)
		return err;
	if (follow && next.dentry && S_ISLNK(next.dentry->d_inode->i_mode))
		return follow_link(nd, &next);
	step_into(nd, &next);
	return 0;
}

/* Walk every component but the last, which is left in nd->last. */
static int link_path_walk(struct nameidata *nd, const char *name)
{
	while (*name == '/')
		name++;
	nd->trailing_slash = false;
	if (!*name) {
		nd->last_type = LAST_ROOT;
		return 0;
	}
	for (;;) {
		const char *end = name;
		while (*end && *end != '/')
			end++;
		u32 len = (u32)(end - name);
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		int type = LAST_NORM;
		if (name[0] == '.' && len == 1)
			type = LAST_DOT;
		else if (name[0] == '.' && name[1] == '.' && len == 2)
			type = LAST_DOTDOT;
		struct qstr q = { name, len, full_name_hash(name, len) };
		int err = may_lookup(nd);
		if (err)
			return err;
		const char *rest = end;
		while (*rest == '/')
			rest++;
		if (!*rest) {
			nd->last = q;
			nd->last_type = type;
			nd->trailing_slash = end != rest;
			return 0;
		}
		err = walk_component(nd, &q, type, true);
		if (err)
			return err;
		name = rest;
	}
}

/* Resolve the final component (nd->last) into nd->path. */
static int lookup_last(struct nameidata *nd, unsigned int flags)
{
	bool follow = (flags & LOOKUP_FOLLOW) || nd->trailing_slash;
	int err;

	if (nd->last_type == LAST_NORM) {
		err = may_lookup(nd);
		if (err)
			return err;
	}
	err = walk_component(nd, &nd->last, nd->last_type, follow);
	if (err)
		return err;
	bool is_dir = S_ISDIR(nd->path.dentry->d_inode->i_mode);
	if ((nd->trailing_slash || (flags & LOOKUP_DIRECTORY)) && !is_dir)
		return -ENOTDIR;
	return 0;
}

int filename_lookup(int dfd, const char *name, unsigned int flags, struct path *out)
{
	struct nameidata nd;
	int err = path_init(&nd, dfd, name, flags);

	if (err)
		return err;
	err = link_path_walk(&nd, name);
	if (!err && *name)
		err = lookup_last(&nd, flags);
	if (!err) {
		*out = nd.path;
		path_get(out);
	}
	terminate_walk(&nd);
	return err;
}

int user_path_at(int dfd, const char __user *uname, unsigned int flags, struct path *out)
{
	char *name = getname(uname, flags & LOOKUP_EMPTY);
	int err;

	if (IS_ERR(name))
		return (int)PTR_ERR(name);
	err = filename_lookup(dfd, name, flags, out);
	putname(name);
	return err;
}

int kern_path(const char *name, unsigned int flags, struct path *out)
{
	return filename_lookup(AT_FDCWD, name, flags, out);
}

/* Walk to the parent of name's last component; nd->last names it. */
static int path_parentat(struct nameidata *nd, int dfd, const char *name)
{
	int err = path_init(nd, dfd, name, 0);

	if (err)
		return err;
	err = link_path_walk(nd, name);
	if (!err)
		err = may_lookup(nd);
	if (err)
		terminate_walk(nd);
	return err;
}

struct dentry *filename_create(int dfd, const char *name, struct path *parent, bool is_dir)
{
	struct nameidata nd;
	int err = path_parentat(&nd, dfd, name);

	if (err)
		return ERR_PTR(err);
	if (nd.last_type != LAST_NORM || (nd.trailing_slash && !is_dir)) {
		err = nd.last_type != LAST_NORM ? -EEXIST : -ENOENT;
		terminate_walk(&nd);
		return ERR_PTR(err);
	}
	struct inode *dir = nd.path.dentry->d_inode;
	mutex_lock(&dir->i_rwsem);
	struct dentry *d = lookup_one_locked(nd.path.dentry, &nd.last);
	if (!IS_ERR(d) && d->d_inode) {
		dput(d);
		d = ERR_PTR(-EEXIST);
	} else if (!IS_ERR(d) && !dir->i_nlink) {
		dput(d);
		d = ERR_PTR(-ENOENT); /* the directory was removed */
	}
	if (IS_ERR(d)) {
		mutex_unlock(&dir->i_rwsem);
		terminate_walk(&nd);
		return d;
	}
	*parent = nd.path;
	path_get(parent);
	terminate_walk(&nd);
	return d;
}

void done_path_create(struct path *parent, struct dentry *d)
{
	dput(d);
	mutex_unlock(&parent->dentry->d_inode->i_rwsem);
	path_put(parent);
}

/* Export the parent walk to namei_ops.c (unlink, rename, link). */
int kern_path_parent(int dfd, const char *name, struct path *parent, struct qstr *last,
		     int *type, bool *trailing_slash)
{
	struct nameidata nd;
	int err = path_parentat(&nd, dfd, name);

	if (err)
		return err;
	*parent = nd.path;
	path_get(parent);
	*last = nd.last;  /* points into name, which the caller keeps */
	*type = nd.last_type == LAST_NORM ? 0 : nd.last_type == LAST_DOT ? 1 :
		nd.last_type == LAST_DOTDOT ? 2 : 3;
	*trailing_slash = nd.trailing_slash;
	terminate_walk(&nd);
	return 0;
}

struct dentry *lookup_one_for_change(struct dentry *dir, const struct qstr *name)
{
	return lookup_one_locked(dir, name);
}

/* ---- open ------------------------------------------------------------ */

static int may_open(const struct path *p, int flags)
{
	struct inode *inode = p->dentry->d_inode;
	int acc = flags & O_ACCMODE;

	if (flags & O_PATH)
		return 0;
	if (S_ISLNK(inode->i_mode))
		return -ELOOP;
	if (S_ISDIR(inode->i_mode) && (acc != O_RDONLY || (flags & O_TRUNC)))
		return -EISDIR;
	if (acc != O_RDONLY && (p->mnt->mnt_flags & MS_RDONLY) &&
	    (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode)))
		return -EROFS;
	if (acc == 3)
		return -EINVAL;
	if ((S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode)) && (p->mnt->mnt_flags & MS_NODEV))
		return -EACCES;
	if (flags & __FMODE_EXEC)
		return inode_permission(inode, MAY_EXEC);
	return inode_permission(inode, (acc != O_WRONLY ? MAY_READ : 0) |
				       (acc != O_RDONLY ? MAY_WRITE : 0));
}

static const struct file_operations empty_fops;

struct file *dentry_open(const struct path *p, int flags)
{
	struct file *f = alloc_empty_file((unsigned)flags);
	struct inode *inode = p->dentry->d_inode;

	if (!f)
		return ERR_PTR(-ENOMEM);
	path_get(p);
	f->f_vfsmnt = p->mnt;
	f->f_dentry = p->dentry;
	f->f_inode = inode;
	if (flags & O_PATH) {
		f->f_flags &= ~O_NOCTTY;
		f->f_op = &empty_fops;
		return f;
	}
	f->f_op = inode->i_fop ? inode->i_fop : &empty_fops;
	if (f->f_op->open) {
		int err = f->f_op->open(inode, f);
		if (err) {
			f->f_op = NULL; /* no ->release for a failed open */
			fput(f);
			return ERR_PTR(err);
		}
	}
	f->f_flags &= ~O_NOCTTY; /* a tty's open needed it; F_GETFL does not show it (Linux) */
	if (!f->f_op->llseek)
		f->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	return f;
}

/* The last component of an O_CREAT open, with the parent locked: an
 * existing file, a new one, or (returned as 1) a symlink to follow. */
static int open_create_last(struct nameidata *nd, int flags, u32 mode, bool *created,
			    struct dentry **out)
{
	struct dentry *dir = nd->path.dentry;
	struct inode *idir = dir->d_inode;
	int err = 0;

	if (nd->last_type != LAST_NORM || nd->trailing_slash)
		return -EISDIR;
	err = may_lookup(nd);
	if (err)
		return err;
	mutex_lock(&idir->i_rwsem);
	struct dentry *d = lookup_one_locked(dir, &nd->last);
	if (IS_ERR(d)) {
		err = (int)PTR_ERR(d);
	} else if (!d->d_inode) {
		err = !idir->i_nlink ? -ENOENT : (nd->path.mnt->mnt_flags & MS_RDONLY) ? -EROFS
		      : vfs_create(idir, d, (mode & 07777 & ~current_umask()) | S_IFREG);
		*created = !err;
	} else if (flags & O_EXCL) {
		err = -EEXIST;
	} else if (S_ISLNK(d->d_inode->i_mode) && !(flags & O_NOFOLLOW)) {
		err = 1;
	}
	mutex_unlock(&idir->i_rwsem);
	if (err && !IS_ERR(d) && err != 1)
		dput(d);
	if (!err || err == 1)
		*out = d;
	return err;
}

static int open_last(struct nameidata *nd, int flags, u32 mode, bool *created)
{
	if (!(flags & O_CREAT)) {
		unsigned int lf = (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
		if (flags & O_DIRECTORY)
			lf |= LOOKUP_DIRECTORY;
		return lookup_last(nd, lf);
	}
	for (;;) {
		struct dentry *d = NULL;
		int err = open_create_last(nd, flags, mode, created, &d);
		if (err < 0)
			return err;
		if (err == 0) {
			struct path next = { mntget(nd->path.mnt), d };
			follow_mount(&next);
			path_put(&nd->path);
			nd->path = next;
			return 0;
		}
		/* A symlink in the last place: walk its target and retry there
		 * (so O_CREAT through a dangling link creates the target). */
		char *target = read_link(d);
		dput(d);
		if (IS_ERR(target))
			return (int)PTR_ERR(target);
		kfree(nd->link_buf);
		nd->link_buf = target;
		err = link_start(nd, target);
		if (!err)
			err = link_path_walk(nd, target);
		if (err)
			return err;
		if (nd->last_type == LAST_ROOT)
			return -EISDIR;
	}
}

static int handle_truncate(struct file *f)
{
	return do_truncate(f->f_dentry, 0);
}

struct file *do_filp_open(int dfd, const char *name, int flags, u32 mode)
{
	struct nameidata nd;
	bool created = false;
	int err;

	if (!*name)
		return ERR_PTR(-ENOENT);
	err = path_init(&nd, dfd, name, 0);
	if (err)
		return ERR_PTR(err);
	err = link_path_walk(&nd, name);
	if (!err && nd.last_type == LAST_ROOT && (flags & O_CREAT))
		err = -EISDIR;
	if (!err && nd.last_type != LAST_ROOT)
		err = open_last(&nd, flags, mode, &created);
	struct inode *inode = err ? NULL : nd.path.dentry->d_inode;
	if (!err && (flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode))
		err = -ENOTDIR;
	if (!err && (flags & O_CREAT) && !created && S_ISDIR(inode->i_mode))
		err = -EISDIR;
	if (!err && (flags & O_NOFOLLOW) && S_ISLNK(inode->i_mode) && !(flags & O_PATH))
		err = -ELOOP;
	if (!err && !created)
		err = may_open(&nd.path, flags);
	struct file *f = err ? ERR_PTR(err) : dentry_open(&nd.path, flags & ~__FMODE_EXEC);
	if (!IS_ERR(f) && (flags & O_TRUNC) && !created && S_ISREG(inode->i_mode) &&
	    (flags & O_ACCMODE) != O_RDONLY && !(flags & O_PATH)) {
		err = handle_truncate(f);
		if (err) {
			fput(f);
			f = ERR_PTR(err);
		}
	}
	terminate_walk(&nd);
	return f;
}

struct file *filp_open(const char *path, int flags, u32 mode)
{
	return do_filp_open(AT_FDCWD, path, flags, mode);
}
