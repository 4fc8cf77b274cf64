"$NABLA" --sweep y=0:1:3 x
