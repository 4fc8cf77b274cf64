"$NABLA" -o xml 'x' x=1
