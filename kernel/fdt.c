/* Flattened device tree parser (see kernel/fdt.h). It reads the blob with
 * byte loads only and checks every offset against the header's sizes, so a
 * bad or truncated DTB gives -EINVAL rather than a wild read. */
#include "kernel/types.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "kernel/fdt.h"

/*
 * Layout reminder (devicetree spec, chapter 5): a 40-byte header of big-endian
 * u32s, a memory reservation block of <u64 address, u64 size> pairs ending
 * with <0 0>, a structure block of tokens and a strings block that holds the
 * property names. The structure block is:
 *
 *   FDT_BEGIN_NODE name\0 (padded to 4)
 *     FDT_PROP len nameoff value (padded to 4)   ... properties first,
 *     FDT_BEGIN_NODE ... FDT_END_NODE             ... then child nodes
 *   FDT_END_NODE
 *   FDT_END
 *
 * with FDT_NOP allowed anywhere between tokens.
 *
 * fdt_parse() makes two walks over the structure block. The first collects
 * cpus, memory, devices and /chosen. The second resolves phandle references
 * that may point forwards: the PLIC's interrupts-extended (which names the
 * harts' interrupt controllers) and /cpus/cpu-map (which names the cpus).
 *
 * Rules for running before the MMU is on at a different address than
 * linked: no global or static variables, no switch statements (jump tables),
 * no arrays of pointers. Everything lives on the stack or in *info.
 */

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

#define FDT_HDR_V16_SIZE 36	/* header up to and including size_dt_strings */
#define FDT_HDR_V17_SIZE 40	/* plus size_dt_struct */

/* Offsets of the header fields. */
#define HDR_MAGIC 0
#define HDR_TOTALSIZE 4
#define HDR_OFF_STRUCT 8
#define HDR_OFF_STRINGS 12
#define HDR_OFF_RSVMAP 16
#define HDR_VERSION 20
#define HDR_LAST_COMP 24
#define HDR_SIZE_STRINGS 32
#define HDR_SIZE_STRUCT 36

/* RISC-V local interrupt number of the supervisor external interrupt. */
#define IRQ_S_EXT 9

/* The blob after fdt_check_header() has checked the block bounds. */
struct fdt_blob {
	const u8 *base;
	u32 size;		/* totalsize */
	const u8 *st;		/* structure block */
	u32 st_size;
	const u8 *str;		/* strings block */
	u32 str_size;
	u32 rsv_off;		/* memory reservation block, from base */
};

/* One decoded token of the structure block. */
struct fdt_tok {
	u32 tag;		/* FDT_BEGIN_NODE ... FDT_END */
	u32 next;		/* offset of the token after this one */
	const char *name;	/* BEGIN_NODE: node name; PROP: property name */
	const u8 *data;		/* PROP: value */
	u32 len;		/* PROP: value length in bytes */
};

/* What kind of node a frame describes; children look at their parent's. */
#define NK_OTHER 0
#define NK_TOP 1		/* the imaginary parent of the root node */
#define NK_ROOT 2
#define NK_CPUS 3		/* /cpus */
#define NK_CPU 4		/* /cpus/cpu@N (device_type = "cpu") */
#define NK_CPUMAP 5		/* /cpus/cpu-map and every node below it */
#define NK_RESMEM 6		/* /reserved-memory */

/* Per-depth state of the walk: one frame for each open node. */
struct fdt_frame {
	u32 addr_cells;		/* this node's #address-cells, for its children */
	u32 size_cells;		/* this node's #size-cells, for its children */
	int kind;		/* NK_* */
	int cpu;		/* NK_CPU: index in info->cpus, or -1 */
	int socket, cluster, core, thread; /* NK_CPUMAP: position so far, -1 unset */
};

/* State of one walk over the tree. */
struct fdt_walk {
	const struct fdt_blob *b;
	struct fdt_info *info;
	int pass;		/* 1: collect, 2: resolve phandles */
	int nplic;		/* PLIC nodes met so far in pass 2 */
};

/* ---- byte-level helpers ---- */

static u32 be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

static u64 be64(const u8 *p)
{
	return ((u64)be32(p) << 32) | be32(p + 4);
}

/* A number made of ncells big-endian cells; more than two keeps the low 64 bits. */
static u64 read_cells(const u8 *p, u32 ncells)
{
	u64 v = 0;
	u32 i;

	for (i = 0; i < ncells; i++)
		v = (v << 32) | be32(p + 4 * i);
	return v;
}

/* Length of the string at p, looking at no more than max bytes (max if no NUL). */
static u32 fdt_strnlen(const u8 *p, u32 max)
{
	u32 n = 0;

	while (n < max && p[n])
		n++;
	return n;
}

static u8 to_lower(u8 c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return c;
}

/*
 * Does the string at p (ended by a NUL or after len bytes) equal s? With
 * icase, p is lower-cased first, so s must be lower case.
 */
static bool str_eq(const u8 *p, u32 len, const char *s, bool icase)
{
	u32 k;

	for (k = 0; k < len && p[k]; k++) {
		u8 c = icase ? to_lower(p[k]) : p[k];
		if (!s[k] || c != (u8)s[k])
			return false;
	}
	return s[k] == 0;
}

/* Is s one of the NUL-separated strings in the list p[0..len)? */
static bool strlist_has(const u8 *p, u32 len, const char *s, bool icase)
{
	u32 i = 0;

	if (!p)
		return false;
	while (i < len) {
		if (str_eq(p + i, len - i, s, icase))
			return true;
		while (i < len && p[i])		/* skip to the next entry */
			i++;
		i++;
	}
	return false;
}

/*
 * Copy a property string (at most len bytes, stops at a NUL) into dst, which
 * has room for n bytes; the result is always NUL-terminated, maybe truncated.
 */
static void copy_str(char *dst, u32 n, const u8 *p, u32 len)
{
	u32 i = 0;

	if (n == 0)
		return;
	while (p && i + 1 < n && i < len && p[i]) {
		dst[i] = (char)p[i];
		i++;
	}
	dst[i] = 0;
}

/*
 * Does a riscv,isa string ("rv64imafdc_zicsr_sstc") name the multi-letter
 * extension ext (lower case)? Multi-letter extensions follow the single-letter
 * ones, each after a '_'; the comparison ignores case.
 */
static bool isa_has_ext(const u8 *p, u32 len, const char *ext)
{
	u32 i, j, k;

	if (!p)
		return false;
	for (i = 0; i < len && p[i]; i++) {
		if (p[i] != '_')
			continue;
		j = i + 1;
		k = 0;
		while (j < len && ext[k] && to_lower(p[j]) == (u8)ext[k]) {
			j++;
			k++;
		}
		if (!ext[k] && (j >= len || p[j] == 0 || p[j] == '_'))
			return true;
	}
	return false;
}

/* Is the node name (maybe with a "@unit-address") want? */
static bool name_is(const char *name, const char *want)
{
	u32 i = 0;

	while (want[i] && name[i] == want[i])
		i++;
	return want[i] == 0 && (name[i] == 0 || name[i] == '@');
}

/* N for a node named prefix followed by the decimal number N ("core3"), else -1. */
static int name_index(const char *name, const char *prefix)
{
	u32 i;
	int n = 0;

	for (i = 0; prefix[i]; i++)
		if (name[i] != prefix[i])
			return -1;
	if (name[i] < '0' || name[i] > '9')
		return -1;
	for (; name[i] >= '0' && name[i] <= '9'; i++) {
		if (n > 100000)
			return -1;
		n = n * 10 + (name[i] - '0');
	}
	if (name[i] && name[i] != '@')
		return -1;
	return n;
}

/* ---- blob structure ---- */

/* Check the header and the block bounds; fill *b. */
static int fdt_check_header(const u8 *p, struct fdt_blob *b)
{
	u32 size, version, last_comp, off_st, off_str, off_rsv, size_st, size_str;
	u32 hdr_size;

	if (!p || be32(p + HDR_MAGIC) != FDT_MAGIC)
		return -EINVAL;
	size = be32(p + HDR_TOTALSIZE);
	if (size < FDT_HDR_V16_SIZE)
		return -EINVAL;
	version = be32(p + HDR_VERSION);
	last_comp = be32(p + HDR_LAST_COMP);
	if (version < 16 || last_comp > 17)
		return -EINVAL;
	hdr_size = version >= 17 ? FDT_HDR_V17_SIZE : FDT_HDR_V16_SIZE;
	if (size < hdr_size)
		return -EINVAL;

	off_st = be32(p + HDR_OFF_STRUCT);
	off_str = be32(p + HDR_OFF_STRINGS);
	off_rsv = be32(p + HDR_OFF_RSVMAP);
	size_str = be32(p + HDR_SIZE_STRINGS);
	if (off_st < hdr_size || off_st > size)
		return -EINVAL;
	/* A v16 header has no size_dt_struct: the FDT_END token bounds the walk. */
	size_st = version >= 17 ? be32(p + HDR_SIZE_STRUCT) : size - off_st;
	if (size_st > size - off_st)
		return -EINVAL;
	if (off_str < hdr_size || off_str > size || size_str > size - off_str)
		return -EINVAL;
	if (off_rsv < hdr_size || off_rsv >= size)
		return -EINVAL;

	b->base = p;
	b->size = size;
	b->st = p + off_st;
	b->st_size = size_st;
	b->str = p + off_str;
	b->str_size = size_str;
	b->rsv_off = off_rsv;
	return 0;
}

/* Decode the token at offset off of the structure block; -EINVAL if it is bad. */
static int fdt_next_tok(const struct fdt_blob *b, u32 off, struct fdt_tok *t)
{
	u64 end;

	if ((u64)off + 4 > b->st_size)
		return -EINVAL;
	t->tag = be32(b->st + off);
	t->name = NULL;
	t->data = NULL;
	t->len = 0;
	if (t->tag == FDT_BEGIN_NODE) {
		u32 max = b->st_size - off - 4;
		u32 n = fdt_strnlen(b->st + off + 4, max);

		if (n == max)			/* name runs off the block */
			return -EINVAL;
		t->name = (const char *)(b->st + off + 4);
		end = ALIGN_UP((u64)off + 4 + n + 1, 4);
	} else if (t->tag == FDT_PROP) {
		u32 nameoff;

		if ((u64)off + 12 > b->st_size)
			return -EINVAL;
		t->len = be32(b->st + off + 4);
		nameoff = be32(b->st + off + 8);
		if ((u64)off + 12 + t->len > b->st_size)
			return -EINVAL;
		if (nameoff >= b->str_size ||
		    fdt_strnlen(b->str + nameoff, b->str_size - nameoff) == b->str_size - nameoff)
			return -EINVAL;
		t->name = (const char *)(b->str + nameoff);
		t->data = b->st + off + 12;
		end = ALIGN_UP((u64)off + 12 + t->len, 4);
	} else if (t->tag == FDT_END_NODE || t->tag == FDT_NOP || t->tag == FDT_END) {
		end = (u64)off + 4;
	} else {
		return -EINVAL;
	}
	/* Padding may reach past the block; the next read then fails cleanly. */
	if (end > b->st_size)
		end = b->st_size;
	t->next = (u32)end;
	return 0;
}

/*
 * Look up property name of the node whose properties start at offset node
 * (just after its BEGIN_NODE token and name). Returns its value and sets
 * *lenp, or returns NULL if the node has no such property.
 */
static const u8 *fdt_getprop(const struct fdt_blob *b, u32 node, const char *name, u32 *lenp)
{
	struct fdt_tok t;

	while (fdt_next_tok(b, node, &t) == 0) {
		if (t.tag == FDT_PROP) {
			if (str_eq((const u8 *)t.name, ~0u, name, false)) {
				*lenp = t.len;
				return t.data;
			}
		} else if (t.tag != FDT_NOP) {
			break;		/* a child node or the node's end: no more properties */
		}
		node = t.next;
	}
	*lenp = 0;
	return NULL;
}

/* First cell of a property; false if it is absent or shorter than a cell. */
static bool prop_cell(const struct fdt_blob *b, u32 node, const char *name, u32 *out)
{
	u32 len;
	const u8 *p = fdt_getprop(b, node, name, &len);

	if (!p || len < 4)
		return false;
	*out = be32(p);
	return true;
}

/* A one- or two-cell number property; false if absent or another size. */
static bool prop_num(const struct fdt_blob *b, u32 node, const char *name, u64 *out)
{
	u32 len;
	const u8 *p = fdt_getprop(b, node, name, &len);

	if (p && len == 4) {
		*out = be32(p);
		return true;
	}
	if (p && len == 8) {
		*out = be64(p);
		return true;
	}
	return false;
}

/* Is string property name present and equal to s? */
static bool prop_is(const struct fdt_blob *b, u32 node, const char *name, const char *s)
{
	u32 len;
	const u8 *p = fdt_getprop(b, node, name, &len);

	return p && len > 0 && str_eq(p, len, s, false);
}

static bool is_compatible(const struct fdt_blob *b, u32 node, const char *s)
{
	u32 len;
	const u8 *p = fdt_getprop(b, node, "compatible", &len);

	return strlist_has(p, len, s, false);
}

/* status absent, "okay" or the old spelling "ok". */
static bool is_available(const struct fdt_blob *b, u32 node)
{
	u32 len;
	const u8 *p = fdt_getprop(b, node, "status", &len);

	return !p || str_eq(p, len, "okay", false) || str_eq(p, len, "ok", false);
}

/* The node's phandle (or legacy linux,phandle), 0 if it has none. */
static u32 node_phandle(const struct fdt_blob *b, u32 node)
{
	u32 ph;

	if (prop_cell(b, node, "phandle", &ph) || prop_cell(b, node, "linux,phandle", &ph))
		return ph;
	return 0;
}

/* numa-node-id, or -1 if absent or too large for our tables. */
static int node_numa(const struct fdt_blob *b, u32 node)
{
	u32 id;

	if (!prop_cell(b, node, "numa-node-id", &id) || id >= FDT_MAX_NUMA)
		return -1;
	return (int)id;
}

/*
 * Entry i of a reg property, decoded with the parent's #address-cells and
 * #size-cells. False if there is no such entry or the cell counts are silly.
 */
static bool reg_entry(const u8 *reg, u32 len, const struct fdt_frame *parent,
		      u32 i, u64 *base, u64 *size)
{
	u32 ac = parent->addr_cells, sc = parent->size_cells, esz;

	if (!reg || ac > 4 || sc > 4 || ac + sc == 0)
		return false;
	esz = 4 * (ac + sc);
	if ((u64)(i + 1) * esz > len)
		return false;
	*base = read_cells(reg + i * esz, ac);
	*size = read_cells(reg + i * esz + 4 * ac, sc);
	return true;
}

/* First reg entry of a node; false if it has none. */
static bool node_reg(const struct fdt_blob *b, u32 node, const struct fdt_frame *parent,
		     u64 *base, u64 *size)
{
	u32 len;
	const u8 *reg = fdt_getprop(b, node, "reg", &len);

	return reg_entry(reg, len, parent, 0, base, size);
}

/* Append every non-empty reg entry of a node to a region array. */
static void add_regions(const struct fdt_blob *b, u32 node, const struct fdt_frame *parent,
			struct fdt_region *r, int *n, int max)
{
	u32 len, i;
	u64 base, size;
	const u8 *reg = fdt_getprop(b, node, "reg", &len);
	int numa = node_numa(b, node);

	for (i = 0; *n < max && reg_entry(reg, len, parent, i, &base, &size); i++) {
		if (size == 0)
			continue;
		r[*n].base = base;
		r[*n].size = size;
		r[*n].numa_node = numa;
		(*n)++;
	}
}

static bool is_plic(const struct fdt_blob *b, u32 node)
{
	return is_compatible(b, node, "riscv,plic0") ||
	       is_compatible(b, node, "sifive,plic-1.0.0");
}

/* Index in info->cpus of the cpu whose node has phandle ph, or -1. */
static int cpu_by_phandle(const struct fdt_info *info, u32 ph)
{
	int i;

	for (i = 0; ph && i < info->ncpus; i++)
		if (info->cpus[i].phandle == ph)
			return i;
	return -1;
}

/* Index of the cpu whose interrupt controller has phandle ph, or -1. */
static int cpu_by_intc(const struct fdt_info *info, u32 ph)
{
	int i;

	for (i = 0; ph && i < info->ncpus; i++)
		if (info->cpus[i].intc_phandle == ph)
			return i;
	return -1;
}

/* ---- pass 1: collect ---- */

/* A cpu node under /cpus. Sets self->cpu to its index (or leaves -1). */
static void add_cpu(struct fdt_walk *w, const struct fdt_frame *parent,
		    struct fdt_frame *self, u32 node)
{
	const struct fdt_blob *b = w->b;
	struct fdt_info *info = w->info;
	struct fdt_cpu *c;
	const u8 *p;
	u32 len;
	u64 hart, unused, tb;

	if (info->ncpus >= FDT_MAX_CPUS || !node_reg(b, node, parent, &hart, &unused))
		return;
	self->cpu = info->ncpus++;
	c = &info->cpus[self->cpu];
	c->hartid = (u32)hart;
	c->phandle = node_phandle(b, node);
	c->enabled = is_available(b, node);
	c->numa_node = node_numa(b, node);
	c->socket = c->cluster = c->core = c->thread = -1;
	c->plic_s_context = -1;
	c->plic = -1;

	p = fdt_getprop(b, node, "riscv,isa", &len);
	copy_str(c->isa, sizeof(c->isa), p, len);
	c->has_sstc = isa_has_ext(p, len, "sstc");
	p = fdt_getprop(b, node, "riscv,isa-extensions", &len);
	if (strlist_has(p, len, "sstc", true))
		c->has_sstc = true;

	p = fdt_getprop(b, node, "mmu-type", &len);
	if (p && len >= 6 && str_eq(p, 6, "riscv,", false)) {
		p += 6;
		len -= 6;
	}
	copy_str(c->mmu_type, sizeof(c->mmu_type), p, len);
	c->mmu_sv48 = p && (str_eq(p, len, "sv48", false) || str_eq(p, len, "sv57", false));

	/* Only used when /cpus (visited first) had no timebase-frequency. */
	if (info->timebase_freq == 0 && prop_num(b, node, "timebase-frequency", &tb))
		info->timebase_freq = (u32)tb;
}

static void parse_chosen(const struct fdt_blob *b, u32 node, struct fdt_info *info)
{
	u32 len;
	const u8 *p;

	p = fdt_getprop(b, node, "bootargs", &len);
	copy_str(info->bootargs, sizeof(info->bootargs), p, len);
	p = fdt_getprop(b, node, "stdout-path", &len);
	copy_str(info->stdout_path, sizeof(info->stdout_path), p, len);
	prop_num(b, node, "linux,initrd-start", &info->initrd_start);
	prop_num(b, node, "linux,initrd-end", &info->initrd_end);
}

/*
 * distance-matrix is a list of <from to distance> triplets. An entry also
 * sets the reverse direction unless that one is given explicitly, so the
 * first loop fills reverses and the second the stated directions.
 */
static void parse_distance_map(const struct fdt_blob *b, u32 node, struct fdt_info *info)
{
	u32 len, n, i, from, to;
	const u8 *p = fdt_getprop(b, node, "distance-matrix", &len);

	if (!p)
		return;
	n = len / 12;
	for (i = 0; i < n; i++) {
		from = be32(p + 12 * i);
		to = be32(p + 12 * i + 4);
		if (from < FDT_MAX_NUMA && to < FDT_MAX_NUMA)
			info->distance[to][from] = be32(p + 12 * i + 8);
	}
	for (i = 0; i < n; i++) {
		from = be32(p + 12 * i);
		to = be32(p + 12 * i + 4);
		if (from < FDT_MAX_NUMA && to < FDT_MAX_NUMA)
			info->distance[from][to] = be32(p + 12 * i + 8);
	}
}

static void visit_pass1(struct fdt_walk *w, const char *name, const struct fdt_frame *parent,
			struct fdt_frame *self, u32 node)
{
	const struct fdt_blob *b = w->b;
	struct fdt_info *info = w->info;
	u64 base, size, v;
	u32 id;

	if (prop_cell(b, node, "numa-node-id", &id) && id < FDT_MAX_NUMA &&
	    (int)id + 1 > info->nnuma)
		info->nnuma = (int)id + 1;

	if (self->kind == NK_CPUS && prop_num(b, node, "timebase-frequency", &v))
		info->timebase_freq = (u32)v;
	if (self->kind == NK_CPU)
		add_cpu(w, parent, self, node);
	if (parent->kind == NK_CPU && parent->cpu >= 0 &&
	    is_compatible(b, node, "riscv,cpu-intc") &&
	    info->cpus[parent->cpu].intc_phandle == 0)
		info->cpus[parent->cpu].intc_phandle = node_phandle(b, node);
	if (parent->kind == NK_ROOT && name_is(name, "chosen"))
		parse_chosen(b, node, info);
	if (parent->kind == NK_RESMEM && is_available(b, node))
		add_regions(b, node, parent, info->resv, &info->nresv, FDT_MAX_RESV);
	if (self->kind != NK_CPU && prop_is(b, node, "device_type", "memory") &&
	    is_available(b, node))
		add_regions(b, node, parent, info->mem, &info->nmem, FDT_MAX_MEM);
	if (is_compatible(b, node, "numa-distance-map-v1"))
		parse_distance_map(b, node, info);

	if (!is_available(b, node))
		return;		/* the devices below must be enabled */
	if (info->uart_base == 0 && info->uart_size == 0 &&
	    is_compatible(b, node, "ns16550a") && node_reg(b, node, parent, &base, &size)) {
		u32 len;
		const u8 *p = fdt_getprop(b, node, "interrupts-extended", &len);

		info->uart_base = base;
		info->uart_size = size;
		if (!prop_cell(b, node, "interrupts", &info->uart_irq) && p && len >= 8)
			info->uart_irq = be32(p + 4);
		if (prop_num(b, node, "clock-frequency", &v))
			info->uart_clock = (u32)v;
	}
	if (is_plic(b, node) && info->nplic < FDT_MAX_PLIC) {
		struct fdt_plic *pl = &info->plics[info->nplic++];

		if (node_reg(b, node, parent, &base, &size)) {
			pl->base = base;
			pl->size = size;
		}
		prop_cell(b, node, "riscv,ndev", &pl->ndev);
		pl->phandle = node_phandle(b, node);
		pl->numa_node = node_numa(b, node);
		if (info->nplic == 1) {
			info->plic_base = pl->base;
			info->plic_size = pl->size;
			info->plic_ndev = pl->ndev;
		}
	}
	if (info->test_base == 0 &&
	    (is_compatible(b, node, "sifive,test0") || is_compatible(b, node, "sifive,test1")) &&
	    node_reg(b, node, parent, &base, &size))
		info->test_base = base;
	if (info->rtc_base == 0 && is_compatible(b, node, "google,goldfish-rtc") &&
	    node_reg(b, node, parent, &base, &size))
		info->rtc_base = base;
}

/* ---- pass 2: resolve phandles ---- */

/*
 * interrupts-extended of a PLIC lists its contexts in order, each as
 * <intc-phandle irq>: context i is pair i. (riscv,cpu-intc always has
 * #interrupt-cells = <1>, so every entry is two cells.) Irq 9 marks the
 * hart's S-mode context.
 */
static void parse_plic_contexts(const struct fdt_blob *b, u32 node, int plic,
				struct fdt_info *info)
{
	u32 len, n, i;
	int cpu;
	const u8 *p = fdt_getprop(b, node, "interrupts-extended", &len);

	if (!p)
		return;
	n = len / 8;
	for (i = 0; i < n; i++) {
		cpu = cpu_by_intc(info, be32(p + 8 * i));
		if (cpu < 0 || be32(p + 8 * i + 4) != IRQ_S_EXT ||
		    info->cpus[cpu].plic_s_context >= 0)
			continue;
		info->cpus[cpu].plic_s_context = (int)i;
		info->cpus[cpu].plic = plic;
	}
}

static void visit_pass2(struct fdt_walk *w, const struct fdt_frame *self, u32 node)
{
	const struct fdt_blob *b = w->b;
	struct fdt_info *info = w->info;
	u32 ph;
	int cpu;

	/* Same test as pass 1, so the n-th PLIC here is info->plics[n]. */
	if (is_available(b, node) && is_plic(b, node)) {
		if (w->nplic < FDT_MAX_PLIC)
			parse_plic_contexts(b, node, w->nplic, info);
		w->nplic++;
	}
	if (self->kind == NK_CPUMAP && prop_cell(b, node, "cpu", &ph)) {
		cpu = cpu_by_phandle(info, ph);
		if (cpu >= 0) {
			info->cpus[cpu].socket = self->socket;
			info->cpus[cpu].cluster = self->cluster;
			info->cpus[cpu].core = self->core;
			info->cpus[cpu].thread = self->thread;
		}
	}
}

/* ---- the walk ---- */

/*
 * Set up the frame of a node from its parent's and its own properties:
 * its cells for its children, its kind and its cpu-map position.
 */
static void init_frame(const struct fdt_blob *b, const char *name, const struct fdt_frame *parent,
		       struct fdt_frame *self, u32 node)
{
	u32 v;
	int n;

	self->addr_cells = prop_cell(b, node, "#address-cells", &v) ? v : 2;
	self->size_cells = prop_cell(b, node, "#size-cells", &v) ? v : 1;
	self->kind = NK_OTHER;
	self->cpu = -1;
	self->socket = parent->socket;
	self->cluster = parent->cluster;
	self->core = parent->core;
	self->thread = parent->thread;

	if (parent->kind == NK_TOP) {
		self->kind = NK_ROOT;
	} else if (parent->kind == NK_ROOT) {
		if (name_is(name, "cpus"))
			self->kind = NK_CPUS;
		else if (name_is(name, "reserved-memory"))
			self->kind = NK_RESMEM;
	} else if (parent->kind == NK_CPUS) {
		if (name_is(name, "cpu-map"))
			self->kind = NK_CPUMAP;
		else if (prop_is(b, node, "device_type", "cpu"))
			self->kind = NK_CPU;
	} else if (parent->kind == NK_CPUMAP) {
		/*
		 * socketN/clusterN/coreN/threadN. Without a socket level the
		 * outermost cluster stands for the socket (QEMU virt puts one
		 * cluster per socket); the innermost cluster is the cluster.
		 */
		self->kind = NK_CPUMAP;
		if ((n = name_index(name, "socket")) >= 0) {
			self->socket = n;
		} else if ((n = name_index(name, "cluster")) >= 0) {
			if (self->socket < 0)
				self->socket = n;
			self->cluster = n;
		} else if ((n = name_index(name, "core")) >= 0) {
			self->core = n;
		} else if ((n = name_index(name, "thread")) >= 0) {
			self->thread = n;
		}
	}
}

/* Walk the whole structure block once, checking it, and visit every node. */
static int fdt_walk(struct fdt_walk *w)
{
	struct fdt_frame fr[FDT_MAX_DEPTH + 1];	/* fr[d + 1]: open node at depth d */
	struct fdt_tok t;
	u32 off = 0;
	int depth = 0;				/* number of open nodes */
	bool root_done = false;

	fr[0].addr_cells = 2;			/* spec defaults for the root's reg */
	fr[0].size_cells = 1;
	fr[0].kind = NK_TOP;
	fr[0].cpu = -1;
	fr[0].socket = fr[0].cluster = fr[0].core = fr[0].thread = -1;

	for (;;) {
		if (fdt_next_tok(w->b, off, &t))
			return -EINVAL;
		if (t.tag == FDT_BEGIN_NODE) {
			if ((depth == 0 && root_done) || depth >= FDT_MAX_DEPTH)
				return -EINVAL;
			init_frame(w->b, t.name, &fr[depth], &fr[depth + 1], t.next);
			if (w->pass == 1)
				visit_pass1(w, t.name, &fr[depth], &fr[depth + 1], t.next);
			else
				visit_pass2(w, &fr[depth + 1], t.next);
			depth++;
		} else if (t.tag == FDT_END_NODE) {
			if (depth == 0)
				return -EINVAL;
			depth--;
			if (depth == 0)
				root_done = true;
		} else if (t.tag == FDT_PROP) {
			if (depth == 0)
				return -EINVAL;	/* properties belong to a node */
		} else if (t.tag == FDT_END) {
			return depth == 0 && root_done ? 0 : -EINVAL;
		}
		off = t.next;
	}
}

/* The memory reservation block: <u64 address, u64 size> pairs up to <0 0>. */
static int parse_rsvmap(const struct fdt_blob *b, struct fdt_info *info)
{
	u32 off;
	u64 base, size;

	for (off = b->rsv_off;; off += 16) {
		if ((u64)off + 16 > b->size)
			return -EINVAL;		/* no terminator inside the blob */
		base = be64(b->base + off);
		size = be64(b->base + off + 8);
		if (base == 0 && size == 0)
			return 0;
		if (size != 0 && info->nresv < FDT_MAX_RESV) {
			info->resv[info->nresv].base = base;
			info->resv[info->nresv].size = size;
			info->resv[info->nresv].numa_node = -1;
			info->nresv++;
		}
	}
}

u32 fdt_totalsize(const void *blob)
{
	const u8 *p = blob;

	if (!p || be32(p + HDR_MAGIC) != FDT_MAGIC)
		return 0;
	return be32(p + HDR_TOTALSIZE);
}

int fdt_parse(const void *blob, struct fdt_info *info)
{
	struct fdt_blob b;
	struct fdt_walk w;
	int i, j, err;

	memset(info, 0, sizeof(*info));
	for (i = 0; i < FDT_MAX_NUMA; i++)
		for (j = 0; j < FDT_MAX_NUMA; j++)
			info->distance[i][j] = i == j ? 10 : 20;

	err = fdt_check_header(blob, &b);
	if (!err)
		err = parse_rsvmap(&b, info);
	w.b = &b;
	w.info = info;
	w.nplic = 0;
	w.pass = 1;
	if (!err)
		err = fdt_walk(&w);
	w.pass = 2;
	if (!err)
		err = fdt_walk(&w);
	return err;
}
