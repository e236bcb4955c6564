/* Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): the pages belong
 * to a shmem object that every VMA of the mapping refers to, so processes
 * sharing the VMA after fork see one set of frames. */
#ifndef MM_SHMEM_H
#define MM_SHMEM_H
#include "mm/mm_types.h"

int shmem_zero_setup(struct vm_area_struct *vma);

#endif
