"$NABLA" 'pow(x)' x=1
