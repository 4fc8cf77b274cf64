"$NABLA" 'a*b + c'
