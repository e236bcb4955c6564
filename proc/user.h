/* Per-user accounting (Linux: kernel/user.c's user_struct, the role 6.1's
 * ucounts play for RLIMIT_NPROC): one object per real uid in use, holding
 * how many tasks that user has, so fork checks RLIMIT_NPROC in O(1). */
#ifndef PROC_USER_H
#define PROC_USER_H
#include "kernel/types.h"

struct user_struct {
	int count;                 /* references: creds whose real uid this is (atomic) */
	long processes;            /* tasks (threads too) with this real uid (atomic) */
	u32 uid;
	struct user_struct *next;  /* hash chain, under uidhash_lock */
};

extern struct user_struct root_user;

/* The user_struct of uid with a reference (made on first use), or NULL. */
struct user_struct *alloc_uid(u32 uid);
static inline struct user_struct *get_uid(struct user_struct *u)
{
	__atomic_add_fetch(&u->count, 1, __ATOMIC_RELAXED);
	return u;
}
void free_uid(struct user_struct *u);   /* drop a reference */

static inline void user_processes_add(struct user_struct *u, long d)
{
	__atomic_add_fetch(&u->processes, d, __ATOMIC_RELAXED);
}

#endif
