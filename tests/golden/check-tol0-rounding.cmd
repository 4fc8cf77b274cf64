"$NABLA" --check --tol 0 -f cs231n.nb
