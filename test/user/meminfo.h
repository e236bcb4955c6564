/* Boot-test helper: MemFree + Slab from /proc/meminfo, in kB: the memory
 * a leak check compares (kmalloc may keep an empty page cached, so slab
 * pages count with the free ones). -1 if /proc/meminfo cannot be read. */
#ifndef TEST_USER_MEMINFO_H
#define TEST_USER_MEMINFO_H
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long memfree_slab_kb(void)
{
	char buf[1024];
	long free = -1, slab = 0;
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (n > 0) {
		buf[n] = 0;
		char *p = strstr(buf, "MemFree:");
		if (p)
			free = strtol(p + 8, NULL, 10);
		if ((p = strstr(buf, "\nSlab:")))
			slab = strtol(p + 6, NULL, 10);
	}
	if (fd >= 0)
		close(fd);
	return free < 0 ? -1 : free + slab;
}

#endif
