"$NABLA" --jvp x=1,z=2 '(x + y) * z' x=-2 y=5 z=-4
