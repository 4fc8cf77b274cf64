"$NABLA" 'e*x' e=2 x=1
