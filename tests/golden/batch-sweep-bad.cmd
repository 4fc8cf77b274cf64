"$NABLA" --sweep x=1:2 x
