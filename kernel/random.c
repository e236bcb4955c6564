/* get_random_bytes and the getrandom system call (see random.h for the
 * quality of these numbers). */
#include "kernel/random.h"
#include "kernel/errno.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "arch/riscv/csr.h"
#include "mm/page.h"
#include "proc/task.h"

/* Protects the generator state. */
static DEFINE_SPINLOCK(rng_lock);
static u64 s[4] = { 0x9e3779b97f4a7c15UL, 0xbf58476d1ce4e5b9UL, 0x94d049bb133111ebUL, 1 };

static inline u64 rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** step on a state (the global one, or a caller's copy). */
static u64 next_of(u64 *st)
{
	u64 r = rotl(st[1] * 5, 7) * 9, t = st[1] << 17;

	st[2] ^= st[0];
	st[3] ^= st[1];
	st[1] ^= st[2];
	st[0] ^= st[3];
	st[2] ^= t;
	st[3] = rotl(st[3], 45);
	return r;
}

static u64 next(void)
{
	return next_of(s);
}

void get_random_bytes(void *buf, size_t n)
{
	unsigned long f = spin_lock_irqsave(&rng_lock);
	u8 *p = buf;

	s[3] ^= get_cycles();
	while (n) {
		u64 v = next();
		size_t c = MIN(n, sizeof(v));
		memcpy(p, &v, c);
		p += c, n -= c;
	}
	spin_unlock_irqrestore(&rng_lock, f);
}

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

/* Long requests run on a private generator seeded from the shared one
 * (Linux: a per-CPU crng keyed from the base crng), so the lock is taken
 * once per call; every page they stop for a pending signal, returning
 * what was done, as Linux does. */
SYSCALL_DEFINE3(getrandom, char __user *, ubuf, size_t, n, unsigned int, flags)
{
	u64 st[4], k[32];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	if (n > 0x1ffffff)
		n = 0x1ffffff; /* Linux caps one call at 32 MiB - 1 */
	get_random_bytes(st, sizeof(st));
	st[0] |= 1; /* xoshiro's state must not be all zero */
	while (done < n) {
		size_t c = MIN(n - done, sizeof(k));
		for (unsigned int i = 0; i < ARRAY_SIZE(k); i++)
			k[i] = next_of(st);
		if (copy_to_user(ubuf + done, k, c))
			return done ? (long)done : -EFAULT;
		done += c;
		if (done < n && done % PAGE_SIZE == 0 && signal_pending(current))
			break;
	}
	memset(st, 0, sizeof(st));
	return (long)done;
}
