"$NABLA" --check --step 6.283185307179586 'sin(x)' x=1
