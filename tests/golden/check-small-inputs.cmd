"$NABLA" --check 'log(p)' p=0.001 && "$NABLA" --check 'x^3' x=1e-3 && "$NABLA" --check 'sqrt(x)' x=0.0001 && "$NABLA" --check 'x^3' x=1e-200 && "$NABLA" --check 'exp(x)' x=1e-200
