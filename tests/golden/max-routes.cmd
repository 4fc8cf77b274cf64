"$NABLA" '2 * max(x, y)' x=4 y=2
