/* The mqueue file system and mq_open/mq_unlink (Linux: ipc/mqueue.c).
 * Every queue is an inode in the root of one in-memory super block; the
 * syscalls use the kernel's internal mount of it, and `mount -t mqueue`
 * shows the same tree (as Linux's one-per-IPC-namespace instance). */
#include "kernel/ipc/mqueue.h"
#include "kernel/fs/dcache.h"
#include "kernel/fs/file.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/cred.h"
#include "proc/sched.h"

#define MQUEUE_MAGIC 0x19800202
#define FILENT_SIZE 80 /* st_size of a queue, as Linux */

/* RLIMIT_MSGQUEUE is per user (Linux: user_struct->mq_bytes): the bytes
 * charged to each real uid that has queues. */
struct mq_user {
	u32 uid;
	u64 bytes;
	struct mq_user *next;
};

static DEFINE_SPINLOCK(mq_lock);   /* protects mq_queues_count and mq_users */
static int mq_queues_count;
static struct mq_user *mq_users;
static struct vfsmount *mq_mnt;    /* the internal mount, made on first use */
static DEFINE_MUTEX(mq_mnt_lock);  /* serializes making it */

static struct mq_user **mq_user_find(u32 uid)
{
	struct mq_user **pp = &mq_users;

	while (*pp && (*pp)->uid != uid)
		pp = &(*pp)->next;
	return pp;
}

/* Charge bytes to uid: -EMFILE past its limit (Linux's error). */
static int mq_charge(u32 uid, u64 bytes, u64 limit)
{
	struct mq_user *fresh = kzalloc(sizeof(*fresh));
	int err = 0;

	spin_lock(&mq_lock);
	struct mq_user **pp = mq_user_find(uid);
	u64 used = *pp ? (*pp)->bytes : 0;
	if (used + bytes < used || used + bytes > limit) {
		err = -EMFILE;
	} else if (!*pp && !fresh) {
		err = -ENOMEM;
	} else {
		if (!*pp) {
			fresh->uid = uid;
			*pp = fresh;
			fresh = NULL;
		}
		(*pp)->bytes += bytes;
	}
	spin_unlock(&mq_lock);
	kfree(fresh);
	return err;
}

static void mq_uncharge(u32 uid, u64 bytes)
{
	struct mq_user *gone = NULL;

	spin_lock(&mq_lock);
	struct mq_user **pp = mq_user_find(uid);
	if (*pp) {
		(*pp)->bytes -= MIN(bytes, (*pp)->bytes);
		if (!(*pp)->bytes) {
			gone = *pp;
			*pp = gone->next;
		}
	}
	spin_unlock(&mq_lock);
	kfree(gone);
}

/* A queue went (or was never made): the count mq_open checks. */
static void mq_count_put(void)
{
	spin_lock(&mq_lock);
	mq_queues_count--;
	spin_unlock(&mq_lock);
}

/* Linux's mq_attr_ok: limits of /proc/sys/fs/mqueue, or the hard ones
 * with CAP_SYS_RESOURCE. */
static int mq_attr_ok(const struct mq_attr *attr)
{
	if (attr->mq_maxmsg <= 0 || attr->mq_msgsize <= 0)
		return -EINVAL;
	if (capable(CAP_SYS_RESOURCE)) {
		if (attr->mq_maxmsg > HARD_MSGMAX || attr->mq_msgsize > HARD_MSGSIZEMAX)
			return -EINVAL;
	} else if (attr->mq_maxmsg > DFLT_MSGMAX || attr->mq_msgsize > DFLT_MSGSIZEMAX) {
		return -EINVAL;
	}
	return 0;
}

static const struct inode_operations mqueue_file_iops;

/* A queue's inode, charged to the caller's real uid. */
static struct inode *mqueue_get_inode(struct super_block *sb, const struct inode *dir, u32 mode,
				      const struct mq_attr *attr, int *errp)
{
	struct mqueue_inode_info *info = kzalloc(sizeof(*info));
	struct inode *inode = info ? new_inode(sb) : NULL;

	*errp = -ENOMEM;
	if (!inode) {
		kfree(info);
		mq_count_put();
		return NULL;
	}
	spin_lock_init(&info->lock);
	INIT_LIST_HEAD(&info->messages);
	INIT_LIST_HEAD(&info->e_wait_q[SEND]);
	INIT_LIST_HEAD(&info->e_wait_q[RECV]);
	init_waitqueue_head(&info->wait_q);
	info->attr.mq_maxmsg = attr ? attr->mq_maxmsg : DFLT_MSG;
	info->attr.mq_msgsize = attr ? attr->mq_msgsize : DFLT_MSGSIZE;
	u64 n = (u64)info->attr.mq_maxmsg;
	info->mq_bytes = n * (u64)info->attr.mq_msgsize + n * MQ_MSG_OVERHEAD +
			 MIN(n, (u64)MQ_PRIO_MAX) * MQ_NODE_OVERHEAD;
	info->user = current_uid();
	inode_init_owner(inode, dir, (mode & 07777) | S_IFREG);
	inode->i_size = FILENT_SIZE;
	inode->i_op = &mqueue_file_iops;
	inode->i_fop = &mqueue_file_operations;
	inode->i_private = info;
	*errp = mq_charge(info->user, info->mq_bytes, task_rlimit(current, RLIMIT_MSGQUEUE));
	if (*errp) {
		info->mq_bytes = 0; /* nothing to give back at eviction */
		iput(inode);
		return NULL;
	}
	return inode;
}

/* Make the queue at negative dentry d; attr NULL: the defaults. */
static int mqueue_create_attr(struct inode *dir, struct dentry *d, u32 mode,
			      const struct mq_attr *attr)
{
	int err = -ENOSPC;

	spin_lock(&mq_lock);
	if (mq_queues_count < DFLT_QUEUESMAX || capable(CAP_SYS_RESOURCE)) {
		mq_queues_count++;
		err = 0;
	}
	spin_unlock(&mq_lock);
	if (err)
		return err;
	struct inode *inode = mqueue_get_inode(dir->i_sb, dir, mode, attr, &err);
	if (!inode)
		return err; /* the count went back with the inode */
	d_instantiate(d, inode);
	d_pin(d);
	spin_lock(&dir->i_lock);
	dir->i_mtime = dir->i_ctime = current_time();
	spin_unlock(&dir->i_lock);
	return 0;
}

/* open(2) with O_CREAT in /dev/mqueue: a queue with default attributes. */
static int mqueue_create(struct inode *dir, struct dentry *d, u32 mode)
{
	return mqueue_create_attr(dir, d, mode, NULL);
}

static int mqueue_unlink(struct inode *dir, struct dentry *d)
{
	inode_dec_link_count(d->d_inode);
	spin_lock(&dir->i_lock);
	dir->i_mtime = dir->i_ctime = current_time();
	spin_unlock(&dir->i_lock);
	d_unpin(d); /* open descriptors keep the queue until they close */
	return 0;
}

/* The directory is the dcache: what is not there does not exist. */
static struct dentry *mqueue_lookup(struct inode *dir, struct dentry *d)
{
	(void)dir;
	if (d->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	d_add(d, NULL);
	return NULL;
}

static int mqueue_setattr(struct dentry *d, struct iattr *a)
{
	if (a->ia_valid & ATTR_SIZE)
		return -EINVAL;
	setattr_copy(d->d_inode, a);
	return 0;
}

static const struct inode_operations mqueue_dir_iops = {
	.lookup = mqueue_lookup,
	.create = mqueue_create,
	.unlink = mqueue_unlink,
	.setattr = mqueue_setattr,
};

static const struct inode_operations mqueue_file_iops = {
	.setattr = mqueue_setattr,
};

/* The last reference went (unlinked, last descriptor closed). */
static void mqueue_evict_inode(struct inode *inode)
{
	struct mqueue_inode_info *info = MQUEUE_I(inode);

	if (!info || !S_ISREG(inode->i_mode))
		return;
	while (!list_empty(&info->messages)) {
		struct mq_msg *m = list_entry(info->messages.next, struct mq_msg, m_list);
		list_del(&m->m_list);
		free_mq_msg(m);
	}
	if (info->notify_owner)
		put_task_struct(info->notify_owner);
	if (info->mq_bytes)
		mq_uncharge(info->user, info->mq_bytes);
	mq_count_put();
	kfree(info);
	inode->i_private = NULL;
}

static const struct super_operations mqueue_sops = {
	.evict_inode = mqueue_evict_inode,
};

static int mqueue_get_sb(struct file_system_type *t, unsigned long flags, const char *dev,
			 void *data, struct super_block **out);
static void mqueue_kill_sb(struct super_block *sb)
{
	(void)sb; /* the one instance stays: the syscalls' internal mount uses it */
}

static struct file_system_type mqueue_fs_type = {
	.name = "mqueue", .get_sb = mqueue_get_sb, .kill_sb = mqueue_kill_sb, .nodev = true,
};

/* The instance and its internal mount, made once. */
static struct vfsmount *mq_internal_mount(void)
{
	struct vfsmount *m = __atomic_load_n(&mq_mnt, __ATOMIC_ACQUIRE);

	if (m)
		return m;
	mutex_lock(&mq_mnt_lock);
	if (!mq_mnt) {
		struct super_block *sb = alloc_super(&mqueue_fs_type, &mqueue_sops, MQUEUE_MAGIC);
		struct inode *root = sb ? new_inode(sb) : NULL;
		if (root) {
			root->i_mode = S_IFDIR | S_ISVTX | 0777; /* anyone creates; owners unlink */
			root->i_op = &mqueue_dir_iops;
			root->i_fop = &simple_dir_operations;
			root->i_nlink = 2;
			sb->s_root = d_make_root(root);
		}
		m = sb && sb->s_root ? kern_mount_sb(sb, "mqueue") : NULL;
		if (m)
			__atomic_store_n(&mq_mnt, m, __ATOMIC_RELEASE);
		else
			kfree(sb); /* (a root dentry could leak here: out of memory only) */
	}
	m = mq_mnt;
	mutex_unlock(&mq_mnt_lock);
	return m;
}

static int mqueue_get_sb(struct file_system_type *t, unsigned long flags, const char *dev,
			 void *data, struct super_block **out)
{
	(void)t, (void)flags, (void)dev, (void)data;
	struct vfsmount *m = mq_internal_mount();

	if (!m)
		return -ENOMEM;
	__atomic_add_fetch(&m->mnt_sb->s_active, 1, __ATOMIC_RELAXED);
	*out = m->mnt_sb;
	return 0;
}

void mq_init(void)
{
	register_filesystem(&mqueue_fs_type);
}

/* ---- mq_open, mq_unlink ---- */

/* name's dentry in the root (root's i_rwsem held): Linux's lookup_one_len
 * refuses ".", ".." and names with '/' (EACCES). */
static struct dentry *mq_lookup(struct dentry *root, const char *name)
{
	size_t len = strlen(name);

	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return ERR_PTR(-EACCES);
	if (strchr(name, '/'))
		return ERR_PTR(-EACCES);
	struct qstr q = { name, (u32)len, full_name_hash(name, (u32)len) };
	return lookup_one_for_change(root, &q);
}

/* Linux's prepare_open: create, or check access to the existing queue. */
static int prepare_open(struct dentry *d, int oflag, u32 mode, const struct mq_attr *attr)
{
	static const int oflag2acc[O_ACCMODE] = { MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE };

	if (!d->d_inode) {
		if (!(oflag & O_CREAT))
			return -ENOENT;
		if (attr) {
			int err = mq_attr_ok(attr);
			if (err)
				return err;
		}
		struct inode *dir = d->d_parent->d_inode;
		int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);
		if (err)
			return err;
		return mqueue_create_attr(dir, d, mode & ~current_umask(), attr);
	}
	if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if ((oflag & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	return inode_permission(d->d_inode, oflag2acc[oflag & O_ACCMODE]);
}

/* The queue name from user memory (putname it) and the internal mount. */
static char *mq_getname(const char __user *u_name, struct vfsmount **mnt)
{
	char *name = getname(u_name, false);

	*mnt = mq_internal_mount();
	if (!IS_ERR(name) && !*mnt) {
		putname(name);
		return ERR_PTR(-ENOMEM);
	}
	return name;
}

static long do_mq_open(const char __user *u_name, int oflag, u32 mode, const struct mq_attr *attr)
{
	struct vfsmount *mnt;
	char *name = mq_getname(u_name, &mnt);
	long fd;

	if (IS_ERR(name))
		return PTR_ERR(name);
	fd = get_unused_fd_flags((unsigned)oflag & O_CLOEXEC);
	if (fd < 0)
		goto out_name;
	struct inode *dir = mnt->mnt_root->d_inode;
	mutex_lock(&dir->i_rwsem);
	struct path p = { mnt, mq_lookup(mnt->mnt_root, name) };
	long err = IS_ERR(p.dentry) ? PTR_ERR(p.dentry) : prepare_open(p.dentry, oflag, mode, attr);
	mutex_unlock(&dir->i_rwsem);
	if (!err) {
		struct file *f = dentry_open(&p, oflag & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC));
		if (IS_ERR(f))
			err = PTR_ERR(f);
		else
			fd_install_at((int)fd, f);
	}
	if (!IS_ERR(p.dentry))
		dput(p.dentry);
	if (err) {
		put_unused_fd((int)fd);
		fd = err;
	}
out_name:
	putname(name);
	return fd;
}

SYSCALL_DEFINE4(mq_open, const char __user *, u_name, int, oflag, u32, mode,
		const struct mq_attr __user *, u_attr)
{
	struct mq_attr attr;

	if (u_attr && copy_from_user(&attr, u_attr, sizeof(attr)))
		return -EFAULT;
	return do_mq_open(u_name, oflag, mode, u_attr ? &attr : NULL);
}

SYSCALL_DEFINE1(mq_unlink, const char __user *, u_name)
{
	struct vfsmount *mnt;
	char *name = mq_getname(u_name, &mnt);
	long err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	struct inode *dir = mnt->mnt_root->d_inode;
	mutex_lock(&dir->i_rwsem);
	struct dentry *d = mq_lookup(mnt->mnt_root, name);
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
	} else {
		err = d->d_inode ? vfs_unlink(dir, d) : -ENOENT;
		dput(d);
	}
	mutex_unlock(&dir->i_rwsem);
	putname(name);
	return err;
}

/* Each close: the closing process's notification goes (Linux:
 * mqueue_flush_file). */
static int mqueue_flush_file(struct file *f)
{
	struct mqueue_inode_info *info = MQUEUE_I(f->f_inode);
	struct task_struct *put = NULL;

	spin_lock(&info->lock);
	if (info->notify_owner == current->group_leader)
		remove_notification(info, &put);
	spin_unlock(&info->lock);
	if (put)
		put_task_struct(put);
	return 0;
}

const struct file_operations mqueue_file_operations = {
	.llseek = generic_file_llseek,
	.read_iter = mqueue_read_file,
	.poll = mqueue_poll_file,
	.flush = mqueue_flush_file,
};
