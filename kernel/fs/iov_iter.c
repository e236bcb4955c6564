/* iov_iter: one buffer that is either user memory (read(2), write(2)) or
 * kernel memory (kernel_read), so file operations are written once. */
#include "kernel/fs/fs.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"

void iov_iter_init(struct iov_iter *i, void __user *buf, size_t n)
{
	i->ptr = buf;
	i->count = n;
	i->kernel = false;
	i->append = false;
}

void iov_iter_kvec(struct iov_iter *i, void *buf, size_t n)
{
	i->ptr = buf;
	i->count = n;
	i->kernel = true;
	i->append = false;
}

/* Copy as much as possible; a fault part-way copies up to that page. */
static size_t copy_user_partial(void *dst, const void *src, size_t n, bool to_user)
{
	if (!(to_user ? copy_to_user((void __user *)dst, src, n)
		      : copy_from_user(dst, (const void __user *)src, n)))
		return n;
	size_t done = 0;
	while (done < n) {
		size_t c = MIN(n - done, PAGE_SIZE - (((unsigned long)(to_user ? dst : src) + done) &
						      (PAGE_SIZE - 1)));
		int err = to_user ? copy_to_user((char __user *)dst + done, (const char *)src + done, c)
				  : copy_from_user((char *)dst + done, (const char __user *)src + done, c);
		if (err)
			break;
		done += c;
	}
	return done;
}

size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i)
{
	n = MIN(n, i->count);
	size_t done = i->kernel ? (memcpy(i->ptr, src, n), n) : copy_user_partial(i->ptr, src, n, true);
	i->ptr += done;
	i->count -= done;
	return done;
}

size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i)
{
	n = MIN(n, i->count);
	size_t done = i->kernel ? (memcpy(dst, i->ptr, n), n) : copy_user_partial(dst, i->ptr, n, false);
	i->ptr += done;
	i->count -= done;
	return done;
}

size_t iov_iter_zero(size_t n, struct iov_iter *i)
{
	n = MIN(n, i->count);
	size_t done = n;
	if (i->kernel)
		memset(i->ptr, 0, n);
	else if (clear_user(i->ptr, n))
		done = 0;
	i->ptr += done;
	i->count -= done;
	return done;
}
