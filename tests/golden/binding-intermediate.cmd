"$NABLA" 'q = x + 1; q * 2' x=1 q=3
