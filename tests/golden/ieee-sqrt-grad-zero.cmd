"$NABLA" -o csv 'sqrt(x)' x=0
