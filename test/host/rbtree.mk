HOST_SRCS_rbtree := mm/rbtree.c
