"$NABLA" --symbolic '(x + y) * z' x=-2 y=5 z=-4
