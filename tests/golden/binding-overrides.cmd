"$NABLA" 'x = 1; f = x * 10' x=5
