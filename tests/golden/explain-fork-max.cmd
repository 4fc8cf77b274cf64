"$NABLA" --explain --wrt x 't = x * x; f = max(t, y) + x' x=3 y=1
