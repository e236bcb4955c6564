/* Two processes running dynamically linked programs share libc.so.6's
 * text: the same physical frames back both mappings (page cache), shown
 * through /proc/<pid>/maps, /proc/<pid>/pagemap and /proc/kpagecount.
 * The child is this program again (exec'd with --child), so the two have
 * separate address spaces; it waits on a pipe while the parent looks. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define PFN_MASK ((1ULL << 55) - 1)
#define PRESENT (1ULL << 63)
#define NPAGES 64

/* Start and end of the first executable mapping of libc.so.6 in pid. */
static int libc_text(pid_t pid, unsigned long *start, unsigned long *end)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "r");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", start, end, perms) == 3 && perms[2] == 'x' &&
		    strstr(line, "/libc.so.6"))
			found = 1;
	}
	fclose(f);
	return found;
}

static uint64_t pagemap_entry(pid_t pid, unsigned long addr)
{
	char path[64];
	uint64_t e = 0;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e), (off_t)(addr / 4096) * 8) != sizeof(e))
		e = 0;
	close(fd);
	return e;
}

static uint64_t kpagecount(uint64_t pfn)
{
	uint64_t n = 0;
	int fd = open("/proc/kpagecount", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &n, sizeof(n), (off_t)(pfn * 8)) != sizeof(n))
		n = 0;
	close(fd);
	return n;
}

/* Touch every page of our libc text so it is present in our page table. */
static void touch(unsigned long start, unsigned long end)
{
	volatile unsigned char sum = 0;
	for (unsigned long a = start; a < end && a < start + NPAGES * 4096UL; a += 4096)
		sum += *(volatile unsigned char *)a;
	(void)sum;
}

static int child(int rfd, int wfd)
{
	unsigned long s, e;
	if (libc_text(getpid(), &s, &e))
		touch(s, e);
	char c = 'r';
	if (write(wfd, &c, 1) != 1)
		return 1;
	while (read(rfd, &c, 1) > 0) /* until the parent closes its end */
		;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--child"))
		return child(atoi(argv[2]), atoi(argv[3]));
	KTAP_START("libshare_dyn");
	int down[2], up[2];
	if (pipe(down) || pipe(up))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		char r[16], w[16];
		snprintf(r, sizeof(r), "%d", down[0]);
		snprintf(w, sizeof(w), "%d", up[1]);
		close(down[1]);
		close(up[0]);
		execl(argv[0], argv[0], "--child", r, w, (char *)NULL);
		_exit(127);
	}
	close(down[0]);
	close(up[1]);
	char c;
	CHECK(read(up[0], &c, 1) == 1, "the child (a second dynamic program) is running");

	unsigned long ms, me, cs, ce;
	int mine = libc_text(getpid(), &ms, &me), theirs = libc_text(pid, &cs, &ce);
	CHECK(mine && theirs, "both map libc.so.6's text (/proc/<pid>/maps)");
	if (mine)
		touch(ms, me);
	int present = 0, same = 0, counted = 0;
	for (unsigned long i = 0; mine && theirs && i < NPAGES; i++) {
		if (ms + i * 4096 >= me || cs + i * 4096 >= ce)
			break;
		uint64_t a = pagemap_entry(getpid(), ms + i * 4096);
		uint64_t b = pagemap_entry(pid, cs + i * 4096);
		if (!(a & PRESENT) || !(b & PRESENT))
			continue;
		present++;
		if ((a & PFN_MASK) && (a & PFN_MASK) == (b & PFN_MASK)) {
			same++;
			if (kpagecount(a & PFN_MASK) >= 2)
				counted++;
		}
	}
	printf("# %d pages present in both, %d on the same frame, %d with map count >= 2\n",
	       present, same, counted);
	CHECK(present > 0, "libc text pages are present in both processes (pagemap)");
	CHECK(present > 0 && same == present, "every present libc text page is one frame in both");
	CHECK(present > 0 && counted == same, "/proc/kpagecount counts at least 2 mappings of each");

	close(down[1]); /* lets the child finish */
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child exits 0");
	return ktap_done();
}
