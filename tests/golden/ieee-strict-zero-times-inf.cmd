"$NABLA" --strict -o csv '0*x' x=inf
