/* Address → symbol for oops backtraces: binary search in the sorted text
 * symbol table linked into .kallsyms by the second link pass. */
#include "kernel/kallsyms.h"

extern const u64 kallsyms_num;
extern const u64 kallsyms_addrs[];
extern const u32 kallsyms_offsets[];
extern const char kallsyms_names[];
extern char _stext[], _etext[];

const char *kallsyms_lookup(unsigned long addr, unsigned long *offset)
{
	u64 lo = 0, hi = kallsyms_num;

	if (addr < (unsigned long)_stext || addr >= (unsigned long)_etext || !hi)
		return NULL;
	while (hi - lo > 1) { /* last symbol with address <= addr */
		u64 mid = (lo + hi) / 2;
		if (kallsyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (kallsyms_addrs[lo] > addr)
		return NULL;
	*offset = addr - kallsyms_addrs[lo];
	return &kallsyms_names[kallsyms_offsets[lo]];
}
