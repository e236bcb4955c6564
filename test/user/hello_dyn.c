/* Boot test: a dynamically linked glibc program. The kernel maps the
 * interpreter named in PT_INTERP (ld-linux-riscv64-lp64d.so.1) and passes
 * AT_BASE; the dynamic linker maps libc.so.6 with mmap. */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include "test/user/ktap.h"

int main(int argc, char **argv)
{
	(void)argc;
	KTAP_START("hello_dyn");
	CHECK(getauxval(AT_BASE) != 0, "AT_BASE: the dynamic linker's load address");
	CHECK(strstr(argv[0], "hello_dyn") != NULL, "argv[0] arrives");
	volatile double x = 2.0;
	CHECK(sqrt(x) > 1.414 && sqrt(x) < 1.415, "libm works");
	printf("# hello from a dynamically linked program\n");
	return ktap_done();
}
