/* Capabilities (Linux: kernel/capability.c, security/commoncap.c without
 * file capabilities or securebits): capget/capset, and the creds a task
 * gets at execve, set-user-ID and set-group-ID files included. Root's
 * power is its capability sets: uid 0 gets them all at exec, and the
 * set*id calls take them away (proc/cred.c: fix_setuid). */
#include "proc/cred.h"
#include "proc/binfmt.h"
#include "proc/sched.h"
#include "kernel/errno.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/mount.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"

#define _LINUX_CAPABILITY_VERSION_1 0x19980330 /* one 32-bit word per set */
#define _LINUX_CAPABILITY_VERSION_2 0x20071026 /* two words (deprecated) */
#define _LINUX_CAPABILITY_VERSION_3 0x20080522 /* two words */

struct cap_header {
	u32 version;
	int pid;
};
struct cap_data {
	u32 effective, permitted, inheritable;
};

/* Words of cap_data the header's version means; an unknown version is
 * answered with the one we prefer. */
static int cap_validate_magic(struct cap_header __user *hdr, int *words)
{
	u32 version;

	if (get_user(version, &hdr->version))
		return -EFAULT;
	if (version == _LINUX_CAPABILITY_VERSION_1) {
		*words = 1;
		return 0;
	}
	if (version == _LINUX_CAPABILITY_VERSION_2 || version == _LINUX_CAPABILITY_VERSION_3) {
		*words = 2;
		return 0;
	}
	if (put_user((u32)_LINUX_CAPABILITY_VERSION_3, &hdr->version))
		return -EFAULT;
	return -EINVAL;
}

SYSCALL_DEFINE2(capget, struct cap_header __user *, hdr, struct cap_data __user *, data)
{
	int words, pid, err = cap_validate_magic(hdr, &words);
	const struct cred *c;

	if (!data || err)
		return !data && err == -EINVAL ? 0 : err;
	if (get_user(pid, &hdr->pid))
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	if (pid && pid != current->pid) {
		spin_lock(&tasklist_lock);
		struct task_struct *t = find_task_by_pid(pid);
		c = t ? get_task_cred(t) : NULL;
		spin_unlock(&tasklist_lock);
		if (!c)
			return -ESRCH;
	} else {
		c = get_cred(current_cred());
	}
	struct cap_data d[2];
	for (int i = 0; i < 2; i++) {
		d[i].effective = (u32)(c->cap_effective >> (32 * i));
		d[i].permitted = (u32)(c->cap_permitted >> (32 * i));
		d[i].inheritable = (u32)(c->cap_inheritable >> (32 * i));
	}
	put_cred(c);
	return copy_to_user(data, d, (size_t)words * sizeof(d[0])) ? -EFAULT : 0;
}

static bool cap_issubset(u64 a, u64 set)
{
	return !(a & ~set);
}

/* Only a task's own sets: permitted may shrink, effective stays inside
 * it, inheritable grows only from permitted (or with CAP_SETPCAP) and
 * never past the bounding set. */
SYSCALL_DEFINE2(capset, struct cap_header __user *, hdr, const struct cap_data __user *, data)
{
	int words, pid, err = cap_validate_magic(hdr, &words);
	struct cap_data d[2] = { { 0, 0, 0 }, { 0, 0, 0 } };

	if (err)
		return err;
	if (get_user(pid, &hdr->pid))
		return -EFAULT;
	if (pid && pid != current->pid)
		return -EPERM;
	if (copy_from_user(d, data, (size_t)words * sizeof(d[0])))
		return -EFAULT;
	u64 eff = ((u64)d[1].effective << 32 | d[0].effective) & CAP_FULL_SET;
	u64 perm = ((u64)d[1].permitted << 32 | d[0].permitted) & CAP_FULL_SET;
	u64 inh = ((u64)d[1].inheritable << 32 | d[0].inheritable) & CAP_FULL_SET;
	const struct cred *old = current_cred();
	if (!capable(CAP_SETPCAP) && !cap_issubset(inh, old->cap_inheritable | old->cap_permitted))
		return -EPERM;
	if (!cap_issubset(inh, old->cap_inheritable | old->cap_bset) ||
	    !cap_issubset(perm, old->cap_permitted) || !cap_issubset(eff, perm))
		return -EPERM;
	struct cred *new = prepare_creds();
	if (!new)
		return -ENOMEM;
	new->cap_effective = eff;
	new->cap_permitted = perm;
	new->cap_inheritable = inh;
	return commit_creds(new);
}

/* execve's new creds, into b->cred (Linux: bprm_fill_uid and
 * cap_bprm_creds_from_file). A set-user-ID file runs with its owner as
 * effective uid, a set-group-ID one (with group execute) with its group;
 * not from a nosuid mount. b->file is what runs: after #! the
 * interpreter, so a script's own set-id bits count for nothing. The
 * saved and fs ids then follow the effective ones. */
int bprm_creds_from_file(struct linux_binprm *b)
{
	struct cred *new = b->cred;
	const struct cred *old = current_cred();
	struct inode *inode = b->file->f_inode;

	if (!(b->file->f_vfsmnt->mnt_flags & MS_NOSUID)) {
		spin_lock(&inode->i_lock);
		u32 mode = inode->i_mode, uid = inode->i_uid, gid = inode->i_gid;
		spin_unlock(&inode->i_lock);
		if (mode & S_ISUID)
			new->euid = uid;
		if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
			new->egid = gid;
	}
	/* No file capabilities: root (real or effective) gets the bounding
	 * set, effective only when the effective uid is root. */
	bool root = !new->uid || !new->euid;
	new->cap_permitted = root ? old->cap_bset | old->cap_inheritable : 0;
	new->cap_effective = !new->euid ? new->cap_permitted : 0;
	new->suid = new->fsuid = new->euid;
	new->sgid = new->fsgid = new->egid;
	/* Secure mode (AT_SECURE: the dynamic linker ignores LD_*) when the
	 * program gains an identity or privileges its caller did not have. */
	b->secureexec = new->euid != old->uid || new->egid != old->gid ||
			(new->uid && (new->cap_effective || !cap_issubset(new->cap_permitted,
									  old->cap_permitted)));
	return 0;
}
