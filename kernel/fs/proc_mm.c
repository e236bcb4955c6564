/* /proc/self/pagemap, /proc/kpagecount and /proc/meminfo in Linux's
 * formats: which frame backs a user page, how many mappings share a frame
 * (how tests show page sharing and copy-on-write), and where memory is.
 * They are opened by name until the VFS mounts a real /proc. */
#include "kernel/fs/file.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/filemap.h"
#include "proc/task.h"

#define PM_PRESENT (1UL << 63)
#define PM_FILE (1UL << 61)      /* file page or shared anonymous */
#define PM_MMAP_EXCLUSIVE (1UL << 56)
#define PM_PFN_MASK ((1UL << 55) - 1)

static u64 pagemap_entry(struct mm_struct *mm, unsigned long addr)
{
	struct page *page = follow_page(mm, addr, NULL);
	u64 e;

	if (!page)
		return 0;
	e = PM_PRESENT | (page_to_pfn(page) & PM_PFN_MASK);
	if (page->mapping)
		e |= PM_FILE;
	if (page != zero_page && __atomic_load_n(&page->_mapcount, __ATOMIC_RELAXED) == 1)
		e |= PM_MMAP_EXCLUSIVE;
	return e;
}

/* Entry i (8 bytes) of the file at *pos..; n and *pos multiples of 8. */
static ssize_t read_entries(u64 (*entry)(unsigned long i), unsigned long limit, void *buf,
			    size_t n, u64 *pos)
{
	u64 *out = buf;
	size_t done = 0;

	if ((*pos % 8) || (n % 8))
		return -EINVAL;
	for (unsigned long i = *pos / 8; done < n && i < limit; i++, done += 8)
		*out++ = entry(i);
	*pos += done;
	return (ssize_t)done;
}

static struct mm_struct *pagemap_mm;
static u64 pagemap_of(unsigned long i)
{
	return pagemap_entry(pagemap_mm, i << PAGE_SHIFT);
}

static ssize_t pagemap_read(struct file *f, void *buf, size_t n, u64 *pos)
{
	struct mm_struct *mm = current->mm;

	(void)f;
	if (!mm)
		return 0;
	mmap_read_lock(mm);
	pagemap_mm = mm;
	ssize_t r = read_entries(pagemap_of, USER_VA_END >> PAGE_SHIFT, buf, n, pos);
	mmap_read_unlock(mm);
	return r;
}

static u64 kpagecount_of(unsigned long pfn)
{
	if (!pfn_valid(pfn))
		return 0;
	struct page *page = pfn_to_page(pfn);
	return page == zero_page ? 0 : (u64)__atomic_load_n(&page->_mapcount, __ATOMIC_RELAXED);
}

static ssize_t kpagecount_read(struct file *f, void *buf, size_t n, u64 *pos)
{
	(void)f;
	return read_entries(kpagecount_of, max_pfn, buf, n, pos);
}

static int proc_stat(struct file *f, struct kstat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = 0100444; /* a regular file, as /proc shows them */
	st->st_nlink = 1;
	st->st_blksize = 1024;
	return 0;
}

static const struct file_operations pagemap_fops = {
	.read = pagemap_read, .stat = proc_stat, .seekable = true,
};
static const struct file_operations kpagecount_fops = {
	.read = kpagecount_read, .stat = proc_stat, .seekable = true,
};

/* /proc/meminfo: a snapshot made at each read from offset 0. */
static ssize_t meminfo_read(struct file *f, void *buf, size_t n, u64 *pos)
{
	char text[512];
	struct kmem_stats ks;
	unsigned long slab = 0;

	(void)f;
	kmem_get_stats(&ks);
	slab = ks.large_pages;
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++)
		slab += ks.cls[i].slab_pages;
	int len = snprintf(text, sizeof(text),
			   "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
			   "MemAvailable:   %8lu kB\nCached:         %8lu kB\n"
			   "Slab:           %8lu kB\n",
			   nr_total_pages() * 4, nr_free_pages() * 4,
			   (nr_free_pages() + nr_page_cache_pages()) * 4, nr_page_cache_pages() * 4,
			   slab * 4);
	if (*pos >= (u64)len)
		return 0;
	size_t c = MIN(n, (size_t)len - *pos);
	memcpy(buf, text + *pos, c);
	*pos += c;
	return (ssize_t)c;
}

static const struct file_operations meminfo_fops = {
	.read = meminfo_read, .stat = proc_stat, .seekable = true,
};

/* The file for a /proc path, NULL if it is not one of ours. */
struct file *proc_mm_open(const char *path, unsigned int flags)
{
	char self[32];

	snprintf(self, sizeof(self), "/proc/%d/pagemap", current->tgid);
	if (!strcmp(path, "/proc/self/pagemap") || !strcmp(path, self))
		return alloc_file(NULL, flags, &pagemap_fops);
	if (!strcmp(path, "/proc/meminfo"))
		return alloc_file(NULL, flags, &meminfo_fops);
	if (!strcmp(path, "/proc/kpagecount"))
		return alloc_file(NULL, flags, &kpagecount_fops);
	return NULL;
}
