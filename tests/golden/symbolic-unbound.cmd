"$NABLA" --symbolic --wrt y,x 'max(x, y) * x^3 + pow(x, y)'
