"$NABLA" --emit python -f cs231n.nb
