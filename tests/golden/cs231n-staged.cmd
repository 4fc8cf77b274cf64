"$NABLA" -f cs231n.nb
