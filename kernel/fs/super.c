/* Super blocks and the list of file system types (Linux: fs/super.c,
 * fs/filesystems.c). Each mount of a nodev file system gets a super
 * block with an anonymous device number, MKDEV(0, n), as Linux does. */
#include "kernel/fs/fs.h"
#include "kernel/fs/dcache.h"
#include "kernel/fs/fsnotify.h"
#include "kernel/string.h"
#include "kernel/printk.h"
#include "mm/slab.h"

static struct file_system_type *file_systems;
static DEFINE_SPINLOCK(file_systems_lock); /* protects file_systems */
static u32 next_anon_dev = 1;               /* atomic */

struct super_block *alloc_super(struct file_system_type *t, const struct super_operations *ops,
				u64 magic)
{
	struct super_block *sb = kzalloc(sizeof(*sb));

	if (!sb)
		return NULL;
	sb->s_type = t;
	sb->s_op = ops;
	sb->s_magic = magic;
	sb->s_dev = MKDEV(0, __atomic_fetch_add(&next_anon_dev, 1, __ATOMIC_RELAXED));
	sb->s_active = 1;
	return sb;
}

void deactivate_super(struct super_block *sb)
{
	if (__atomic_sub_fetch(&sb->s_active, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	fsnotify_sb_delete(sb);
	if (sb->s_type && sb->s_type->kill_sb)
		sb->s_type->kill_sb(sb);
}

int register_filesystem(struct file_system_type *t)
{
	spin_lock(&file_systems_lock);
	for (struct file_system_type *p = file_systems; p; p = p->next)
		if (!strcmp(p->name, t->name)) {
			spin_unlock(&file_systems_lock);
			return -EBUSY;
		}
	struct file_system_type **pp = &file_systems;
	while (*pp)
		pp = &(*pp)->next;
	t->next = NULL;
	*pp = t;
	spin_unlock(&file_systems_lock);
	return 0;
}

struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *p;

	spin_lock(&file_systems_lock);
	for (p = file_systems; p && strcmp(p->name, name); p = p->next)
		;
	spin_unlock(&file_systems_lock);
	return p;
}

size_t filesystems_show(char *buf, size_t n)
{
	size_t len = 0;

	spin_lock(&file_systems_lock);
	for (struct file_system_type *p = file_systems; p; p = p->next)
		len += snprintf(buf + MIN(len, n), n - MIN(len, n), "%s\t%s\n",
				p->nodev ? "nodev" : "", p->name);
	spin_unlock(&file_systems_lock);
	return len;
}
