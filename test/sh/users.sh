# users.sh: a second user from busybox's adduser; su runs commands as that
# user; file modes, ownership, the sticky /tmp and /root's 0700 stop it as
# they would on Linux; script(1) gives it a pseudo-terminal; flock(1).
# Debian's host busybox has none of adduser, su, script, flock, ipcs, so
# users.out was written by hand: each line is the Linux rule named above
# (it also touches /etc/passwd, so don't run it on a host you care about).
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"; deluser carol 2>/dev/null' EXIT
chmod 755 "$T"
cd "$T" || exit 1

echo "-- adduser and su"
adduser -D -h "$T/home" carol || echo "adduser failed"
su carol -c "whoami; id -un; [ \"\$HOME\" = \"$T/home\" ] && echo \"HOME is the -h directory\""
echo "-- root's private file"
echo secret > private
chmod 600 private
su carol -c "cat $T/private" 2>/dev/null || echo "carol cannot read it"
chmod 644 private
su carol -c "cat $T/private"
echo "-- writing needs write permission on the directory"
su carol -c "touch $T/new" 2>/dev/null || echo "carol cannot create in root's directory"
chown carol "$T"
su carol -c "touch $T/new && echo created"
ls -l new | awk '{ print $1, $3 }'
echo "-- chmod and chown of another user's file"
su carol -c "chmod 777 $T/private" 2>/dev/null || echo "carol cannot chmod root's file"
su carol -c "chown carol $T/new" && echo "chown to herself is allowed"
su carol -c "chown root $T/new" 2>/dev/null || echo "carol cannot give a file away"
echo "-- the sticky /tmp"
touch /tmp/users-root.$$
su carol -c "rm -f /tmp/users-root.$$" 2>/dev/null
[ -e /tmp/users-root.$$ ] && echo "carol cannot remove root's file in /tmp"
rm -f /tmp/users-root.$$
echo "-- signals across users"
sleep 10 &
su carol -c "kill $!" 2>/dev/null || echo "carol cannot signal root's process"
kill $!
wait $! 2>/dev/null
echo "-- a pseudo-terminal from script"
script -q -c 'tty | sed "s/[0-9]*$/N/"; [ -t 0 ] && echo "stdin is a terminal"' /dev/null | tr -d '\r'
echo "-- flock"
flock "$T/lock" -c 'echo "holding the lock"'
echo "-- ipcs sees System V objects"
ipcs -m | head -3 | tail -1 | awk '{ print $1, $2, $3 }'
