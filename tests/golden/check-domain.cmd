"$NABLA" --check 'sqrt(x)' x=0
