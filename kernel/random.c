/* get_random_bytes and the getrandom system call (see random.h for the
 * quality of these numbers). */
#include "kernel/random.h"
#include "kernel/errno.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "arch/riscv/csr.h"

/* Protects the generator state. */
static DEFINE_SPINLOCK(rng_lock);
static u64 s[4] = { 0x9e3779b97f4a7c15UL, 0xbf58476d1ce4e5b9UL, 0x94d049bb133111ebUL, 1 };

static inline u64 rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static u64 next(void)
{
	u64 r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
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

SYSCALL_DEFINE3(getrandom, char __user *, ubuf, size_t, n, unsigned int, flags)
{
	u8 k[256];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	if (n > 0x1ffffff)
		n = 0x1ffffff; /* Linux caps one call at 32 MiB - 1 */
	while (done < n) {
		size_t c = MIN(n - done, sizeof(k));
		get_random_bytes(k, c);
		if (copy_to_user(ubuf + done, k, c))
			return done ? (long)done : -EFAULT;
		done += c;
	}
	return (long)done;
}
