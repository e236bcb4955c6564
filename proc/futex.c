/* futex(2), set_robust_list(2) and get_robust_list(2) as Linux riscv64 has
 * them (syscalls 98-100), and the exit-time cleanup of robust futexes and
 * clear_child_tid that pthread_join and robust mutexes depend on.
 *
 * How waiting works. Waiters are kept in a fixed hash table of buckets; a
 * waiter is a struct futex_q on its own kernel stack, keyed by which futex
 * word it waits on:
 *   private futex (FUTEX_PRIVATE_FLAG, or a word in a private mapping):
 *       key = (mm, user address)
 *   shared futex (a word in a VM_MAYSHARE mapping, e.g. MAP_SHARED memory
 *       inherited across fork): key = (struct page, offset in the page),
 *       so processes with different address spaces meet on the same frame.
 *       The key holds a page reference while it is in use.
 * No wake-up is lost: the waiter queues itself under the bucket lock and
 * only then reads the futex word and compares it with the value it was
 * given; the waker changes the word in user space first and then takes the
 * bucket lock to look for waiters. So either the waiter sees the new value
 * (and returns EAGAIN) or the waker finds the waiter on the list.
 */
#include "proc/futex.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "kernel/errno.h"
#include "kernel/list.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/syscall.h"
#include "kernel/timekeeping.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "arch/riscv/csr.h"
#include "mm/mm.h"
#include "mm/mm_types.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/vma.h"

#ifndef ETIMEDOUT
#define ETIMEDOUT 110
#endif

/* futex operations (the op argument, Linux values) */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_FD 2
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI 12
#define FUTEX_LOCK_PI2 13
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

/* FUTEX_WAKE_OP's encoded operation: op:4 cmp:4 oparg:12 cmparg:12 */
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8 /* oparg is a shift count: use 1 << oparg */
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_LE 3
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP_CMP_GE 5

/* Robust futex words (the pthread robust-mutex protocol) */
#define FUTEX_WAITERS 0x80000000u    /* someone sleeps (or will) on the word */
#define FUTEX_OWNER_DIED 0x40000000u /* the owner exited without unlocking */
#define FUTEX_TID_MASK 0x3fffffffu   /* the owner's thread id */
#define ROBUST_LIST_LIMIT 2048       /* entries walked at most (a loop in user memory) */

#define NSEC_PER_SEC 1000000000LL

struct timespec64 {
	s64 tv_sec, tv_nsec;
};

/* The user-space structures of the robust list (glibc's layout). */
struct robust_list {
	struct robust_list __user *next;
};
struct robust_list_head {
	struct robust_list list;   /* circular: the last entry points back here */
	long futex_offset;         /* futex word = (char *)entry + futex_offset */
	struct robust_list __user *list_op_pending; /* a lock being taken/released */
};

/* Which futex word a waiter waits on. */
struct futex_key {
	void *ptr;          /* private: the mm_struct; shared: the struct page */
	unsigned long word; /* private: the user address; shared: offset in the page */
	bool shared;        /* ptr is a page and we hold a reference on it */
};

struct futex_hash_bucket {
	spinlock_t lock;        /* protects chain, and for every futex_q on it:
				 * its list link, key, bucket and woken fields */
	struct list_head chain; /* of struct futex_q */
};

/* One waiting task. It lives on the waiter's kernel stack; a waker or a
 * requeue only touches it with the bucket lock held, and the waiter always
 * takes that lock once more before it returns, so the memory stays valid. */
struct futex_q {
	struct list_head list;
	struct futex_key key;
	u32 bitset;                       /* FUTEX_WAIT_BITSET mask (any: ~0) */
	struct task_struct *task;
	struct futex_hash_bucket *bucket; /* whose lock protects us (requeue moves us) */
	bool woken;                       /* a waker took us off the list */
};

#define FUTEX_HASH_BITS 8
#define FUTEX_HASH_SIZE (1 << FUTEX_HASH_BITS)
static struct futex_hash_bucket futex_queues[FUTEX_HASH_SIZE];

void futex_init(void)
{
	for (int i = 0; i < FUTEX_HASH_SIZE; i++) {
		spin_lock_init(&futex_queues[i].lock);
		INIT_LIST_HEAD(&futex_queues[i].chain);
	}
}

/* ---- keys ---------------------------------------------------------------- */

/* Multiplicative hashing: the top bits of a product by the golden ratio
 * depend on every bit of the input. */
static struct futex_hash_bucket *hash_futex(const struct futex_key *key)
{
	const u64 golden = 0x9e3779b97f4a7c15ULL;
	u64 h = ((u64)(uintptr_t)key->ptr * golden) ^ key->word;

	h *= golden;
	return &futex_queues[h >> (64 - FUTEX_HASH_BITS)];
}

static bool match_futex(const struct futex_key *a, const struct futex_key *b)
{
	return a->ptr == b->ptr && a->word == b->word && a->shared == b->shared;
}

/* The key of a private futex of the current process. */
static void private_key(struct futex_key *key, unsigned long addr)
{
	key->ptr = current->mm;
	key->word = addr;
	key->shared = false;
}

/* Get the key of the futex word at uaddr. For a shared futex the word is
 * faulted in and the frame behind it looked up; the key then holds a page
 * reference that put_futex_key() drops. -EINVAL if unaligned, -EFAULT if
 * the word is not mapped (for private futexes that shows later, when the
 * word is read). */
static int get_futex_key(u32 __user *uaddr, bool shared, struct futex_key *key)
{
	unsigned long addr = (unsigned long)uaddr;
	struct mm_struct *mm = current->mm;

	if (addr % sizeof(u32))
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(u32)) || !mm)
		return -EFAULT;
	if (!shared) {
		private_key(key, addr);
		return 0;
	}

	/* A few tries: the page can be unmapped again between our fault and
	 * the lookup (another thread's munmap or madvise). */
	for (int tries = 0; tries < 8; tries++) {
		u32 v;

		if (get_user(v, uaddr))
			return -EFAULT;
		mmap_read_lock(mm);
		struct vm_area_struct *vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr) {
			mmap_read_unlock(mm);
			return -EFAULT;
		}
		if (!(vma->vm_flags & (VM_SHARED | VM_MAYSHARE))) {
			/* Private memory: nobody outside this mm can wait on it. */
			mmap_read_unlock(mm);
			private_key(key, addr);
			return 0;
		}
		/* The mmap lock keeps the page mapped, hence allocated, until
		 * our reference is taken. */
		struct page *page = follow_page(mm, addr, NULL);
		if (page) {
			get_page(page);
			mmap_read_unlock(mm);
			key->ptr = page;
			key->word = addr & ~PAGE_MASK;
			key->shared = true;
			return 0;
		}
		mmap_read_unlock(mm);
	}
	return -EFAULT;
}

static void put_futex_key(struct futex_key *key)
{
	if (key->shared)
		put_page(key->ptr);
	key->shared = false;
	key->ptr = NULL;
}

/* The keys of the two words an operation on two futexes uses (requeue,
 * wake_op); on failure neither key is held. */
static int get_futex_key_pair(u32 __user *uaddr1, u32 __user *uaddr2, bool shared,
			      struct futex_key *key1, struct futex_key *key2)
{
	int ret = get_futex_key(uaddr1, shared, key1);

	if (ret)
		return ret;
	ret = get_futex_key(uaddr2, shared, key2);
	if (ret)
		put_futex_key(key1);
	return ret;
}

/* ---- atomic access to the futex word -------------------------------------- */

/* Read the futex word with a single lw, so the value compared is one the
 * word really held (copy_from_user may copy a u32 byte by byte). Like
 * uaccess.S, SUM is set only around the access, and a fault resumes at the
 * fixup through the __ex_table entry, giving -EFAULT. */
static int futex_get_value(u32 *dest, u32 __user *uaddr)
{
	long err = 0;
	int val;

	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	__asm__ volatile("	csrs	sstatus, %[sum]\n"
			 "1:	lw	%[val], 0(%[addr])\n"
			 "	j	3f\n"
			 "2:	li	%[err], %[efault]\n"
			 "	li	%[val], 0\n"
			 "3:	csrc	sstatus, %[sum]\n"
			 "	.pushsection __ex_table, \"a\"\n"
			 "	.balign 8\n"
			 "	.quad 1b, 2b\n"
			 "	.popsection\n"
			 : [val] "=&r"(val), [err] "+r"(err)
			 : [addr] "r"(uaddr), [sum] "r"(SR_SUM), [efault] "i"(-EFAULT)
			 : "memory");
	if (err)
		return -EFAULT;
	*dest = (u32)val;
	return 0;
}

/* Atomically: if *uaddr == oldval, store newval. *curval gets the value
 * found (== oldval on success). lr/sc retry until the word either differs
 * or is swapped. 0, or -EFAULT if the word cannot be read or written. */
static int futex_atomic_cmpxchg_inatomic(u32 *curval, u32 __user *uaddr, u32 oldval, u32 newval)
{
	long err = 0, tmp;
	int cur;

	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	__asm__ volatile("	csrs	sstatus, %[sum]\n"
			 "1:	lr.w.aqrl	%[cur], (%[addr])\n"
			 "	bne	%[cur], %[old], 4f\n"
			 "2:	sc.w.aqrl	%[tmp], %[new], (%[addr])\n"
			 "	bnez	%[tmp], 1b\n"
			 "	j	4f\n"
			 "3:	li	%[err], %[efault]\n"
			 "	li	%[cur], 0\n"
			 "4:	csrc	sstatus, %[sum]\n"
			 "	.pushsection __ex_table, \"a\"\n"
			 "	.balign 8\n"
			 "	.quad 1b, 3b\n"
			 "	.quad 2b, 3b\n"
			 "	.popsection\n"
			 : [cur] "=&r"(cur), [tmp] "=&r"(tmp), [err] "+r"(err)
			 : [addr] "r"(uaddr), [old] "r"((long)(int)oldval), [new] "r"(newval),
			   [sum] "r"(SR_SUM), [efault] "i"(-EFAULT)
			 : "memory");
	if (err)
		return -EFAULT;
	*curval = (u32)cur;
	return 0;
}

/* ---- queueing and waking -------------------------------------------------- */

/* Take a waking task off its list. Called with the bucket lock held. The
 * task is woken while the lock is still held, so it cannot have left
 * futex_wait() (which takes the lock before returning) and its task_struct
 * and futex_q are still there. */
static void mark_wake_futex(struct futex_q *q)
{
	list_del_init(&q->list);
	q->woken = true;
	wake_up_process(q->task);
}

/* Lock the bucket q is on now. A requeue may move q to another bucket
 * (under both locks) until we hold the right one, so check and retry. */
static struct futex_hash_bucket *lock_futex_q(struct futex_q *q)
{
	for (;;) {
		struct futex_hash_bucket *b = READ_ONCE(q->bucket);

		spin_lock(&b->lock);
		if (b == READ_ONCE(q->bucket))
			return b;
		spin_unlock(&b->lock);
	}
}

/* Take our own futex_q off its list if no waker did. True if a waker
 * took it (the wait succeeded). */
static bool unqueue_me(struct futex_q *q)
{
	struct futex_hash_bucket *b = lock_futex_q(q);
	bool woken = q->woken;

	if (!woken)
		list_del_init(&q->list);
	spin_unlock(&b->lock);
	return woken;
}

/* Lock two buckets in address order (once if they are the same). */
static void double_lock_hb(struct futex_hash_bucket *b1, struct futex_hash_bucket *b2)
{
	if (b1 > b2) {
		struct futex_hash_bucket *t = b1;
		b1 = b2;
		b2 = t;
	}
	spin_lock(&b1->lock);
	if (b1 != b2)
		spin_lock(&b2->lock);
}

static void double_unlock_hb(struct futex_hash_bucket *b1, struct futex_hash_bucket *b2)
{
	spin_unlock(&b1->lock);
	if (b1 != b2)
		spin_unlock(&b2->lock);
}

/* Wake waiters on key whose bitset shares a bit with `bitset`: at most
 * nr, but (as Linux) at least one even when nr <= 0. Bucket lock held.
 * Returns the number woken. */
static int wake_futex_locked(struct futex_hash_bucket *b, const struct futex_key *key, int nr,
			     u32 bitset)
{
	struct list_head *p, *n;
	int woken = 0;

	list_for_each_safe(p, n, &b->chain) {
		struct futex_q *q = list_entry(p, struct futex_q, list);

		if (!match_futex(&q->key, key) || !(q->bitset & bitset))
			continue;
		mark_wake_futex(q);
		if (++woken >= nr)
			break;
	}
	return woken;
}

static void futex_timeout_wake(struct timer *t)
{
	wake_up_process(t->data);
}

/* Sleep in the state the caller set (TASK_INTERRUPTIBLE) until woken, or
 * until the deadline if timed. Not schedule_timeout(): that sets the task
 * state itself, which would undo a wake-up that came between our unlock
 * of the bucket and the call, and we would sleep to the deadline. A
 * timer that fires early (before schedule) just makes schedule return. */
static void futex_sleep(bool timed, u64 deadline)
{
	struct timer t;

	if (!timed) {
		schedule();
		return;
	}
	if (ktime_get_ns() >= deadline)
		return;
	timer_init(&t, futex_timeout_wake, current);
	timer_add(&t, deadline);
	schedule();
	timer_del(&t);
}

/* FUTEX_WAIT / FUTEX_WAIT_BITSET. deadline is an absolute ktime_get_ns()
 * value, meaningful only if timed. */
static long futex_wait(u32 __user *uaddr, bool shared, u32 val, bool timed, u64 deadline, u32 bitset)
{
	struct futex_q q;
	long ret;

	if (!bitset)
		return -EINVAL;
	for (;;) {
		ret = get_futex_key(uaddr, shared, &q.key);
		if (ret)
			return ret;
		struct futex_hash_bucket *b = hash_futex(&q.key);
		q.bitset = bitset;
		q.task = current;
		q.bucket = b;
		q.woken = false;

		/* Queue first, then look at the word (see the top of the file). */
		spin_lock(&b->lock);
		list_add_tail(&q.list, &b->chain);
		u32 uval;
		ret = futex_get_value(&uval, uaddr);
		if (ret == 0 && uval != val)
			ret = -EAGAIN;
		if (ret) {
			list_del_init(&q.list);
			spin_unlock(&b->lock);
			put_futex_key(&q.key);
			return ret;
		}
		/* From here a waker may set us TASK_RUNNING at any moment:
		 * the state must be set before the lock is dropped. */
		set_current_state(TASK_INTERRUPTIBLE);
		spin_unlock(&b->lock);

		/* A signal that arrived before the state was set would not
		 * wake us: look for one ourselves. The fence orders our state
		 * store before the flag load (the sender does the opposite). */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!signal_pending(current))
			futex_sleep(timed, deadline);
		set_current_state(TASK_RUNNING);

		bool woken = unqueue_me(&q);
		put_futex_key(&q.key); /* after unqueue: a requeue may have changed it */
		if (woken)
			return 0;
		if (timed && ktime_get_ns() >= deadline)
			return -ETIMEDOUT;
		if (signal_pending(current)) {
			/* An untimed wait is restarted (SA_RESTART) as Linux does.
			 * A timed one would need a restart block to keep its
			 * deadline; without one it reports EINTR to the caller. */
			return timed ? -EINTR : -ERESTARTSYS;
		}
		/* A spurious wake-up: wait again (the word may have changed,
		 * then the caller gets EAGAIN, which futex users expect). */
	}
}

/* FUTEX_WAKE / FUTEX_WAKE_BITSET: the number of waiters woken. */
static long futex_wake(u32 __user *uaddr, bool shared, int nr, u32 bitset)
{
	struct futex_key key;
	long ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, shared, &key);
	if (ret)
		return ret;
	struct futex_hash_bucket *b = hash_futex(&key);
	spin_lock(&b->lock);
	ret = wake_futex_locked(b, &key, nr, bitset);
	spin_unlock(&b->lock);
	put_futex_key(&key);
	return ret;
}

int futex_wake_addr(u32 __user *uaddr, bool shared, int nr)
{
	return (int)futex_wake(uaddr, shared, nr, FUTEX_BITSET_MATCH_ANY);
}

/* FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wake up to nr_wake waiters of uaddr1
 * and move up to nr_requeue of the others to uaddr2 (glibc's condition
 * variables used this to avoid a thundering herd). With cmpval, first
 * check *uaddr1 == *cmpval (EAGAIN otherwise). Returns woken + moved. */
static long futex_requeue(u32 __user *uaddr1, bool shared, u32 __user *uaddr2, int nr_wake,
			  int nr_requeue, const u32 *cmpval)
{
	struct futex_key key1, key2;
	struct list_head *p, *n;
	long ret;
	int woken = 0, moved = 0;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	ret = get_futex_key_pair(uaddr1, uaddr2, shared, &key1, &key2);
	if (ret)
		return ret;
	struct futex_hash_bucket *b1 = hash_futex(&key1), *b2 = hash_futex(&key2);

	double_lock_hb(b1, b2);
	if (cmpval) {
		u32 cur;
		ret = futex_get_value(&cur, uaddr1);
		if (ret == 0 && cur != *cmpval)
			ret = -EAGAIN;
		if (ret)
			goto out;
	}
	list_for_each_safe(p, n, &b1->chain) {
		struct futex_q *q = list_entry(p, struct futex_q, list);

		if (!match_futex(&q->key, &key1))
			continue;
		if (woken < nr_wake) {
			mark_wake_futex(q);
			woken++;
			continue;
		}
		if (moved >= nr_requeue)
			break;
		/* Move q to key2. Its key now pins key2's page instead of
		 * key1's (we hold our own reference to key1's, so this put
		 * cannot free it). */
		if (key2.shared)
			get_page(key2.ptr);
		if (q->key.shared)
			put_page(q->key.ptr);
		q->key = key2;
		if (b1 != b2) {
			list_del(&q->list);
			list_add_tail(&q->list, &b2->chain);
			WRITE_ONCE(q->bucket, b2);
		}
		moved++;
	}
	ret = woken + moved;
out:
	double_unlock_hb(b1, b2);
	put_futex_key(&key2);
	put_futex_key(&key1);
	return ret;
}

/* FUTEX_WAKE_OP's atomic step: apply the encoded operation to *uaddr and
 * compare the old value as encoded. 1 if the comparison holds, 0 if not,
 * -EFAULT, or -ENOSYS for an unknown operation or comparison. */
static int futex_atomic_op_inuser(u32 encoded, u32 __user *uaddr)
{
	unsigned int op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int oparg = (int)(encoded << 8) >> 20; /* sign-extended bits 12..23 */
	int cmparg = (int)(encoded << 20) >> 20; /* sign-extended bits 0..11 */
	u32 old, cur, newval;
	int ret;

	if (encoded & (FUTEX_OP_OPARG_SHIFT << 28)) {
		oparg &= 31; /* Linux masks out-of-range shift counts the same way */
		oparg = (int)(1u << oparg);
	}
	if (op > FUTEX_OP_XOR)
		return -ENOSYS;
	ret = futex_get_value(&old, uaddr);
	if (ret)
		return ret;
	for (;;) {
		switch (op) {
		case FUTEX_OP_SET: newval = (u32)oparg; break;
		case FUTEX_OP_ADD: newval = old + (u32)oparg; break;
		case FUTEX_OP_OR: newval = old | (u32)oparg; break;
		case FUTEX_OP_ANDN: newval = old & ~(u32)oparg; break;
		default: newval = old ^ (u32)oparg; break; /* FUTEX_OP_XOR */
		}
		ret = futex_atomic_cmpxchg_inatomic(&cur, uaddr, old, newval);
		if (ret)
			return ret;
		if (cur == old)
			break;
		old = cur; /* changed under us: redo the operation on the new value */
	}
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: return (int)old == cmparg;
	case FUTEX_OP_CMP_NE: return (int)old != cmparg;
	case FUTEX_OP_CMP_LT: return (int)old < cmparg;
	case FUTEX_OP_CMP_LE: return (int)old <= cmparg;
	case FUTEX_OP_CMP_GT: return (int)old > cmparg;
	case FUTEX_OP_CMP_GE: return (int)old >= cmparg;
	default: return -ENOSYS;
	}
}

/* FUTEX_WAKE_OP: atomically change *uaddr2, wake up to nr_wake waiters of
 * uaddr1, and if the old *uaddr2 passed the comparison also up to nr_wake2
 * waiters of uaddr2. Returns the total woken. */
static long futex_wake_op(u32 __user *uaddr1, bool shared, u32 __user *uaddr2, int nr_wake,
			  int nr_wake2, u32 encoded)
{
	struct futex_key key1, key2;
	long ret;

	ret = get_futex_key_pair(uaddr1, uaddr2, shared, &key1, &key2);
	if (ret)
		return ret;
	struct futex_hash_bucket *b1 = hash_futex(&key1), *b2 = hash_futex(&key2);

	double_lock_hb(b1, b2);
	int op_ret = futex_atomic_op_inuser(encoded, uaddr2);
	if (op_ret < 0) {
		ret = op_ret;
	} else {
		ret = wake_futex_locked(b1, &key1, nr_wake, FUTEX_BITSET_MATCH_ANY);
		if (op_ret > 0)
			ret += wake_futex_locked(b2, &key2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	}
	double_unlock_hb(b1, b2);
	put_futex_key(&key2);
	put_futex_key(&key1);
	return ret;
}

/* ---- the system call ------------------------------------------------------ */

static bool futex_cmd_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
	       cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_WAIT_REQUEUE_PI;
}

/* long futex(u32 *uaddr, int op, u32 val, const struct timespec *timeout
 *            (or u32 val2), u32 *uaddr2, u32 val3) */
SYSCALL_DEFINE6(futex, u32 __user *, uaddr, int, op, u32, val, const struct timespec64 __user *, utime,
		u32 __user *, uaddr2, u32, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	bool timed = false;
	u64 deadline = 0;
	/* REQUEUE and WAKE_OP pass a count in the timeout argument. */
	int val2 = (int)(u32)(unsigned long)utime;

	/* As Linux: the timeout is read and checked before anything else. */
	if (utime && futex_cmd_has_timeout(cmd)) {
		struct timespec64 ts;

		if (copy_from_user(&ts, utime, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
			return -EINVAL;
		/* Saturate instead of overflowing (about 584 years of ns). */
		u64 ns = (u64)ts.tv_sec >= ~0ULL / NSEC_PER_SEC
				 ? ~0ULL
				 : (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
		if (cmd == FUTEX_WAIT) {
			/* Relative. */
			u64 now = ktime_get_ns();
			deadline = ns > ~0ULL - now ? ~0ULL : now + ns;
		} else {
			/* Absolute on CLOCK_MONOTONIC, or on CLOCK_REALTIME with
			 * the flag (converted at the current offset). */
			deadline = (op & FUTEX_CLOCK_REALTIME) ? real_to_mono_ns(ns) : ns;
		}
		timed = true;
	}

	/* Linux accepts the clock flag only with the absolute-timeout waits
	 * (plain FUTEX_WAIT has a relative timeout). */
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;

	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, shared, val, timed, deadline, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, shared, val, timed, deadline, val3);
	case FUTEX_WAKE:
		return futex_wake(uaddr, shared, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, shared, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, shared, uaddr2, (int)val, val2, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, shared, uaddr2, (int)val, val2, &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, shared, uaddr2, (int)val, val2, val3);
	default:
		/* FUTEX_FD (gone from Linux), the priority-inheritance
		 * operations (not implemented), and unknown commands. */
		return -ENOSYS;
	}
}

/* ---- robust futexes ------------------------------------------------------- */

SYSCALL_DEFINE2(set_robust_list, struct robust_list_head __user *, head, size_t, len)
{
	if (len != sizeof(*head))
		return -EINVAL;
	current->robust_list = head;
	current->robust_list_len = len;
	return 0;
}

SYSCALL_DEFINE3(get_robust_list, int, pid, struct robust_list_head __user *__user *, head_ptr,
		size_t __user *, len_ptr)
{
	unsigned long head = 0;

	if (pid == 0) {
		head = (unsigned long)current->robust_list;
	} else {
		/* Copy the pointer out under the lock: the task may exit as
		 * soon as we drop it. (No permission check: one user.) */
		unsigned long flags = spin_lock_irqsave(&tasklist_lock);
		struct task_struct *t = find_task_by_pid(pid);
		if (t)
			head = (unsigned long)t->robust_list;
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (!t)
			return -ESRCH;
	}
	if (put_user((size_t)sizeof(struct robust_list_head), len_ptr))
		return -EFAULT;
	if (put_user(head, (unsigned long __user *)head_ptr))
		return -EFAULT;
	return 0;
}

/* Read one list pointer. Bit 0 marks a priority-inheritance futex; it is
 * returned in *pi and cleared from the pointer. */
static int fetch_robust_entry(struct robust_list __user **entry, struct robust_list __user *__user *from,
			      bool *pi)
{
	unsigned long v;

	if (copy_from_user(&v, from, sizeof(v)))
		return -EFAULT;
	*entry = (struct robust_list __user *)(v & ~1UL);
	*pi = v & 1;
	return 0;
}

/* The thread t (exiting) may own the futex at uaddr: if so, mark it
 * FUTEX_OWNER_DIED (keeping FUTEX_WAITERS) and wake one waiter, who will
 * take the lock and get EOWNERDEAD from pthread_mutex_lock. pending_op:
 * this is the list_op_pending entry, a lock or unlock t was in the middle
 * of. -EFAULT stops the walk. */
static int handle_futex_death(u32 __user *uaddr, struct task_struct *t, bool pi, bool pending_op)
{
	u32 uval, cur;

	if ((unsigned long)uaddr % sizeof(u32))
		return -EFAULT;
	for (;;) {
		if (futex_get_value(&uval, uaddr))
			return -EFAULT;
		/* t unlocked the word (it is 0) but died before waking anyone:
		 * a waiter may sleep on it, so wake one to retry the lock. */
		if (pending_op && !pi && uval == 0) {
			futex_wake_addr(uaddr, true, 1);
			return 0;
		}
		if ((uval & FUTEX_TID_MASK) != (u32)t->pid)
			return 0; /* not ours */
		u32 mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		/* Compare-and-swap: other threads of the process run on and may
		 * change the word (e.g. set FUTEX_WAITERS); then read again. */
		if (futex_atomic_cmpxchg_inatomic(&cur, uaddr, uval, mval))
			return -EFAULT;
		if (cur == uval)
			break;
	}
	/* The word is shared or private depending on the mutex: a shared
	 * key falls back to the private one for private memory, so this
	 * reaches both kinds of waiter. PI futexes would be woken by their
	 * own protocol (not implemented here). */
	if (!pi && (uval & FUTEX_WAITERS))
		futex_wake_addr(uaddr, true, 1);
	return 0;
}

/* Walk t's robust list (bounded: it lives in user memory and may loop or
 * be garbage) and release every futex t still owns. */
static void walk_robust_list(struct task_struct *t)
{
	struct robust_list_head __user *head = t->robust_list;
	struct robust_list __user *entry, *next, *pending;
	bool pi, next_pi, pending_pi;
	long futex_offset;
	int limit = ROBUST_LIST_LIMIT;

	if (fetch_robust_entry(&entry, &head->list.next, &pi))
		return;
	if (copy_from_user(&futex_offset, &head->futex_offset, sizeof(futex_offset)))
		return;
	if (fetch_robust_entry(&pending, &head->list_op_pending, &pending_pi))
		return;

	while (entry != &head->list) {
		/* Read the next pointer first: once the futex is released,
		 * another thread may reuse the entry's memory. */
		int rc = fetch_robust_entry(&next, &entry->next, &next_pi);
		/* The pending entry is handled last, once. */
		if (entry != pending) {
			u32 __user *uaddr = (u32 __user *)((unsigned long)entry + futex_offset);
			if (handle_futex_death(uaddr, t, pi, false))
				return;
		}
		if (rc)
			return;
		entry = next;
		pi = next_pi;
		if (--limit == 0)
			break;
	}
	if (pending) {
		u32 __user *uaddr = (u32 __user *)((unsigned long)pending + futex_offset);
		handle_futex_death(uaddr, t, pending_pi, true);
	}
}

void exit_robust_list(struct task_struct *t)
{
	if (!t->mm)
		return;
	if (t->robust_list) {
		walk_robust_list(t);
		t->robust_list = NULL;
	}
	/* CLONE_CHILD_CLEARTID / set_tid_address: pthread_join sleeps on this
	 * word (as a shared futex, FUTEX_WAIT without the private flag) until
	 * it is 0. Clear it and wake the joiner. */
	if (t->clear_child_tid) {
		u32 __user *tid = (u32 __user *)t->clear_child_tid;

		if (put_user(0u, tid) == 0)
			futex_wake_addr(tid, true, 1);
		t->clear_child_tid = NULL;
	}
}
