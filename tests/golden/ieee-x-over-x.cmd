"$NABLA" -o csv 'x/x' x=0
