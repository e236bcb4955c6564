HOST_SRCS_radix_tree := mm/radix_tree.c
