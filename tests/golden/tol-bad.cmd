"$NABLA" --check --tol=abc x x=1
