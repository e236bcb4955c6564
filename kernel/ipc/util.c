/* System V IPC identifier tables and permission checks shared by shm, sem
 * and msg (Linux: ipc/util.c). One global namespace. A lookup by id takes
 * only the slot's lock and then the object's: no table-wide lock on the
 * path of semop, msgsnd or msgrcv. */
#include "kernel/ipc/util.h"
#include "kernel/ipc/ipc.h"
#include "kernel/errno.h"
#include "kernel/fs/proc/internal.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/timekeeping.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "proc/cred.h"
#include "proc/sched.h"
#include "arch/riscv/ptrace.h"


u32 ipc_current_euid(void) { return current_euid(); }
u32 ipc_current_egid(void) { return current_cred()->egid; }

/* Linux's ipcperms asks for CAP_IPC_OWNER. */
bool ipc_capable(void) { return capable(CAP_IPC_OWNER); }

long ipc_get_seconds(void) { return (long)(ktime_get_real_ns() / 1000000000ULL); }

void ipc_init_ids(struct ipc_ids *ids, int limit)
{
	mutex_init(&ids->rwsem);
	ids->in_use = 0;
	ids->seq = 0;
	ids->max_idx = -1;
	ids->limit = limit;
	for (int i = 0; i < IPC_KEY_BUCKETS; i++)
		INIT_LIST_HEAD(&ids->key_hash[i]);
	for (int i = 0; i < IPC_MAX_ENTRIES; i++) {
		spin_lock_init(&ids->entries[i].lock);
		ids->entries[i].perm = NULL;
	}
}

void ipc_init(void)
{
	shm_init();
	sem_init();
	msg_init();
	mq_init();
}

static struct list_head *key_bucket(struct ipc_ids *ids, key_t key)
{
	return &ids->key_hash[(u32)key % IPC_KEY_BUCKETS];
}

/* The object with this key (ids->rwsem held), or NULL. */
static struct kern_ipc_perm *ipc_findkey(struct ipc_ids *ids, key_t key)
{
	struct list_head *head = key_bucket(ids, key), *p;

	list_for_each(p, head) {
		struct kern_ipc_perm *perm = list_entry(p, struct kern_ipc_perm, key_list);
		if (perm->key == key)
			return perm;
	}
	return NULL;
}

int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *perm, key_t key, int mode)
{
	int idx;

	if (ids->in_use >= ids->limit)
		return -ENOSPC;
	for (idx = 0; idx < ids->limit && ids->entries[idx].perm; idx++)
		;
	if (idx == ids->limit)
		return -ENOSPC;
	spin_lock_init(&perm->lock);
	perm->deleted = false;
	perm->key = key;
	perm->uid = perm->cuid = ipc_current_euid();
	perm->gid = perm->cgid = ipc_current_egid();
	perm->mode = (u32)mode & 0777;
	perm->seq = ids->seq;
	ids->seq = ids->seq >= IPCID_SEQ_MAX ? 0 : ids->seq + 1;
	perm->id = perm->seq * SEQ_MULTIPLIER + idx;
	perm->refcount = 1; /* the table's */
	INIT_LIST_HEAD(&perm->key_list);
	if (key != IPC_PRIVATE)
		list_add(&perm->key_list, key_bucket(ids, key));
	ids->in_use++;
	if (idx > ids->max_idx)
		ids->max_idx = idx;
	spin_lock(&ids->entries[idx].lock);
	ids->entries[idx].perm = perm; /* findable from here on */
	spin_unlock(&ids->entries[idx].lock);
	return perm->id;
}

void ipc_set_key_private(struct ipc_ids *ids, struct kern_ipc_perm *perm)
{
	(void)ids;
	list_del_init(&perm->key_list);
	perm->key = IPC_PRIVATE;
}

void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *perm)
{
	int idx = perm->id % SEQ_MULTIPLIER;

	spin_lock(&ids->entries[idx].lock);
	ids->entries[idx].perm = NULL;
	spin_unlock(&ids->entries[idx].lock);
	ipc_set_key_private(ids, perm);
	perm->deleted = true;
	ids->in_use--;
	while (ids->max_idx >= 0 && !ids->entries[ids->max_idx].perm)
		ids->max_idx--;
}

void ipc_getref(struct kern_ipc_perm *perm)
{
	__atomic_add_fetch(&perm->refcount, 1, __ATOMIC_RELAXED);
}

void ipc_putref(struct kern_ipc_perm *perm)
{
	if (__atomic_sub_fetch(&perm->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		perm->free(perm);
}

struct kern_ipc_perm *ipc_obtain_object_idx(struct ipc_ids *ids, int idx)
{
	struct kern_ipc_perm *perm;

	if (idx < 0 || idx >= IPC_MAX_ENTRIES)
		return ERR_PTR(-EINVAL);
	spin_lock(&ids->entries[idx].lock);
	perm = ids->entries[idx].perm;
	if (perm)
		ipc_getref(perm);
	spin_unlock(&ids->entries[idx].lock);
	return perm ? perm : ERR_PTR(-EINVAL);
}

struct kern_ipc_perm *ipc_obtain_object_check(struct ipc_ids *ids, int id)
{
	struct kern_ipc_perm *perm;

	if (id < 0)
		return ERR_PTR(-EINVAL);
	perm = ipc_obtain_object_idx(ids, id % SEQ_MULTIPLIER);
	if (!IS_ERR(perm) && perm->id != id) { /* a stale id: the slot was reused */
		ipc_putref(perm);
		return ERR_PTR(-EINVAL);
	}
	return perm;
}

int ipc_lock_object_check(struct kern_ipc_perm *perm)
{
	spin_lock(&perm->lock);
	if (perm->deleted) {
		spin_unlock(&perm->lock);
		return -EIDRM;
	}
	return 0;
}

static struct kern_ipc_perm *ipc_obtain_lock_stat(struct ipc_ids *ids, int id, bool by_idx)
{
	struct kern_ipc_perm *perm;
	int err;

	perm = by_idx ? ipc_obtain_object_idx(ids, id) : ipc_obtain_object_check(ids, id);
	if (IS_ERR(perm))
		return perm;
	err = ipc_lock_object_check(perm);
	if (err) {
		ipc_putref(perm);
		return ERR_PTR(err);
	}
	return perm;
}

struct kern_ipc_perm *ipc_obtain_lock(struct ipc_ids *ids, int id)
{
	return ipc_obtain_lock_stat(ids, id, false);
}

void ipc_unlock_put(struct kern_ipc_perm *perm)
{
	ipc_unlock_object(perm);
	ipc_putref(perm);
}

struct kern_ipc_perm *ipcctl_obtain_check(struct ipc_ids *ids, int id)
{
	struct kern_ipc_perm *perm;

	mutex_lock(&ids->rwsem);
	perm = ipc_obtain_lock(ids, id);
	if (!IS_ERR(perm) && !ipc_owner_or_capable(perm)) {
		ipc_unlock_put(perm);
		perm = ERR_PTR(-EPERM);
	}
	if (IS_ERR(perm))
		mutex_unlock(&ids->rwsem);
	return perm;
}

long ipc_stat(struct ipc_ids *ids, int id, int cmd, bool any, void __user *buf, void *ds,
	      size_t size, void (*fill)(struct kern_ipc_perm *perm, void *ds))
{
	struct kern_ipc_perm *perm = ipc_obtain_lock_stat(ids, id, cmd != IPC_STAT);
	long ret;

	if (IS_ERR(perm))
		return PTR_ERR(perm);
	if (!any && ipcperms(perm, S_IRUGO)) {
		ipc_unlock_put(perm);
		return -EACCES;
	}
	memset(ds, 0, size);
	kernel_to_ipc64_perm(perm, ds);
	fill(perm, ds);
	ret = cmd == IPC_STAT ? 0 : perm->id;
	ipc_unlock_put(perm);
	return copy_to_user(buf, ds, size) ? -EFAULT : ret;
}

/* Supplementary groups are not consulted: only the effective gid. */
int ipcperms(struct kern_ipc_perm *perm, short flag)
{
	u32 euid = ipc_current_euid();
	int requested = (flag >> 6) | (flag >> 3) | flag;
	int granted = (int)perm->mode;

	if (euid == perm->cuid || euid == perm->uid)
		granted >>= 6;
	else if (in_egroup_p(perm->cgid) || in_egroup_p(perm->gid))
		granted >>= 3;
	if ((requested & ~granted & 0007) && !ipc_capable())
		return -1;
	return 0;
}

bool ipc_owner_or_capable(struct kern_ipc_perm *perm)
{
	u32 euid = ipc_current_euid();

	return euid == perm->cuid || euid == perm->uid || capable(CAP_SYS_ADMIN);
}

void kernel_to_ipc64_perm(struct kern_ipc_perm *in, struct ipc64_perm *out)
{
	*out = (struct ipc64_perm){
		.key = in->key, .uid = in->uid, .gid = in->gid, .cuid = in->cuid,
		.cgid = in->cgid, .mode = in->mode, .seq = in->seq,
	};
}

void ipc_update_perm(struct ipc64_perm *in, struct kern_ipc_perm *out)
{
	out->uid = in->uid;
	out->gid = in->gid;
	out->mode = (out->mode & ~0777u) | (in->mode & 0777);
}

/* An existing object asked for by key: EEXIST, the kind's checks, EACCES. */
static long ipc_check_existing(struct kern_ipc_perm *perm, const struct ipc_ops *ops,
			       struct ipc_params *p)
{
	long err;

	if ((p->flg & IPC_CREAT) && (p->flg & IPC_EXCL))
		return -EEXIST;
	spin_lock(&perm->lock);
	err = ops->more_checks ? ops->more_checks(perm, p) : 0;
	if (!err && ipcperms(perm, (short)p->flg))
		err = -EACCES;
	if (!err)
		err = perm->id;
	spin_unlock(&perm->lock);
	return err;
}

long ipcget(struct ipc_ids *ids, const struct ipc_ops *ops, struct ipc_params *p)
{
	struct kern_ipc_perm *perm;
	long err;

	mutex_lock(&ids->rwsem);
	perm = p->key == IPC_PRIVATE ? NULL : ipc_findkey(ids, p->key);
	if (perm)
		err = ipc_check_existing(perm, ops, p);
	else if (p->key != IPC_PRIVATE && !(p->flg & IPC_CREAT))
		err = -ENOENT;
	else
		err = ops->getnew(ids, p);
	mutex_unlock(&ids->rwsem);
	return err;
}

size_t ipc_proc_show(struct ipc_ids *ids, char *buf, size_t n, const char *header,
		     void (*show)(struct kern_ipc_perm *perm, struct pbuf *p))
{
	struct pbuf pb = { buf, n, 0 }, *p = &pb;

	pb_write(p, header, strlen(header));
	mutex_lock(&ids->rwsem); /* the slots cannot change meanwhile */
	for (int i = 0; i <= ids->max_idx; i++) {
		struct kern_ipc_perm *perm = ids->entries[i].perm;
		if (!perm)
			continue;
		ipc_lock_object(perm);
		show(perm, p);
		ipc_unlock_object(perm);
	}
	mutex_unlock(&ids->rwsem);
	return pb.len;
}

static void ipc_timeout_wake(struct timer *t)
{
	wake_up_process(t->data);
}

/* Not schedule_timeout(): it sets the task state itself, which would undo
 * a wake-up that came after our unlock, and we would sleep to the end. */
void ipc_sleep(u64 deadline)
{
	struct timer t;

	if (!deadline) {
		schedule();
		return;
	}
	if (ktime_get_ns() >= deadline)
		return;
	timer_init(&t, ipc_timeout_wake, current);
	timer_add(&t, deadline);
	schedule();
	timer_del(&t);
}

int ipc_timeout_deadline(const void __user *uts, u64 *deadline)
{
	struct { s64 tv_sec, tv_nsec; } ts;
	const u64 nsec = 1000000000ULL;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (u64)ts.tv_nsec >= nsec)
		return -EINVAL;
	u64 ns = (u64)ts.tv_sec >= ~0ULL / nsec ? ~0ULL : (u64)ts.tv_sec * nsec + (u64)ts.tv_nsec;
	u64 now = ktime_get_ns();
	*deadline = ns > ~0ULL - now ? ~0ULL : now + ns;
	return 0;
}
