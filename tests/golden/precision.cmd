"$NABLA" --precision 3 'pi * x' x=1
