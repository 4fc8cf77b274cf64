"$NABLA" --verify verify-fork.py x=2 y=-3 z=0.5
