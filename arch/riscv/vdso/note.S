/* The "Linux" ELF note of the vDSO: the kernel version as
 * LINUX_VERSION_CODE. glibc's ld.so takes the running kernel's version
 * from it instead of calling uname(); it must say what uname's release in
 * proc/sys.c says (6.1.0). */
#define VERSION_CODE ((6 << 16) | (1 << 8) | 0)

	.section .note.Linux, "a", @note
	.balign	4
	.long	2f - 1f		/* namesz */
	.long	4f - 3f		/* descsz */
	.long	0		/* type */
1:	.asciz	"Linux"
2:	.balign	4
3:	.long	VERSION_CODE
4:	.balign	4
