"$NABLA" --sweep x=-1:1:5 'a*x^2' a=3
