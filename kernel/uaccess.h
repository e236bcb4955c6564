/* Checked access to user memory. Addresses must lie wholly in the user
 * half [0, 2^47); a fault during the copy returns -EFAULT, never an oops. */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H
#include "kernel/types.h"
#include "kernel/errno.h"
#include "arch/riscv/pgtable.h"

unsigned long __asm_copy_user(void *dst, const void *src, unsigned long n);
long __asm_strncpy_from_user(char *dst, const char __user *src, long n);
long __asm_clear_user(void __user *dst, unsigned long n);

static inline bool access_ok(const void __user *p, unsigned long n)
{
	unsigned long a = (unsigned long)p;
	return a <= USER_VA_END && n <= USER_VA_END - a;
}

/* 0 on success, -EFAULT if any byte could not be copied. */
static inline int copy_from_user(void *dst, const void __user *src, unsigned long n)
{
	if (!access_ok(src, n))
		return -EFAULT;
	return __asm_copy_user(dst, src, n) ? -EFAULT : 0;
}

static inline int copy_to_user(void __user *dst, const void *src, unsigned long n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return __asm_copy_user(dst, src, n) ? -EFAULT : 0;
}

static inline int clear_user(void __user *dst, unsigned long n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return __asm_clear_user(dst, n) ? -EFAULT : 0;
}

/* Length copied (< n) when a NUL was found, n if none, -EFAULT on fault. */
static inline long strncpy_from_user(char *dst, const char __user *src, long n)
{
	if ((unsigned long)src >= USER_VA_END)
		return -EFAULT;
	if (n > (long)(USER_VA_END - (unsigned long)src))
		n = (long)(USER_VA_END - (unsigned long)src);
	long r = __asm_strncpy_from_user(dst, src, n);
	return r < 0 ? -EFAULT : r;
}

#define get_user(x, p) copy_from_user(&(x), (p), sizeof(*(p)))
#define put_user(x, p) ({ __typeof__(*(p)) __v = (x); copy_to_user((p), &__v, sizeof(__v)); })

#endif
