"$NABLA" --explain -f cs231n.nb
