HOST_SRCS_vma := mm/vma.c mm/rbtree.c
