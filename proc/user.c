/* user_struct: one per real uid in use, found through a small hash (Linux:
 * kernel/user.c). Looked up only when a uid changes (setuid family), never
 * on fork, which just takes another reference through the cred. */
#include "proc/user.h"
#include "kernel/spinlock.h"
#include "mm/slab.h"

#define UIDHASH_SIZE 64

/* root's: init_cred points at it; never freed. */
struct user_struct root_user = { .count = 1 << 30, .uid = 0 };

/* Protects uidhash[] chains and the freeing of a user_struct whose count
 * dropped to 0 (a lookup may revive it until it is unlinked). */
static DEFINE_SPINLOCK(uidhash_lock);
static struct user_struct *uidhash[UIDHASH_SIZE];

static struct user_struct **bucket(u32 uid)
{
	return &uidhash[(uid ^ (uid >> 6)) % UIDHASH_SIZE];
}

static struct user_struct *find_user(u32 uid)
{
	if (uid == 0)
		return &root_user;
	for (struct user_struct *u = *bucket(uid); u; u = u->next)
		if (u->uid == uid)
			return u;
	return NULL;
}

struct user_struct *alloc_uid(u32 uid)
{
	struct user_struct *fresh = NULL, *u;

	for (;;) {
		spin_lock(&uidhash_lock);
		if ((u = find_user(uid))) {
			get_uid(u);
			spin_unlock(&uidhash_lock);
			kfree(fresh);
			return u;
		}
		if (fresh) {
			fresh->next = *bucket(uid);
			*bucket(uid) = fresh;
			spin_unlock(&uidhash_lock);
			return fresh;
		}
		spin_unlock(&uidhash_lock);
		fresh = kzalloc(sizeof(*fresh)); /* not under the lock */
		if (!fresh)
			return NULL;
		fresh->uid = uid;
		fresh->count = 1;
	}
}

void free_uid(struct user_struct *u)
{
	if (!u || u == &root_user)
		return;
	spin_lock(&uidhash_lock);
	if (__atomic_sub_fetch(&u->count, 1, __ATOMIC_ACQ_REL) == 0) {
		struct user_struct **p = bucket(u->uid);
		while (*p != u)
			p = &(*p)->next;
		*p = u->next;
	} else {
		u = NULL;
	}
	spin_unlock(&uidhash_lock);
	kfree(u);
}
