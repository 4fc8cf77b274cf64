"$NABLA" 'sqrt(x)' x=0
