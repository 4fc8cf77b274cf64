"$NABLA" --check 'q = x + y; f = q * z' x=-2 y=5 z=-4
