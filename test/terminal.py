"""The terminal test: boots `make qemu`'s machine on a pseudo-terminal, as a
user's terminal would be, types into the busybox shell and checks what the
screen shows. Used by run-tests.py (and runnable alone: python3 test/terminal.py).
"""
import os, pty, re, select, subprocess, sys, time

B = os.environ.get("B", "build")
PROMPT = "/ # "


class Terminal:
    """QEMU's console on a pty: what the guest writes is read back here."""

    def __init__(self, cmd):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvp(cmd[0], cmd)
        self.screen = ""

    def read_until(self, pattern, timeout):
        """Read until `pattern` (a regex) appears after the current mark."""
        start = len(self.screen) if not hasattr(self, "mark") else self.mark
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = re.search(pattern, self.screen[start:])
            if m:
                self.mark = start + m.end()
                return True
            r, _, _ = select.select([self.fd], [], [], 0.2)
            if r:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:
                    return False
                if not data:
                    return False
                self.screen += data.decode(errors="replace")
        return False

    def type(self, text, delay=0.02):
        """Type like a person: one byte at a time (the UART FIFO is small)."""
        for ch in text.encode():
            os.write(self.fd, bytes([ch]))
            time.sleep(delay)

    def command(self, line, expect=PROMPT, timeout=30):
        """Type a command line and wait for `expect`; return what was shown."""
        self.mark = len(self.screen)
        before = self.mark
        self.type(line + "\r")
        ok = self.read_until(expect, timeout)
        return ok, self.screen[before:self.mark]

    def wait(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(st)
            try:
                r, _, _ = select.select([self.fd], [], [], 0.2)
                if r:
                    self.screen += os.read(self.fd, 4096).decode(errors="replace")
            except OSError:
                time.sleep(0.1)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        return None


def qemu_cmd(qemu):
    args = subprocess.run(["make", "-s", f"B={B}", "print-qemu-args"], capture_output=True,
                          text=True, check=True).stdout.split()
    return [qemu] + args[1:] + ["-append", "quiet"]


def run(qemu, report):
    """Each step is one KTAP result through report(ok, name, log)."""
    t = Terminal(qemu_cmd(qemu))
    ok = t.read_until(re.escape(PROMPT), 60)
    report(ok, "terminal: make qemu ends at a busybox shell prompt", t.screen)
    if not ok:
        t.wait(1)
        return
    time.sleep(1)  # as a person would: the shell is still setting up its line editor

    def step(line, pattern, name, timeout=30):
        ok, shown = t.command(line, timeout=timeout)
        good = ok and re.search(pattern, shown, re.S) is not None
        report(good, f"terminal: {name}", "" if good else shown or t.screen[-800:])
        return shown

    step("ls /", r"(?=.*\bbin\b)(?=.*\bdev\b)(?=.*\bproc\b)(?=.*\btmp\b)", "ls / lists the root")
    step("cat /proc/cpuinfo", r"processor\s*: 0.*isa\s*: rv64imafdc.*mmu\s*: sv48.*processor\s*: 3",
         "cat /proc/cpuinfo shows 4 harts with isa and mmu: sv48")
    step("ps", r"PID\s+USER.*\n\s*1 .*init.*\bps\b", "ps lists init and itself")
    step("top -n 1", r"Mem:.*CPU:.*PID.*top", "top -n 1 shows memory, CPU and tasks", timeout=40)
    step("free", r"Mem:\s+\d+\s+\d+\s+\d+", "free shows the memory")
    step("echo hi | wc -c", r"\n3\r*\n", "echo hi | wc -c prints 3")
    step("sleep 5 &", re.escape(PROMPT), "sleep 5 & starts a background job")
    step("jobs", r"\[1\]\+\s+Running\s+sleep 5", "jobs shows it running")
    t0 = time.time()
    shown = step("wait", PROMPT, "wait returns when the job is done", timeout=30)
    report(time.time() - t0 > 1, "terminal: wait really waited for sleep 5", shown)
    # Ctrl-C interrupts a foreground job: SIGINT to the foreground group.
    t.mark = len(t.screen)
    t.type("sleep 100\r")
    time.sleep(1.5)
    t.type("\x03")
    ok = t.read_until(re.escape(PROMPT), 10)
    report(ok, "terminal: Ctrl-C interrupts a foreground sleep 100", t.screen[-300:])
    step("echo status $?", r"status 130", "the interrupted job's status is 130 (SIGINT)")
    # vi: open a file, insert a line, write and quit; the file has it.
    t.mark = len(t.screen)
    t.type("vi /tmp/note.txt\r")
    ok = t.read_until(r"/tmp/note\.txt", 15)
    time.sleep(0.5)
    t.type("iHello from vi\x1b")
    time.sleep(0.3)
    t.type(":wq\r")
    ok = t.read_until(re.escape(PROMPT), 15) and ok
    report(ok, "terminal: vi opens a file and quits with :wq", t.screen[-500:])
    step("cat /tmp/note.txt", r"Hello from vi", "the file vi wrote holds the typed text")
    t.mark = len(t.screen)
    t.type("poweroff\r")
    rc = t.wait(30)
    report(rc == 0, "terminal: poweroff ends QEMU with status 0", t.screen[-500:])


if __name__ == "__main__":
    results = []

    def report(ok, name, log=""):
        results.append(ok)
        print(f"{'ok' if ok else 'not ok'} {len(results)} {name}")
        if not ok and log:
            print("\n".join("# " + l for l in log.splitlines()[-15:]))

    run(sys.argv[1] if len(sys.argv) > 1 else "qemu-system-riscv64", report)
    print(f"# {results.count(True)} passed, {results.count(False)} failed")
    sys.exit(0 if all(results) else 1)
