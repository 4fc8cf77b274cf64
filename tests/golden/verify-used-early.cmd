"$NABLA" --verify verify-early.py x=1 y=2 z=3
