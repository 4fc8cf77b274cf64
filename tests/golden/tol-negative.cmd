"$NABLA" --check --tol=-1 x x=1
