"$NABLA" -f bad.nb
