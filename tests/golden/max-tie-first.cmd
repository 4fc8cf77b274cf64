"$NABLA" -o csv 'max(x, y, z)' x=1 y=3 z=3
