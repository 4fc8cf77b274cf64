"$NABLA" --check -o csv --wrt y,x 'relu(x) * y' x=0 y=2
