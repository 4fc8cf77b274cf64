"$NABLA" --input=csv 'x' x=1
