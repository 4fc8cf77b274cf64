"$NABLA" -f no-such-file.nb
