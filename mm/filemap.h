/* The page cache: each file's pages in an address_space indexed by page
 * number (a radix tree), filled from the file on a miss. */
#ifndef MM_FILEMAP_H
#define MM_FILEMAP_H
#include "kernel/types.h"
#include "kernel/spinlock.h"
#include "mm/radix_tree.h"

struct inode;
struct page;
struct vm_fault;

struct address_space {
	struct inode *host;
	struct radix_tree_root i_pages; /* page index -> struct page */
	spinlock_t tree_lock;           /* protects i_pages and nrpages */
	unsigned long nrpages;
};

struct address_space *inode_mapping(struct inode *inode); /* made on first use */
/* The cached page at index, with a reference; read in on a miss (*major set). */
struct page *read_cache_page(struct address_space *m, unsigned long index, bool *major);
int filemap_fault(struct vm_fault *vmf);
void filemap_init(void);
unsigned long nr_page_cache_pages(void);
extern const struct vm_operations_struct generic_file_vm_ops;

#endif
