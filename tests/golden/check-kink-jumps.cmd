"$NABLA" --check 'floor(x) + sign(y) + atan2(z, -1) + hypot(v, 0)' x=3 y=0 z=0 v=0
