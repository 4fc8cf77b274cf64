"$NABLA" -o json '1/x' x=0
