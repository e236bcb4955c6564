HOST_SRCS_slab := mm/slab.c mm/page_alloc.c mm/buddy.c mm/memblock.c
