# A file the user may not write is not replaced (though its directory is
# writable): it is reported and left alone, exit 2.  root writes
# everything, so as root fmt runs as the unprivileged user 65534
# (setpriv); without setpriv the case is skipped as root.
printf 'goal g{}\n' > ro.loss
chmod 444 ro.loss
chmod 777 .
if [ "$(id -u)" = 0 ]; then
	if ! command -v setpriv >/dev/null 2>&1; then
		echo "running as root without setpriv: permission checks do not apply" >&2
		exit 77
	fi
	open=$(mktemp -d "${TMPDIR:-/tmp}/lossc-perm.XXXXXX") || exit 2
	trap 'rm -rf "$open"' EXIT
	cp "$LOSSC" "$open/lossc" && chmod -R a+rX "$open" && chmod 777 "$open" || exit 2
	mv ro.loss "$open/" && cd "$open" || exit 2
	setpriv --reuid=65534 --regid=65534 --clear-groups ./lossc fmt ro.loss
	echo "exit $?"
else
	"$LOSSC" fmt ro.loss
	echo "exit $?"
fi
cat ro.loss
