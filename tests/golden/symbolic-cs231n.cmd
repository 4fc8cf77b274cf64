"$NABLA" --symbolic -f cs231n.nb
