"$NABLA" --nodes 'x' x=1
