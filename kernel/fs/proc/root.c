/* The "proc" file system (Linux: fs/proc/root.c, inode.c, generic.c): its
 * super block, inodes made on demand from tables of entries, the root
 * directory (fixed files, then one directory per process), /proc/self and
 * /proc/thread-self, and the open/readdir code shared by all directories. */
#include "kernel/fs/locks.h"
#include "kernel/fs/proc/internal.h"
#include "kernel/fs/proc/proc_fs.h"
#include "kernel/ipc/ipc.h"
#include "kernel/fs/file.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/slab.h"
#include "proc/cred.h"

/* ---- inodes and dentries ---- */

static void proc_evict_inode(struct inode *inode)
{
	kfree(inode->i_private);
	inode->i_private = NULL;
}

static int proc_statfs(struct super_block *sb, struct kstatfs *buf)
{
	(void)sb;
	memset(buf, 0, sizeof(*buf));
	buf->f_type = PROC_SUPER_MAGIC;
	buf->f_bsize = PAGE_SIZE;
	buf->f_frsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	return 0;
}

static const struct super_operations proc_sops = {
	.evict_inode = proc_evict_inode,
	.statfs = proc_statfs,
};

/* Nothing in /proc is worth caching: a pid directory must vanish with its
 * task, and fixed files cost little to make again. */
static bool proc_d_delete(const struct dentry *d)
{
	(void)d;
	return true;
}

const struct dentry_operations proc_dentry_ops = {
	.d_delete = proc_d_delete,
};

static const struct inode_operations proc_file_iops; /* regular files: nothing */

struct inode *proc_make_inode(struct super_block *sb, const struct proc_entry *e, int pid,
			      bool thread, int fd, u64 ino)
{
	struct proc_inode *pi = kzalloc(sizeof(*pi));
	struct inode *inode = pi ? new_inode(sb) : NULL;

	if (!inode) {
		kfree(pi);
		return NULL;
	}
	pi->pid = pid;
	pi->fd = fd;
	pi->thread = thread;
	pi->ent = e;
	inode->i_private = pi;
	/* A static entry's number is its address: stable and unique below 2^32. */
	inode->i_ino = ino ? ino : (u32)(uintptr_t)e;
	inode->i_mode = e->mode;
	inode->i_op = e->iop ? e->iop : &proc_file_iops;
	inode->i_fop = e->fop ? e->fop : &proc_text_fops;
	if (S_ISDIR(e->mode))
		inode->i_nlink = 2;
	/* A task's files belong to its effective ids (Linux: task_dump_owner),
	 * so a process that gave up root still reads its own fd/ and map_files. */
	const struct cred *c = pid > 0 ? proc_get_task_cred(pid) : NULL;
	if (c) {
		inode->i_uid = c->euid;
		inode->i_gid = c->egid;
		put_cred(c);
	}
	return inode;
}

/* ---- files ---- */

/* Text files: made once at open by the entry's show function. */
static int proc_text_open(struct inode *inode, struct file *f)
{
	struct proc_inode *pi = PROC_I(inode);

	if (pi->pid && !proc_task_exists(pi->pid))
		return -ESRCH;
	return single_open(f, pi->ent->show);
}

const struct file_operations proc_text_fops = {
	.open = proc_text_open,
	.read_iter = single_read,
	.release = single_release,
	.llseek = no_seek_end_llseek,
};

/* ---- directories made of a table ---- */

static bool name_is(const struct dentry *d, const char *name)
{
	size_t len = strlen(name);

	return d->d_name.len == len && !memcmp(d->d_name.name, name, len);
}

struct dentry *proc_lookup_entries(struct inode *dir, struct dentry *d, const struct proc_entry *t,
				   u64 (*ino_of)(struct inode *dir, int i))
{
	struct proc_inode *pd = PROC_I(dir);

	for (int i = 0; t[i].name; i++) {
		if (!name_is(d, t[i].name))
			continue;
		if (pd->pid && !proc_task_exists(pd->pid))
			return ERR_PTR(-ESRCH); /* a directory of a task now gone: Linux's answer */
		struct inode *inode = proc_make_inode(dir->i_sb, &t[i], pd->pid, pd->thread, pd->fd,
						      ino_of ? ino_of(dir, i) : 0);
		if (!inode)
			return ERR_PTR(-ENOMEM);
		d_add(d, inode);
		return NULL;
	}
	return ERR_PTR(-ENOENT);
}

bool proc_emit_dots(struct file *f, struct dir_context *ctx)
{
	struct dentry *d = f->f_dentry;

	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, d->d_inode->i_ino, DT_DIR))
			return false;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!dir_emit(ctx, "..", 2, d->d_parent->d_inode->i_ino, DT_DIR))
			return false;
		ctx->pos = 2;
	}
	return true;
}

int proc_readdir_entries(struct file *f, struct dir_context *ctx, const struct proc_entry *t,
			 u64 (*ino_of)(struct inode *dir, int i))
{
	struct inode *dir = f->f_inode;
	int n = 0;

	if (!proc_emit_dots(f, ctx))
		return 0;
	while (t[n].name)
		n++;
	for (u64 i = ctx->pos - 2; i < (u64)n; i++) {
		const struct proc_entry *e = &t[i];
		u64 ino = ino_of ? ino_of(dir, (int)i) : (u32)(uintptr_t)e;
		if (!dir_emit(ctx, e->name, (int)strlen(e->name), ino, mode_to_dtype(e->mode)))
			return 0;
		ctx->pos = i + 3;
	}
	return 0;
}

static struct dentry *proc_table_lookup(struct inode *dir, struct dentry *d)
{
	return proc_lookup_entries(dir, d, PROC_I(dir)->ent->children, NULL);
}

static int proc_table_readdir(struct file *f, struct dir_context *ctx)
{
	return proc_readdir_entries(f, ctx, PROC_I(f->f_inode)->ent->children, NULL);
}

const struct inode_operations proc_table_dir_iops = { .lookup = proc_table_lookup };
const struct file_operations proc_table_dir_fops = {
	.iterate = proc_table_readdir,
	.llseek = no_seek_end_llseek,
};

/* ---- /proc/self, /proc/thread-self ---- */

static const char *proc_self_get_link(struct dentry *d, struct inode *inode, char **tofree)
{
	char text[16];

	(void)d, (void)inode;
	snprintf(text, sizeof(text), "%d", current->tgid);
	return proc_link_text(text, tofree);
}

static const char *proc_thread_self_get_link(struct dentry *d, struct inode *inode, char **tofree)
{
	char text[40];

	(void)d, (void)inode;
	snprintf(text, sizeof(text), "%d/task/%d", current->tgid, current->pid);
	return proc_link_text(text, tofree);
}

const struct inode_operations proc_self_link_iops = { .get_link = proc_self_get_link };
const struct inode_operations proc_thread_self_link_iops = { .get_link = proc_thread_self_get_link };

/* ---- the root directory ---- */

static const struct proc_entry sysvipc_entries[] = {
	PROC_TEXT("msg", sysvipc_msg_proc_show),
	PROC_TEXT("sem", sysvipc_sem_proc_show),
	PROC_TEXT("shm", sysvipc_shm_proc_show),
	{ 0 }
};

static const struct proc_entry root_entries[] = {
	{ .name = "self", .mode = S_IFLNK | 0777, .iop = &proc_self_link_iops },
	{ .name = "thread-self", .mode = S_IFLNK | 0777, .iop = &proc_thread_self_link_iops },
	PROC_TEXT("cpuinfo", proc_cpuinfo_show),
	PROC_TEXT("meminfo", proc_meminfo_show),
	PROC_TEXT("locks", locks_show),
	PROC_TEXT("stat", proc_stat_show),
	PROC_TEXT("uptime", proc_uptime_show),
	PROC_TEXT("loadavg", proc_loadavg_show),
	PROC_TEXT("version", proc_version_show),
	PROC_TEXT("schedstat", proc_schedstat_show),
	PROC_TEXT("mounts", proc_mounts_show),
	PROC_TEXT("filesystems", proc_filesystems_show),
	{ .name = "kpagecount", .mode = S_IFREG | 0400, .fop = &proc_kpagecount_fops },
	PROC_DIR_ENTRY("sys", proc_sys_entries),
	PROC_DIR_ENTRY("sysvipc", sysvipc_entries),
	{ 0 }
};
#define NR_ROOT_ENTRIES (ARRAY_SIZE(root_entries) - 1)

static struct dentry *proc_root_lookup(struct inode *dir, struct dentry *d)
{
	struct dentry *r = proc_lookup_entries(dir, d, root_entries, NULL);

	if (r != ERR_PTR(-ENOENT))
		return r;
	return proc_pid_lookup(dir, d);
}

/* Positions: ".", "..", the fixed entries, then 2 + NR_ROOT_ENTRIES + tgid. */
static int proc_root_readdir(struct file *f, struct dir_context *ctx)
{
	if (ctx->pos < 2 + NR_ROOT_ENTRIES) {
		proc_readdir_entries(f, ctx, root_entries, NULL);
		if (ctx->pos < 2 + NR_ROOT_ENTRIES)
			return 0; /* the caller's buffer is full */
	}
	return proc_pid_readdir(f, ctx, 2 + NR_ROOT_ENTRIES);
}

static const struct inode_operations proc_root_iops = { .lookup = proc_root_lookup };
static const struct file_operations proc_root_fops = {
	.iterate = proc_root_readdir,
	.llseek = no_seek_end_llseek,
};
static const struct proc_entry proc_root_entry = {
	.name = "/", .mode = S_IFDIR | 0555, .iop = &proc_root_iops, .fop = &proc_root_fops,
};

/* ---- the file system type ---- */

static int proc_get_sb(struct file_system_type *t, unsigned long flags, const char *dev,
		       void *data, struct super_block **out)
{
	struct super_block *sb = alloc_super(t, &proc_sops, PROC_SUPER_MAGIC);
	struct inode *root;

	(void)dev, (void)data;
	if (!sb)
		return -ENOMEM;
	sb->s_flags = flags;
	root = proc_make_inode(sb, &proc_root_entry, 0, false, -1, PROC_ROOT_INO);
	sb->s_root = d_make_root(root);
	if (!sb->s_root) {
		kfree(sb);
		return -ENOMEM;
	}
	sb->s_root->d_op = &proc_dentry_ops; /* d_alloc hands it down to every child */
	*out = sb;
	return 0;
}

static void proc_kill_sb(struct super_block *sb)
{
	dput(sb->s_root);
	kfree(sb);
}

struct file_system_type proc_fs_type = {
	.name = "proc",
	.get_sb = proc_get_sb,
	.kill_sb = proc_kill_sb,
	.nodev = true,
};

void proc_root_init(void)
{
	int err = register_filesystem(&proc_fs_type);

	if (err)
		pr_err("proc: cannot register the file system (error %d)\n", err);
	proc_loadavg_init();
}
