"$NABLA" --hvp x=1,y=2 '(x + y) * z' x=-2 y=5 z=-4
