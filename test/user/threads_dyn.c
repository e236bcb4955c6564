/* The pthread tests again, dynamically linked: libpthread/libc from the
 * image, loaded by ld-linux-riscv64-lp64d.so.1. */
#include "test/user/threads.c"
