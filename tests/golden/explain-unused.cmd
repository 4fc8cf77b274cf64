"$NABLA" --explain --precision 3 'u = exp(y); f = x / 2' x=1 y=0
