"$NABLA" --verify verify-bad.py x=1
