"$NABLA" --check -f cs231n.nb
