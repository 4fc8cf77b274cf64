"$NABLA" 'x*2' x=0x10
