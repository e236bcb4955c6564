/* Process credentials (Linux: include/linux/cred.h): who a task is (user
 * and group ids, supplementary groups) and what it may do (capabilities).
 * A struct cred never changes once installed: changes copy it
 * (prepare_creds), edit the copy and install it (commit_creds). */
#ifndef PROC_CRED_H
#define PROC_CRED_H
#include "kernel/types.h"
#include "proc/task.h"

#define NGROUPS_MAX 65536
#define INVALID_UID ((u32)-1) /* "no change" for the set*id calls, never an id */

/* Supplementary groups, shared by every cred that has the same list. */
struct group_info {
	int usage;               /* references (atomic) */
	int ngroups;
	u32 gid[];               /* sorted ascending: groups_search is a bisection */
};

/* Capabilities (Linux numbering), one bit each in a u64 set. */
#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_DAC_READ_SEARCH 2
#define CAP_FOWNER 3
#define CAP_FSETID 4
#define CAP_KILL 5
#define CAP_SETGID 6
#define CAP_SETUID 7
#define CAP_SETPCAP 8
#define CAP_LINUX_IMMUTABLE 9
#define CAP_IPC_LOCK 14
#define CAP_IPC_OWNER 15
#define CAP_SYS_CHROOT 18
#define CAP_SYS_ADMIN 21
#define CAP_SYS_BOOT 22
#define CAP_SYS_RESOURCE 24
#define CAP_SYS_TIME 25
#define CAP_MKNOD 27
#define CAP_MAC_OVERRIDE 32
#define CAP_SYSLOG 34
#define CAP_LAST_CAP 40
#define CAP_FULL_SET ((1ULL << (CAP_LAST_CAP + 1)) - 1)
#define CAP_TO_MASK(c) (1ULL << (c))
/* The ones that follow the fsuid (setfsuid to/from 0 raises/drops them). */
#define CAP_FS_MASK (CAP_TO_MASK(CAP_CHOWN) | CAP_TO_MASK(CAP_DAC_OVERRIDE) |              \
		     CAP_TO_MASK(CAP_DAC_READ_SEARCH) | CAP_TO_MASK(CAP_FOWNER) |            \
		     CAP_TO_MASK(CAP_FSETID) | CAP_TO_MASK(CAP_LINUX_IMMUTABLE) |             \
		     CAP_TO_MASK(CAP_MAC_OVERRIDE) | CAP_TO_MASK(CAP_MKNOD))

struct cred {
	int usage;               /* references (atomic): tasks and overrides using it */
	u32 uid, gid;            /* real: who started the process (kill, access) */
	u32 suid, sgid;          /* saved: what set*id may switch back to */
	u32 euid, egid;          /* effective: signals, new ipc objects, capabilities */
	u32 fsuid, fsgid;        /* file-system checks and new files' owner */
	u64 cap_inheritable, cap_permitted, cap_effective, cap_bset;
	struct group_info *group_info;
	struct user_struct *user; /* the real uid's accounting (proc/user.h) */
};

extern struct cred init_cred;       /* root with every capability: init_task's */
extern struct group_info init_groups;

static inline const struct cred *get_cred(const struct cred *c)
{
	__atomic_add_fetch(&((struct cred *)c)->usage, 1, __ATOMIC_RELAXED);
	return c;
}
void put_cred(const struct cred *c);

/* The subjective creds (what current acts with) and the objective ones
 * (what others see of a task); they differ only inside override_creds. */
static inline const struct cred *current_cred(void) { return current->cred; }
#define current_uid() (current_cred()->uid)
#define current_euid() (current_cred()->euid)
#define current_fsuid() (current_cred()->fsuid)
#define current_fsgid() (current_cred()->fsgid)

struct cred *prepare_creds(void);            /* a private copy of current's, or NULL */
int commit_creds(struct cred *new);          /* install it; takes the reference */
void abort_creds(struct cred *new);          /* discard an uncommitted copy */
const struct cred *override_creds(const struct cred *c); /* subjective only; returns the old */
void revert_creds(const struct cred *old);
/* t's objective creds with a reference (t may be another task). */
const struct cred *get_task_cred(struct task_struct *t);
int copy_creds(struct task_struct *p, unsigned long clone_flags);
void exit_creds(struct task_struct *t);

bool capable(int cap);                       /* in current's effective set */
bool in_group_p(u32 gid);                    /* fsgid or a supplementary group */
bool in_egroup_p(u32 gid);                   /* egid or a supplementary group */

struct group_info *groups_alloc(int n);
void put_group_info(struct group_info *gi);
bool groups_search(const struct group_info *gi, u32 gid);

/* execve: the new creds (set-user/group-ID file, capabilities) and
 * whether the program must run in secure mode (AT_SECURE). */
struct linux_binprm;
int bprm_creds_from_file(struct linux_binprm *b);

#endif
