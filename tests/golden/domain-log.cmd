"$NABLA" 'log(x)' x=-1
