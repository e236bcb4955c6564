# proc.sh: /proc as the tools see it: ps finds the shell and its children
# (with the right parent and command line), /proc/self/stat and status
# name the reader, the fd and cwd links resolve, and free / uptime read
# sysinfo in agreement with /proc/meminfo.
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1

echo "-- /proc/self is the process that opens it"
read -r pid comm state ppid rest < /proc/self/stat
[ "$pid" = $$ ] && echo "stat pid = \$\$"
echo "stat comm: $comm"
[ "$ppid" = "$PPID" ] && echo "stat ppid = \$PPID"
sh -c 'read -r p rest < /proc/self/stat; [ "$p" = $$ ] && echo "a child shell reads its own pid"'
[ "$(cut -d' ' -f1 /proc/self/stat)" != $$ ] && echo "cut reads its own stat, not ours"
grep '^Name:' /proc/$$/status | tr -s '\t ' ' '
[ "$(awk '/^Pid:/ { print $2 }' /proc/$$/status)" = $$ ] && echo "status Pid = \$\$"
[ "$(awk '/^PPid:/ { print $2 }' /proc/$$/status)" = "$PPID" ] && echo "status PPid = \$PPID"
tr '\0' ' ' < /proc/$$/cmdline; echo

echo "-- ps"
ps -o pid,ppid,comm,args | awk -v p=$$ '$1 == p { print "ps shows the shell:", $3, $4, $5 }'
sleep 37 &
s=$!
# Until it has called execve the child is still a copy of the shell.
i=0
while ! grep -q sleep /proc/$s/cmdline 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
ps -o pid,ppid,comm,args | awk -v p=$s -v pp=$$ '$1 == p && $2 == pp { print "ps shows the child:", $3, $4, $5 }'
ps | awk -v p=$s '$1 == p { print "plain ps:", $NF }'
[ -d /proc/$s ] && echo "/proc/<child> exists"
kill $s; wait $s 2>/dev/null
[ -d /proc/$s ] || echo "/proc/<child> gone after reaping"
ps -o pid | awk 'NR > 1 && $1 == 1 { print "ps shows pid 1" }'
n=$(ls /proc | grep -c '^[0-9][0-9]*$')
[ "$n" -ge 3 ] && echo "/proc lists the processes"

echo "-- fd and cwd links"
exec 3> file
[ "$(readlink /proc/$$/fd/3)" = "$(pwd -P)/file" ] && echo "fd/3 -> the file"
exec 3>&-
[ -e /proc/$$/fd/3 ] || echo "fd/3 gone once closed"
[ "$(readlink /proc/$$/cwd)" = "$(pwd -P)" ] && echo "cwd link = pwd"
readlink /proc/self/fd/0 < /dev/null
echo | readlink /proc/self/fd/0 | sed 's/[0-9][0-9]*/N/'
echo "reopened" > file
cat /proc/self/fd/3 3< file
echo "via a pipe" | cat /proc/self/fd/0
ls /proc/self/fd/ > /dev/null && echo "fd directory lists"
readlink /proc/$$/exe | grep -q busybox && echo "exe -> busybox"

echo "-- free, uptime, meminfo, loadavg"
mt=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
ft=$(free -k | awk '/^Mem:/ { print $2 }')
[ "$mt" -gt 0 ] && [ "$mt" = "$ft" ] && echo "free total = MemTotal"
free | awk 'NR == 1 { print $1, $2, $3 } /^Mem:/ && $2 >= $3 && $2 >= $4 { print "Mem: total >= used, free" }'
uptime | grep -q 'load average:' && echo "uptime shows the load"
awk '{ print (NF == 2 && $1 > 0 ? "uptime: 2 fields" : "bad /proc/uptime: " $0) }' /proc/uptime
awk '{ print (NF == 5 && $4 ~ /^[0-9]+\/[0-9]+$/ ? "loadavg: 5 fields" : "bad /proc/loadavg: " $0) }' /proc/loadavg
grep -q '^proc /proc proc' /proc/mounts && echo "/proc is in /proc/mounts"
