# An unreadable file: LS002 "Permission denied", exit 2.  root reads
# everything, so the case cannot be staged as root.
if [ "$(id -u)" = 0 ]; then
	echo "running as root: permission checks do not apply" >&2
	exit 77
fi
echo 'goal g { }' > secret.loss
chmod 000 secret.loss
"$LOSSC" lint secret.loss
