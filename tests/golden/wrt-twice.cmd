"$NABLA" --wrt x,x "x" x=1
