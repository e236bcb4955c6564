/* Credentials: the copy-on-write struct cred (Linux: kernel/cred.c) and
 * the calls that change user and group ids (Linux: kernel/sys.c). A task
 * never edits its installed cred: it copies it, edits the copy, and
 * commit_creds swaps the pointer, so readers holding a reference always
 * see a consistent set of ids. */
#include "proc/cred.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/fork.h"
#include "proc/user.h"

struct group_info init_groups = { .usage = 1 << 30, .ngroups = 0 };

/* The boot task's creds: root with every capability. Never freed. */
struct cred init_cred = {
	.usage = 1 << 30,
	.cap_permitted = CAP_FULL_SET,
	.cap_effective = CAP_FULL_SET,
	.cap_bset = CAP_FULL_SET,
	.group_info = &init_groups,
	.user = &root_user,
};

void put_cred(const struct cred *c)
{
	struct cred *cred = (struct cred *)c;

	if (cred && __atomic_sub_fetch(&cred->usage, 1, __ATOMIC_ACQ_REL) == 0) {
		put_group_info(cred->group_info);
		free_uid(cred->user);
		kfree(cred);
	}
}

struct cred *prepare_creds(void)
{
	struct cred *new = kmalloc(sizeof(*new));

	if (!new)
		return NULL;
	*new = *current_cred();
	new->usage = 1;
	__atomic_add_fetch(&new->group_info->usage, 1, __ATOMIC_RELAXED);
	get_uid(new->user);
	return new;
}

void abort_creds(struct cred *new)
{
	put_cred(new);
}

/* Install new as both the objective and subjective creds of current. A
 * change of effective or fs identity forgets the parent-death signal, as
 * Linux does, so a less privileged parent cannot signal us through it. */
int commit_creds(struct cred *new)
{
	struct task_struct *t = current;
	const struct cred *old = t->real_cred, *old_sub = t->cred;

	if (old->euid != new->euid || old->egid != new->egid || old->fsuid != new->fsuid ||
	    old->fsgid != new->fsgid)
		t->pdeath_signal = 0;
	get_cred(new); /* one reference for each pointer */
	if (new->user != old->user) { /* this task now counts for the new uid */
		user_processes_add(new->user, 1);
		user_processes_add(old->user, -1);
	}
	task_lock(t);
	t->real_cred = new;
	task_unlock(t);
	t->cred = new;
	put_cred(old);
	put_cred(old_sub);
	return 0;
}

/* Act with c for a while (access() checks with the real ids); the
 * objective creds others see stay as they were. */
const struct cred *override_creds(const struct cred *c)
{
	const struct cred *old = current->cred;

	current->cred = get_cred(c);
	return old;
}

void revert_creds(const struct cred *old)
{
	const struct cred *over = current->cred;

	current->cred = old;
	put_cred(over);
}

const struct cred *get_task_cred(struct task_struct *t)
{
	task_lock(t);
	const struct cred *c = get_cred(t->real_cred);
	task_unlock(t);
	return c;
}

/* fork and clone share the parent's creds: nothing edits a committed
 * cred, so the first set*id of either side makes its own copy. */
int copy_creds(struct task_struct *p, unsigned long clone_flags)
{
	(void)clone_flags;
	p->real_cred = get_task_cred(current);
	p->cred = get_cred(p->real_cred);
	user_processes_add(p->real_cred->user, 1);
	return 0;
}

/* The task struct is going away (Linux: __put_task_struct). Its creds
 * lasted as long as it: kill() and /proc still ask a zombie's. */
void exit_creds(struct task_struct *t)
{
	if (t->real_cred)
		user_processes_add(t->real_cred->user, -1);
	put_cred(t->real_cred);
	put_cred(t->cred);
	t->real_cred = t->cred = NULL;
}

bool capable(int cap)
{
	return (current_cred()->cap_effective >> cap) & 1;
}

/* ---- user and group ids (Linux: kernel/sys.c) ---- */

/* Capabilities follow the uids (Linux: cap_emulate_setxuid): losing
 * root in all three uids loses them all; effective root gives the
 * effective set, leaving it takes it away. */
static void fix_setuid(struct cred *new, const struct cred *old)
{
	bool old_root = !old->uid || !old->euid || !old->suid;
	bool new_root = !new->uid || !new->euid || !new->suid;

	if (old_root && !new_root)
		new->cap_permitted = new->cap_effective = 0;
	if (!old->euid && new->euid)
		new->cap_effective = 0;
	if (old->euid && !new->euid)
		new->cap_effective = new->cap_permitted;
}

/* The fs-related capabilities follow the fsuid (setfsuid). */
static void fix_setfsuid(struct cred *new, const struct cred *old)
{
	if (!old->fsuid && new->fsuid)
		new->cap_effective &= ~CAP_FS_MASK;
	if (old->fsuid && !new->fsuid)
		new->cap_effective |= new->cap_permitted & CAP_FS_MASK;
}

/* The uid side or the gid side of a cred: the set*uid and set*gid calls
 * follow the same rules, with CAP_SETUID or CAP_SETGID. */
struct idset {
	u32 *real, *eff, *saved, *fs;
};

static struct idset ids_of(const struct cred *c, bool uid)
{
	struct cred *w = (struct cred *)c; /* only written through for a new cred */

	if (uid)
		return (struct idset){ &w->uid, &w->euid, &w->suid, &w->fsuid };
	return (struct idset){ &w->gid, &w->egid, &w->sgid, &w->fsgid };
}

static bool may_setid(bool uid)
{
	return capable(uid ? CAP_SETUID : CAP_SETGID);
}

/* One of the ids an unprivileged task may switch among. */
static bool is_own_id(u32 id, struct idset o)
{
	return id == *o.real || id == *o.eff || id == *o.saved;
}

/* -1 leaves an id as it is. */
static void set_id(u32 *id, u32 v)
{
	if (v != INVALID_UID)
		*id = v;
}

/* Commit new (capabilities fixed up after a uid change), or drop it. */
static long commit_id_change(struct cred *new, bool uid, long err)
{
	if (err) {
		abort_creds(new);
		return err;
	}
	if (uid)
		fix_setuid(new, current_cred());
	if (new->uid != new->user->uid) { /* Linux's set_user */
		struct user_struct *u = alloc_uid(new->uid);
		if (!u) {
			abort_creds(new);
			return -EAGAIN;
		}
		free_uid(new->user);
		new->user = u;
	}
	return commit_creds(new);
}

/* setuid/setgid: privileged, all of real, effective and saved; else only
 * the effective id, to the real or saved one. */
static long do_setid(u32 id, bool uid)
{
	struct idset o = ids_of(current_cred(), uid);
	struct cred *new;

	if (id == INVALID_UID)
		return -EINVAL;
	if (!(new = prepare_creds()))
		return -ENOMEM;
	struct idset n = ids_of(new, uid);
	if (may_setid(uid))
		*n.real = *n.saved = id;
	else if (id != *o.real && id != *o.saved)
		return commit_id_change(new, uid, -EPERM);
	*n.eff = *n.fs = id;
	return commit_id_change(new, uid, 0);
}

/* Install the ids that are not -1 (the fs id follows the effective one). */
static long change_ids(u32 rid, u32 eid, u32 sid, bool uid)
{
	struct cred *new = prepare_creds();

	if (!new)
		return -ENOMEM;
	struct idset n = ids_of(new, uid);
	set_id(n.real, rid);
	set_id(n.eff, eid);
	set_id(n.saved, sid);
	*n.fs = *n.eff;
	return commit_id_change(new, uid, 0);
}

/* setreuid/setregid: the real id may become the effective one, the
 * effective id any of the three. Changing the real id, or the effective
 * one to other than the real, saves the new effective id, so the old
 * one cannot come back. */
static long do_setreid(u32 rid, u32 eid, bool uid)
{
	struct idset o = ids_of(current_cred(), uid);
	bool priv = may_setid(uid);
	u32 sid = INVALID_UID;

	if ((rid != INVALID_UID && !priv && rid != *o.real && rid != *o.eff) ||
	    (eid != INVALID_UID && !priv && !is_own_id(eid, o)))
		return -EPERM;
	if (rid != INVALID_UID || (eid != INVALID_UID && eid != *o.real))
		sid = eid != INVALID_UID ? eid : *o.eff;
	return change_ids(rid, eid, sid, uid);
}

/* setresuid/setresgid: each of the three to any of the current three. */
static long do_setresid(u32 rid, u32 eid, u32 sid, bool uid)
{
	struct idset o = ids_of(current_cred(), uid);
	bool priv = may_setid(uid);
	u32 want[3] = { rid, eid, sid };

	for (int i = 0; i < 3; i++)
		if (want[i] != INVALID_UID && !priv && !is_own_id(want[i], o))
			return -EPERM;
	return change_ids(rid, eid, sid, uid);
}

/* setfsuid/setfsgid return the old value whether or not they changed it
 * (Linux's interface: the only way to read the fs ids). */
static long do_setfsid(u32 id, bool uid)
{
	const struct cred *old = current_cred();
	struct idset o = ids_of(old, uid);
	u32 old_fs = *o.fs;
	struct cred *new;

	if (id == INVALID_UID || id == old_fs || (!is_own_id(id, o) && !may_setid(uid)))
		return old_fs;
	if (!(new = prepare_creds()))
		return old_fs;
	*ids_of(new, uid).fs = id;
	if (uid)
		fix_setfsuid(new, old);
	commit_creds(new);
	return old_fs;
}

static long put_ids(struct idset c, u32 __user *r, u32 __user *e, u32 __user *s)
{
	if (put_user(*c.real, r) || put_user(*c.eff, e) || put_user(*c.saved, s))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(setuid, u32, uid) { return do_setid(uid, true); }
SYSCALL_DEFINE1(setgid, u32, gid) { return do_setid(gid, false); }
SYSCALL_DEFINE2(setreuid, u32, ruid, u32, euid) { return do_setreid(ruid, euid, true); }
SYSCALL_DEFINE2(setregid, u32, rgid, u32, egid) { return do_setreid(rgid, egid, false); }
SYSCALL_DEFINE3(setresuid, u32, ruid, u32, euid, u32, suid)
{
	return do_setresid(ruid, euid, suid, true);
}
SYSCALL_DEFINE3(setresgid, u32, rgid, u32, egid, u32, sgid)
{
	return do_setresid(rgid, egid, sgid, false);
}
SYSCALL_DEFINE3(getresuid, u32 __user *, ruid, u32 __user *, euid, u32 __user *, suid)
{
	return put_ids(ids_of(current_cred(), true), ruid, euid, suid);
}
SYSCALL_DEFINE3(getresgid, u32 __user *, rgid, u32 __user *, egid, u32 __user *, sgid)
{
	return put_ids(ids_of(current_cred(), false), rgid, egid, sgid);
}
SYSCALL_DEFINE1(setfsuid, u32, uid) { return do_setfsid(uid, true); }
SYSCALL_DEFINE1(setfsgid, u32, gid) { return do_setfsid(gid, false); }
SYSCALL_DEFINE0(getuid) { return current_cred()->uid; }
SYSCALL_DEFINE0(geteuid) { return current_cred()->euid; }
SYSCALL_DEFINE0(getgid) { return current_cred()->gid; }
SYSCALL_DEFINE0(getegid) { return current_cred()->egid; }
