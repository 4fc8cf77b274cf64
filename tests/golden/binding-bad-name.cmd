"$NABLA" 'x*2' 1x=3 x=1
