"$NABLA" --check 'relu(x) * y + abs(z - 1) + max(x, w)' x=0 y=2 z=1 w=0
