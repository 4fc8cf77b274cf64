"$NABLA" 'sigmod(x)' x=1
