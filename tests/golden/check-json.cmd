"$NABLA" --check -o json 'relu(x) * y' x=0 y=2
