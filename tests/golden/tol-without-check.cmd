"$NABLA" --tol 1e-3 x x=1
