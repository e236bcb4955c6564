#!/usr/bin/env python3
"""make test's driver: runs the host unit tests, then boots QEMU in several
topologies and reads KTAP from the console. Each boot has a timeout; a
kernel panic or a hang fails it and its log is shown. Prints every result
as KTAP and ends with the line "N passed, N failed"."""
import argparse, os, re, subprocess, sys, time

B = os.environ.get("B", "build")  # the build directory (make passes B)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)
passed = failed = 0
n = 0


def report(ok, name, log=None):
    global passed, failed, n
    n += 1
    if ok:
        passed += 1
        print(f"ok {n} {name}", flush=True)
    else:
        failed += 1
        print(f"not ok {n} {name}", flush=True)
        if log:
            print("# ---- log ----")
            for line in log.splitlines()[-60:]:
                print("# " + line)
            print("# -------------", flush=True)


def ktap_lines(text, prefix):
    """Report each 'ok N x' / 'not ok N x' line of text under prefix."""
    seen = 0
    for line in text.splitlines():
        line = line.strip().replace("\r", "")
        m = re.match(r"^(not ok|ok) \d+ (.*)$", line)
        if m:
            seen += 1
            report(m.group(1) == "ok", f"{prefix}: {m.group(2)}", None if m.group(1) == "ok" else text)
    return seen


def run_host(tests):
    for t in tests.split():
        exe = f"{B}/host/test_{t}"
        try:
            p = subprocess.run([exe], capture_output=True, text=True, timeout=300)
            out = p.stdout + p.stderr
            seen = ktap_lines(p.stdout, f"host/{t}")
            report(p.returncode == 0 and seen > 0, f"host/{t}: exit status 0", out)
        except subprocess.TimeoutExpired:
            report(False, f"host/{t}: timed out")


def run_doc_refs():
    """docs/ and README name code as path/file.c:function: each must exist,
    and the checker must notice a renamed function (a scratch tree)."""
    import tempfile
    p = subprocess.run(["scripts/check-doc-refs"], capture_output=True, text=True)
    report(p.returncode == 0, "docs: every path:function reference names a function of that file",
           p.stdout + p.stderr)
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(f"{d}/docs")
        os.makedirs(f"{d}/kernel")
        open(f"{d}/docs/a.md", "w").write("see `kernel/x.c:do_thing`\n")
        open(f"{d}/kernel/x.c", "w").write("int do_thing(void)\n{\n\treturn 0;\n}\n")
        ok = subprocess.run(["scripts/check-doc-refs", d], capture_output=True).returncode == 0
        open(f"{d}/kernel/x.c", "w").write("int do_other_thing(void)\n{\n\treturn 0;\n}\n")
        caught = subprocess.run(["scripts/check-doc-refs", d], capture_output=True).returncode == 1
    report(ok and caught, "docs: the reference check fails when a referenced function is renamed")


def numa_args(cpus, sockets, mem):
    if sockets == 1:
        return []
    out = subprocess.run(["scripts/numa-args", str(cpus), str(sockets), mem],
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def boot_cmd(qemu, cpus, sockets, append, mem="512M", extra=()):
    return [qemu, "-machine", "virt", "-bios", "default", "-nographic", "-no-reboot",
            "-smp", f"{cpus},sockets={sockets}", "-m", mem] + numa_args(cpus, sockets, mem) + [
            "-kernel", f"{B}/kernel.elf", "-initrd", f"{B}/initramfs.cpio",
            "-append", append] + list(extra)


def boot_typing(qemu, prompt, text, append, timeout=60):
    """Boot; once the console shows `prompt`, type `text`. (Input sent
    earlier could reach the UART before the firmware resets it.)"""
    import threading
    p = subprocess.Popen(boot_cmd(qemu, 2, 1, append), stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    out = b""
    typed = False
    while True:
        chunk = p.stdout.read1(4096)
        if not chunk:
            break
        out += chunk
        if not typed and prompt.encode() in out:
            p.stdin.write(text.encode())
            p.stdin.flush()
            typed = True
    rc = p.wait()
    timer.cancel()
    return rc, out.decode(errors="replace")


def boot_dialog(qemu, steps, append, timeout=60):
    """Boot; type steps[i][1] once the console shows steps[i][0] (after
    what step i-1 waited for)."""
    import threading
    p = subprocess.Popen(boot_cmd(qemu, 2, 1, append), stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    out, i, seen = b"", 0, 0
    while True:
        chunk = p.stdout.read1(4096)
        if not chunk:
            break
        out += chunk
        while i < len(steps) and steps[i][0].encode() in out[seen:]:
            seen = out.index(steps[i][0].encode(), seen) + len(steps[i][0])
            p.stdin.write(steps[i][1].encode())
            p.stdin.flush()
            i += 1
    rc = p.wait()
    timer.cancel()
    return rc, out.decode(errors="replace")


def boot(qemu, cpus, sockets, append, mem="512M", timeout=90, extra=()):
    """Boot once; return (exit status or None on timeout, console text)."""
    cmd = boot_cmd(qemu, cpus, sockets, append, mem, extra)
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace")
        return None, out + f"\n[run-tests: timed out after {timeout}s]"


def no_panic(out):
    """No panic, oops, or report of kernel memory corruption (slab checks)."""
    return all(m not in out for m in ("Kernel panic", "Oops", "BUG kmalloc", "kfree: bad pointer"))


TOPOLOGIES = [  # name, harts, sockets
    ("smp1", 1, 1),
    ("smp4", 4, 2),
    ("smp8-2numa", 8, 2),
]


def boot_log_checks(name, cpus, sockets, out):
    report(f"smp: {cpus} harts online" in out, f"{name}: boot log shows {cpus} harts online", out)
    report("paging: sv48" in out, f"{name}: boot log says paging: sv48", out)
    report(re.search(r"memory: 512 MiB RAM, \d+ pages total, \d+ pages free", out) is not None,
           f"{name}: boot log shows the memory size and free pages", out)
    nodes = sockets if sockets > 1 else 1
    report(f"topology: {cpus} harts, {sockets} sockets, {nodes} NUMA nodes" in out,
           f"{name}: topology read from the FDT ({sockets} sockets, {nodes} nodes)", out)
    per_socket = {}
    for m in re.finditer(r"cpu\d+: hart \d+ socket (\d+) cluster -?\d+ core (\d+)", out):
        per_socket.setdefault(m.group(1), set()).add(m.group(2))
    want = {str(s): cpus // sockets for s in range(sockets)}
    report({k: len(v) for k, v in per_socket.items()} == want,
           f"{name}: {sockets} sockets with {cpus // sockets} cores each", out)
    if sockets > 1:
        report("numa: node 0 distances: 10 20" in out and "numa: node 1 distances: 20 10" in out,
               f"{name}: NUMA distances from the distance-map", out)


def domain_checks(qemu):
    """Scheduling domains built from the FDT, printed at boot."""
    rc, out = boot(qemu, 1, 1, "sched_verbose init=/bin/hello")
    report(rc == 0 and "CPU0 attaching NULL sched-domain." in out, "CPUS=1: no scheduling domains", out)
    rc, out = boot(qemu, 8, 2, "sched_verbose init=/bin/hello")
    # Domains are printed in cpu numbers (cpu 0 is the boot hart, as on
    # Linux): map them to hart ids through the "cpuN: hart H" lines.
    hart = {int(m.group(1)): int(m.group(2)) for m in re.finditer(r"cpu(\d+): hart (\d+) ", out)}

    def harts_of(span):
        cpus = set()
        for part in span.split(","):
            lo, _, hi = part.partition("-")
            cpus.update(range(int(lo), int(hi or lo) + 1))
        return sorted(hart.get(c, -1) for c in cpus)

    ok = rc == 0 and len(hart) == 8
    for cpu in range(8):
        block = out.split(f"CPU{cpu} attaching sched-domain(s):")[-1][:1200]
        mc = re.search(r"domain-0: span=([0-9,-]+) level=MC", block)
        want = list(range(0, 4)) if hart.get(cpu, 0) < 4 else list(range(4, 8))
        ok = ok and mc is not None and harts_of(mc.group(1)) == want
        ok = ok and "domain-1: span=0-7 level=NUMA" in block
    report(ok, "8 harts in 2 sockets: MC spans harts {0-3},{4-7} under a NUMA level spanning all", out)
    rc, out = boot(qemu, 8, 2, "sched_verbose init=/bin/hello",
                   extra=["-dtb", "test/host/fixtures/virt-8cpu-smt.dtb"])
    report(rc == 0 and "level=SMT" in out and "level=MC" in out and "level=NUMA" in out,
           "a DTB with thread nodes in cpu-map adds an SMT level", out)


def run_boot(qemu):
    domain_checks(qemu)
    for name, cpus, sockets in TOPOLOGIES:
        t0 = time.time()
        rc, out = boot(qemu, cpus, sockets, "init=/test/syscalls")
        print(f"# {name}: booted in {time.time() - t0:.1f}s", flush=True)
        boot_log_checks(name, cpus, sockets, out)
        seen = ktap_lines(out, f"{name}/syscalls")
        report(rc == 0 and seen > 0 and no_panic(out), f"{name}/syscalls: exits 0, no panic", out)
        # Through /init (which mounts /proc, /dev, /tmp) and /bin/sh -c.
        for prog, args in (("mm", ""), ("pgtable_free", ""), ("fork", ""), ("threads", ""), ("futex", ""), ("signals", ""),
                           ("hello_dyn", ""), ("threads_dyn", ""), ("libshare_dyn", ""),
                           ("sched", ""), ("sched_api", ""), ("sched_rt", ""), ("sched_rtbal", ""), ("kpreempt", ""),
                           ("vdso", ""), ("fs", "/tmp/fstest"), ("fsargs", ""), ("locks", ""), ("pipe", ""), ("procfs", ""),
                           ("tty", ""), ("cred", ""), ("overrun", ""), ("cowstress", "4"),
                           ("sysv_ipc", ""), ("event", ""), ("unix_socket", ""), ("unix_msg", ""),
                           ("ptimer", ""), ("rlimit", ""), ("misc_calls", ""), ("pty", ""),
                           ("mqueue", ""), ("inotify", ""), ("fuzz", "10 1")):
            # The fuzzer runs with freed-object checking on (slub_debug).
            extra = "slub_debug " if prog == "fuzz" else ""
            rc, out = boot(qemu, cpus, sockets, f"{extra}init=/init -- /test/{prog} {args}")
            seen = ktap_lines(out, f"{name}/{prog}")
            report(rc == 0 and seen > 0 and no_panic(out), f"{name}/{prog}: exits 0, no panic", out)

    # Single-topology behaviours (4 harts, 2 sockets: make's default).
    rc, out = boot(qemu, 4, 2, "quiet init=/bin/hello -- one two")
    report(rc == 0 and "Hello from Vireo user space!" in out and "argv[2] = two" in out,
           "hello prints its greeting and arguments, exit status 0", out)
    rc, out = boot(qemu, 4, 2, "quiet init=/bin/hello -- --exit 42")
    report(rc == 42, "init's exit status 42 becomes QEMU's exit status", out)
    rc, out = boot(qemu, 4, 2, "init=/test/segv")
    report(rc == 128 + 11 and "segfault at 0 pc" in out and no_panic(out),
           "NULL store kills the process with SIGSEGV (status 139), kernel survives", out)
    rc, out = boot(qemu, 4, 2, "test_oops")
    report(rc not in (0, None) and "Oops: store/AMO page fault" in out and "Call Trace:" in out
           and "oops_test_trigger+0x" in out and "start_kernel+0x" in out
           and re.search(r" epc : [0-9a-f]{16} oops_test_trigger", out) is not None,
           "deliberate kernel fault prints an oops with a symbolized backtrace, exits non-zero", out)
    rc, out = boot(qemu, 4, 2, "init=/test/bad-elf")
    report(rc not in (0, None) and "Failed to execute /test/bad-elf (error -8)" in out,
           "a bad ELF as init is refused with -ENOEXEC, not a crash", out)
    rc, out = boot(qemu, 4, 2, "init=/no/such/init")
    report(rc not in (0, None) and "Failed to execute /no/such/init (error -2)" in out,
           "a missing init is reported with -ENOENT", out)
    rc, out = boot(qemu, 4, 2, "quiet init=/bin/hello")
    report(rc == 0 and "Vireo RISC-V kernel" not in out and "Hello from Vireo" in out,
           "quiet silences the boot log", out)
    rc, out = boot_typing(qemu, "/ # ", "/bin/hello a b; echo $((6*7))\npoweroff\n", "quiet")
    report(rc == 0 and "argv[2] = b" in out and "42" in out and no_panic(out),
           "the default /init gives a busybox shell that runs typed commands; poweroff ends it", out)
    rc, out = boot_dialog(qemu, [("ttytype: type a line", "abx\x7fc\r"), ("ttytype: sleeping", "\x03"),
                                 ("ttytype: stopping", "\x1a"), ("ttytype: type EOF", "\x04"),
                                 ("ttytype: raw", "q")], "quiet init=/test/ttytype")
    seen = ktap_lines(out, "ttytype")
    report(rc == 0 and seen == 6 and "abx\x08 \x08c\r\n" in out and "^C" in out and no_panic(out),
           "typed input: line editing with echo, ^C/^Z reach the foreground job, ^D, raw mode", out)
    rc, out = boot_typing(qemu, "readline: waiting for input", "ping pong\n", "init=/test/readline")
    report(rc == 0 and "readline: got [ping pong]" in out,
           "console input arrives through the UART interrupt", out)
    rc, out = boot(qemu, 2, 1, "init=/test/syscalls", extra=["-cpu", "rv64,sstc=off"])
    report(rc == 0 and "timer: 10000000 Hz timebase, SBI TIME" in out and
           re.search(r"^ok \d+ nanosleep slept", out.replace("\r", ""), re.M) is not None,
           "without Sstc the tick comes from SBI TIME and sleeping works", out)
    rc, out = boot(qemu, 2, 1, "init=/test/syscalls")
    report("Sstc (stimecmp)" in out, "with Sstc in riscv,isa the tick uses stimecmp", out)
    # Bad accesses: the process dies of SIGSEGV with Linux's si_code (or of
    # SIGKILL when memory runs out in a fault); the kernel stays up.
    for mode, code in [("munmap-middle", "SEGV_MAPERR"), ("mprotect-ro", "SEGV_ACCERR"),
                       ("stack-overflow", "SEGV_MAPERR"), ("null8", "SEGV_MAPERR"),
                       ("kernel-addr", "SEGV_MAPERR"), ("exec-data", "SEGV_ACCERR")]:
        rc, out = boot(qemu, 4, 2, f"init=/test/mmfault -- {mode}")
        report(rc == 139 and f"({code})" in out and "survived" not in out and no_panic(out),
               f"mmfault {mode}: SIGSEGV ({code}), status 139, no oops", out)
    # Default signal actions: the process dies of the signal (128+sig).
    for mode, sig in [("segv", 11), ("abort", 6), ("kill9", 9), ("term", 15), ("ill", 4),
                      ("alarm", 14), ("blocked-segv", 11), ("ignored-segv", 11),
                      ("segv-in-handler", 11), ("bad-altstack", 11), ("bad-sigreturn", 11),
                      ("pending-kill", 9)]:
        rc, out = boot(qemu, 2, 1, f"init=/test/sigdie -- {mode}")
        report(rc == 128 + sig and no_panic(out), f"sigdie {mode}: killed by signal {sig}", out)
    rc, out = boot(qemu, 2, 1, "init=/test/sigdie -- init")
    report(rc == 0 and no_panic(out), "pid 1 ignores SIGTERM/SIGKILL it has no handler for", out)
    # The OOM killer: a hog under the shell is the biggest process, so it
    # is the one killed; the shell goes on and reports 137.
    rc, out = boot(qemu, 2, 1, "init=/init -- /test/mmfault oom; echo after=$?", timeout=180)
    report(rc == 0 and re.search(r"Out of memory: Killed process \d+ \(mmfault\)", out) is not None
           and "after=137" in out and no_panic(out),
           "out of memory: the biggest process (the hog) is killed, the shell goes on", out)
    rc, out = boot(qemu, 2, 1, "init=/test/mmfault -- oom", timeout=180)
    report(rc == 137 and "Out of memory: nothing to kill" in out and no_panic(out),
           "out of memory with only init to blame: init dies of SIGKILL (137), no oops", out)
    # The whole suite twice in one boot: free memory is back where it was.
    rc, out = boot(qemu, 4, 2, "quiet init=/init -- /test/runall", timeout=300)
    report(rc == 0 and "ok 1 runall: the whole suite twice, no frame leaks" in out and no_panic(out),
           "whole boot suite run twice in one boot: no frame leaks across processes", out)
    # Shell-script tests (test/sh): busybox sh runs each NAME.sh and compares with NAME.out.
    rc, out = boot(qemu, 4, 2, "quiet init=/init -- sh /test/sh/run", timeout=300)
    seen = ktap_lines(out, "sh")
    report(rc == 0 and seen > 0 and no_panic(out), "sh/run: all shell-script tests pass, exits 0", out)
    # make qemu's shell on a pseudo-terminal, typed into as a user would.
    import terminal
    terminal.run(qemu, report)
    run_rootfs_extra()


def run_rootfs_extra():
    """make run's ROOTFS_EXTRA: a host tree merged over the image."""
    import shutil, tempfile
    d = tempfile.mkdtemp()
    try:
        os.makedirs(f"{d}/extra/bin")
        shutil.copy(f"{B}/rootfs/bin/hello", f"{d}/extra/bin/greet")
        env = dict(os.environ, ROOTFS_EXTRA=f"{d}/extra", CPUS="2", SOCKETS="1")
        p = subprocess.run(["scripts/run", "/bin/greet --exit 7"], capture_output=True,
                           text=True, timeout=180, env=env)
        out = p.stdout + p.stderr
        report(p.returncode == 7 and out.startswith("Hello from Vireo user space!"),
               "scripts/run with ROOTFS_EXTRA runs a program from the extra tree, exits 7", out)
        # make run exits with the program's own status (scripts/make-exit.c).
        p = subprocess.run(["make", "-s", "run", "CMD=/bin/greet --exit 42"],
                           capture_output=True, text=True, timeout=180, env=env)
        out = p.stdout + p.stderr
        report(p.returncode == 42 and out.startswith("Hello from Vireo user space!"),
               "make run CMD=/bin/greet --exit 42 (ROOTFS_EXTRA) makes make exit 42", out)
        # CMD is a shell command line: quotes, double spaces and $ survive.
        p = subprocess.run(["make", "-s", "run", "CPUS=2", "SOCKETS=1",
                            "CMD=echo \"a  b\" | wc -c; echo $((6*7)); exit 3"],
                           capture_output=True, text=True, timeout=180)
        out = p.stdout + p.stderr
        report(p.returncode == 3 and out.splitlines()[:2] == ["5", "42"],
               "make run CMD=... runs a shell command line (pipe, quotes, $) and exits 3", out)
        p = subprocess.run(["make", "-s", "run", "CPUS=1", "CMD=kill -9 $$"],
                           capture_output=True, text=True, timeout=180)
        report(p.returncode == 137, "make run: a command killed by SIGKILL makes make exit 137",
               p.stdout + p.stderr)
    finally:
        shutil.rmtree(d)
        subprocess.run(["make", "-s", "all"], capture_output=True)  # the image without the extra tree


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="")
    ap.add_argument("--qemu", default="qemu-system-riscv64")
    ap.add_argument("--no-boot", action="store_true")
    a = ap.parse_args()
    print("KTAP version 1", flush=True)
    t0 = time.time()
    run_host(a.host)
    run_doc_refs()
    if not a.no_boot:
        run_boot(a.qemu)
    print(f"1..{n}")
    print(f"# total time {time.time() - t0:.0f}s")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
