"$NABLA" --verify verify-first.py x=1 y=2 z=3
