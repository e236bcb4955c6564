/* Boot-test helper: MemFree + Slab from /proc/meminfo, in kB: the memory
 * a leak check compares (kmalloc may keep an empty page cached, so slab
 * pages count with the free ones). -1 if /proc/meminfo cannot be read. */
#ifndef TEST_USER_MEMINFO_H
#define TEST_USER_MEMINFO_H
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline long memfree_slab_kb(void)
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

/* memfree_slab_kb once it has stopped moving: the frames of a task that
 * just died are freed when its hart next switches, a moment later. Reads
 * every 20 ms until two agree (at most 1 s). */
static inline long memfree_slab_settled_kb(void)
{
	long prev = memfree_slab_kb(), cur = prev;

	for (int i = 0; i < 50; i++) {
		usleep(20000);
		cur = memfree_slab_kb();
		if (cur == prev)
			break;
		prev = cur;
	}
	return cur;
}

/* One /proc/meminfo field ("Cached", "KernelStack"...), in kB; -1 if absent. */
static inline long meminfo_kb(const char *field)
{
	char buf[2048], key[64];
	long v = -1;
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	snprintf(key, sizeof(key), "\n%s:", field);
	char *p = strstr(buf, key);
	if (p)
		v = strtol(p + strlen(key), NULL, 10);
	return v;
}

#endif
