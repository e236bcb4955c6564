/* The page cache: each file's pages in an address_space indexed by page
 * number (a radix tree), filled from the file on a miss. */
#ifndef MM_FILEMAP_H
#define MM_FILEMAP_H
#include "kernel/types.h"
#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "mm/radix_tree.h"

struct inode;
struct page;
struct vm_fault;
struct vm_area_struct;

struct address_space {
	struct inode *host;
	struct radix_tree_root i_pages; /* page index -> struct page */
	spinlock_t tree_lock;           /* protects i_pages and nrpages */
	unsigned long nrpages;
	struct list_head i_mmap;        /* VMAs mapping the file, by vma->shared */
	spinlock_t i_mmap_lock;         /* protects i_mmap */
};

struct address_space *inode_mapping(struct inode *inode); /* made on first use */
/* The cached page at index, with a reference; read in on a miss (*major set). */
struct page *read_cache_page(struct address_space *m, unsigned long index, bool *major);
int filemap_fault(struct vm_fault *vmf);
void release_mapping(struct inode *inode);
void vma_link_file(struct vm_area_struct *vma);     /* a new VMA of vm_file */           /* the inode is being freed */
void truncate_inode_pages(struct inode *inode, u64 from);
unsigned long nr_page_cache_pages(void);
extern const struct vm_operations_struct generic_file_vm_ops;

#endif
