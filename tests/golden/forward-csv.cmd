"$NABLA" --forward -o csv --wrt x,z 'max(x, y) * z' x=-2 y=5 z=-4
