"$NABLA" 'x' x=1 > /dev/full
