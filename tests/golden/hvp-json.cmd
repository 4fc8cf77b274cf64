"$NABLA" --hvp z=1 -o json '(x + y) * z' x=-2 y=5 z=-4
