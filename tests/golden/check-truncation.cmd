"$NABLA" --check --tol 1e-10 'exp(20 * x) + y' x=0 y=1
